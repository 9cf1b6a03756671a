/** Creates the SDK clients for a region, with the standard credential chain or a named profile. */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { ClientSettings } from '../verify/clients';
import type { PreflightClients } from './types';

/** Region and profile, as verify takes them. */
export type { ClientSettings };

/** One client per region, made by `make` on first use; `known` are already made. */
function perRegion<C>(make: (region: string) => C, known: ReadonlyMap<string, C> = new Map()): (region: string) => C {
  const clients = new Map(known);
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

/** KMS and STS in `region`, IAM (global), and one Secrets Manager and KMS client per other region asked for. */
export function createClients(settings: ClientSettings): PreflightClients {
  const profile = settings.profile ? { profile: settings.profile } : {};
  const common = { region: settings.region, ...profile };
  const kms = new KMSClient(common);
  return {
    kms,
    iam: new IAMClient(common),
    sts: new STSClient(common),
    secretsManager: perRegion((region) => new SecretsManagerClient({ region, ...profile })),
    kmsIn: perRegion((region) => new KMSClient({ region, ...profile }), new Map([[settings.region, kms]])),
  };
}

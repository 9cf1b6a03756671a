/** Creates the SDK clients for a region, with the standard credential chain or a named profile. */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { STSClient } from '@aws-sdk/client-sts';
import type { ClientSettings } from '../verify/clients';
import type { PreflightClients } from './types';

/** Region and profile, as verify takes them. */
export type { ClientSettings };

/** KMS and STS in `region`, IAM (global), and one Secrets Manager and KMS client per other region asked for. */
export function createClients(settings: ClientSettings): PreflightClients {
  const profile = settings.profile ? { profile: settings.profile } : {};
  const common = { region: settings.region, ...profile };
  const secretsManagers = new Map<string, SecretsManagerClient>();
  const secretsManager = (region: string) => {
    let client = secretsManagers.get(region);
    if (!client) {
      client = new SecretsManagerClient({ region, ...profile });
      secretsManagers.set(region, client);
    }
    return client;
  };
  const kms = new KMSClient(common);
  const kmsClients = new Map<string, KMSClient>([[settings.region, kms]]);
  const kmsIn = (region: string) => {
    let client = kmsClients.get(region);
    if (!client) {
      client = new KMSClient({ region, ...profile });
      kmsClients.set(region, client);
    }
    return client;
  };
  return { kms, iam: new IAMClient(common), sts: new STSClient(common), secretsManager, kmsIn };
}

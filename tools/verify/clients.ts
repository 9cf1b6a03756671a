/** Creates the SDK clients for a region, with the standard credential chain or a named profile. */
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { STSClient } from '@aws-sdk/client-sts';
import type { VerifyClients } from './types';

/** Where the clients talk to and with which credentials. */
export interface ClientSettings {
  readonly region: string;
  /** A profile of the shared config files; the SDK's default chain when unset. */
  readonly profile?: string;
}

/** KMS and STS in `region`; IAM is global, its client only needs a region for signing. */
export function createClients(settings: ClientSettings): VerifyClients {
  const common = { region: settings.region, ...(settings.profile ? { profile: settings.profile } : {}) };
  return { kms: new KMSClient(common), iam: new IAMClient(common), sts: new STSClient(common) };
}

/** Shapes shared by the preflight checks: the clients and what every check reads. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig } from '../../config/schema';
import type { PolicyDocument } from '../../policy/render';
import type { Caller } from '../verify/types';
import type { IamLookup } from './iam-lookup';

/** verify's shapes: a check's outcome, and who is calling. */
export type { Caller, CheckResult, CheckStatus } from '../verify/types';

/** The AWS SDK clients preflight uses; tests pass mocked ones. */
export interface PreflightClients {
  readonly kms: KMSClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
  /**
   * Secrets Manager in `region`: the declared secrets live in the environment's region, but a
   * `lambdaRole.secretArns` entry may name another, and Secrets Manager answers only for its own.
   */
  readonly secretsManager: (region: string) => SecretsManagerClient;
  /**
   * KMS in another region than `kms`'s: the aliases of multi-Region replicas (and of their alert
   * keys) live in the replicas' regions.
   */
  readonly kmsIn: (region: string) => KMSClient;
}

/** Everything a check reads. */
export interface PreflightContext {
  readonly environment: EnvironmentConfig;
  /** The region the KMS client talks to (`--region`, else the environment's). */
  readonly region: string;
  readonly caller: Caller;
  /** The account the stack deploys to: the environment's `accountId`, else the caller's. */
  readonly accountId: string;
  /**
   * The key's ARN as the simulation uses it: the imported key's, or, for a key the stack creates
   * (whose ARN does not exist yet), a placeholder in the environment's partition, region and account.
   */
  readonly keyArn: string;
  /** Whether `keyArn` is a real key's (`key.importKeyId`) rather than the placeholder. */
  readonly keyArnIsReal: boolean;
  /**
   * The key policy the app synthesizes for this environment, rendered with the real account id.
   * Undefined when it could not be rendered (the reason is in `keyPolicyError`).
   */
  readonly keyPolicy: PolicyDocument | undefined;
  readonly keyPolicyError?: string;
  /** IAM users and roles, each looked up at most once per run. */
  readonly iam: IamLookup;
}

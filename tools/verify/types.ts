/** Shapes shared by the verify checks: outcomes, the resolved key and the run's context. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient, KeyMetadata } from '@aws-sdk/client-kms';
import type { STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentConfig } from '../../config/schema';
import type { PolicyDocument } from '../../policy/render';
import type { LookupFailure } from '../lib/lookup-failure';

/** How a check ended: `skipped` means it could not be run by this caller, not that something is wrong. */
export type CheckStatus = 'pass' | 'fail' | 'skipped';

/** The outcome of one check. */
export interface CheckResult {
  /** Short stable id: `key`, `rotation`, `policy`, `round-trip`, `lambda-role`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** One line: what was seen, or why it failed or was skipped. */
  readonly reason: string;
  /** Further lines: the diagnosis of a failure, or a policy diff. */
  readonly details?: readonly string[];
}

/** The AWS SDK clients verify uses; tests pass mocked ones. */
export interface VerifyClients {
  readonly kms: KMSClient;
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

/** Who runs verify, from `sts:GetCallerIdentity`. */
export interface Caller {
  readonly arn: string;
  readonly accountId: string;
}

/** What the run knows about the key after resolving its alias. */
export type KeyLookup =
  /** DescribeKey answered. */
  | { readonly kind: 'described'; readonly metadata: KeyMetadata; readonly keyArn: string; readonly accountId: string }
  /** DescribeKey was denied but ListAliases found the alias's target. */
  | { readonly kind: 'listed'; readonly keyArn: string; readonly accountId: string; readonly describeError: unknown }
  /** The alias does not exist in this account and region. */
  | { readonly kind: 'not-found'; readonly error: unknown }
  /**
   * `denied`: neither DescribeKey nor ListAliases was allowed, so the key's ARN is unknown;
   * `error`: any other error (throttling, network, KMS internal error).
   */
  | LookupFailure;

/** Everything a check reads. */
export interface VerifyContext {
  readonly environment: EnvironmentConfig;
  /** The region the clients talk to (`--region`, else the environment's). */
  readonly region: string;
  readonly caller: Caller;
  readonly key: KeyLookup;
  /**
   * The key policy the app synthesizes for this environment, rendered with the real account id.
   * Undefined when it could not be rendered (the reason is in `expectedPolicyError`).
   */
  readonly expectedPolicy: PolicyDocument | undefined;
  readonly expectedPolicyError?: string;
  /**
   * The ARN patterns of the secrets the Lambda role reads, from the synthesized stack with the real
   * account id (`arn:...:secret:<name>-??????`, `...:secret:<prefix>*` or the configured ARNs).
   * Undefined without a Lambda role, or when they could not be read (the reason is in
   * `expectedSecretArnPatternsError`).
   */
  readonly expectedSecretArnPatterns: readonly string[] | undefined;
  readonly expectedSecretArnPatternsError?: string;
}

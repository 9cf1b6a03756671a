/** Runs every preflight check for one environment, in order, and collects the results. */
import { parseKeyReference } from '../../policy/key-reference';
import { type CheckInput, callerOrAbort, CommandAbort } from '../lib/aws-command';
import { type CheckReport, guarded } from '../lib/check-report';
import { renderKeyPolicy } from '../verify/expected-policy';
import { keyArn } from '../verify/key-arn';
import { checkAlias } from './check-alias';
import { checkImportKey } from './check-import-key';
import { checkLambdaRole } from './check-lambda-role';
import { checkLockout } from './check-lockout';
import { checkPrincipals } from './check-principals';
import { checkSecretArns } from './check-secret-arns';
import { checkSecrets } from './check-secrets';
import { createIamLookup } from './iam-lookup';
import type { Caller, CheckResult, PreflightClients, PreflightContext } from './types';

/** A reason preflight cannot run at all (no credentials, wrong account): exit code 2, one line. */
export class PreflightAbort extends CommandAbort {
  override readonly name = 'PreflightAbort';
}

/** What a run found. */
export interface PreflightReport extends CheckReport {
  /** The account the stack deploys to. */
  readonly accountId: string;
  /** The imported key's ARN, with `key.importKeyId`. */
  readonly keyArn?: string;
}

/** What a run needs; the KMS client is set up for its region. */
export type PreflightInput = CheckInput<PreflightClients>;

/**
 * Stands for the key's ARN while the key does not exist: all zeros, which no KMS key id is, so an
 * IAM policy naming a real key cannot match it by accident.
 */
export const PLACEHOLDER_KEY_ID = '00000000-0000-0000-0000-000000000000';

/**
 * What every check reads: the deploy account (the config's, else the caller's), the key's ARN (the
 * imported key's, else a placeholder) and the synthesized key policy rendered with both.
 */
export function preflightContext(input: PreflightInput, caller: Caller): PreflightContext {
  const { environment, region, clients } = input;
  const accountId = environment.accountId ?? caller.accountId;
  const imported = environment.key.importKeyId === undefined ? undefined : parseKeyReference(environment.key.importKeyId);
  const arn = keyArn({
    partition: environment.partition,
    region: environment.region,
    accountId,
    keyId: imported?.keyId ?? PLACEHOLDER_KEY_ID,
  });
  let keyPolicy;
  let keyPolicyError;
  try {
    keyPolicy = renderKeyPolicy(input.stack, accountId, arn);
  } catch (error) {
    keyPolicyError = (error as Error).message;
  }
  return {
    environment,
    region,
    caller,
    accountId,
    keyArn: arn,
    keyArnIsReal: imported !== undefined,
    keyPolicy,
    keyPolicyError,
    iam: createIamLookup(clients.iam),
  };
}

/**
 * Runs the checks: import-key, alias, principals, lambda-role, secret-arns, secrets, lockout.
 * Throws PreflightAbort when nothing can be checked.
 */
export async function runPreflight(input: PreflightInput): Promise<PreflightReport> {
  const { environment, region, clients } = input;
  const caller = await callerOrAbort(input, PreflightAbort);
  const context = preflightContext(input, caller);
  const checks: CheckResult[] = [];
  checks.push(await guarded('import-key', () => checkImportKey(clients.kms, context)));
  checks.push(await guarded('alias', () => checkAlias(clients, context)));
  checks.push(await guarded('principals', () => checkPrincipals(context)));
  checks.push(await guarded('lambda-role', () => checkLambdaRole(context)));
  checks.push(await guarded('secret-arns', () => checkSecretArns(clients, context)));
  checks.push(await guarded('secrets', () => checkSecrets(clients, context)));
  checks.push(await guarded('lockout', () => checkLockout(clients.iam, context)));
  return {
    environment: environment.name,
    region,
    caller,
    accountId: context.accountId,
    ...(context.keyArnIsReal ? { keyArn: context.keyArn } : {}),
    checks,
  };
}

/** Runs every check for one environment, in order, and collects the results. */
import type { EnvironmentConfig } from '../../config/schema';
import type { SynthesizedStack } from '../lib/synthesized';
import { identifyCaller } from './caller';
import { checkKey } from './check-key';
import { checkLambdaRole } from './check-lambda-role';
import { checkPolicy } from './check-policy';
import { checkRotation } from './check-rotation';
import { checkRoundTrip } from './check-round-trip';
import { isCredentialsError, oneLine } from './diagnosis';
import { renderKeyPolicy, renderLambdaRoleSecretArnPatterns } from './expected-policy';
import { resolveKey, resolvedKeyArn } from './resolve-key';
import type { Caller, CheckResult, VerifyClients, VerifyContext } from './types';

/** A reason verify cannot run at all (no credentials, wrong account): exit code 2, one line. */
export class VerifyAbort extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VerifyAbort';
  }
}

/** What a run found. */
export interface VerifyReport {
  readonly environment: string;
  readonly region: string;
  readonly caller: Caller;
  readonly keyArn?: string;
  readonly checks: readonly CheckResult[];
}

/** What a run needs. */
export interface VerifyInput {
  readonly environment: EnvironmentConfig;
  /** The region to talk to; the clients must be set up for it. */
  readonly region: string;
  readonly clients: VerifyClients;
  /** The environment's synthesized stack (synthesizing is the caller's job, so tests can pass a fixture). */
  readonly stack: SynthesizedStack;
}

async function guarded(id: string, run: () => Promise<CheckResult> | CheckResult): Promise<CheckResult> {
  try {
    return await run();
  } catch (error) {
    return { id, status: 'fail', reason: `unexpected error: ${oneLine(error)}` };
  }
}

/** Identifies the caller, or aborts with one line. */
async function callerOrAbort(input: VerifyInput): Promise<Caller> {
  let caller: Caller;
  try {
    caller = await identifyCaller(input.clients.sts);
  } catch (error) {
    if (isCredentialsError(error)) {
      throw new VerifyAbort(`no usable AWS credentials: ${oneLine(error)}; set AWS_PROFILE or pass --profile (a profile that exists, with a current session)`);
    }
    throw new VerifyAbort(`cannot establish who is calling (sts:GetCallerIdentity in ${input.region}): ${oneLine(error)}; check the network and the region`);
  }
  const expected = input.environment.accountId;
  if (expected && caller.accountId !== expected) {
    throw new VerifyAbort(`the credentials are for account ${caller.accountId}, but environment "${input.environment.name}" is configured for account ${expected}; use a profile of that account`);
  }
  return caller;
}

/** Runs the checks: key, rotation, policy, round trip, Lambda role. Throws VerifyAbort when nothing can be checked. */
export async function runVerify(input: VerifyInput): Promise<VerifyReport> {
  const { environment, region, clients } = input;
  const caller = await callerOrAbort(input);
  const key = await resolveKey(clients.kms, { alias: environment.key.alias, region, partition: environment.partition, callerAccount: caller.accountId });
  const keyArn = resolvedKeyArn(key);
  const accountId = key.kind === 'described' || key.kind === 'listed' ? key.accountId : (environment.accountId ?? caller.accountId);
  let expectedPolicy;
  let expectedPolicyError;
  try {
    expectedPolicy = renderKeyPolicy(input.stack, accountId, keyArn ?? `arn:${environment.partition}:kms:${region}:${accountId}:key/unknown`);
  } catch (error) {
    expectedPolicyError = (error as Error).message;
  }
  let expectedSecretArnPatterns;
  let expectedSecretArnPatternsError;
  if (environment.lambdaRole) {
    try {
      expectedSecretArnPatterns = renderLambdaRoleSecretArnPatterns(input.stack, environment.lambdaRole.name, accountId);
    } catch (error) {
      expectedSecretArnPatternsError = (error as Error).message;
    }
  }
  const context: VerifyContext = { environment, region, caller, key, expectedPolicy, expectedPolicyError, expectedSecretArnPatterns, expectedSecretArnPatternsError };

  const checks: CheckResult[] = [];
  checks.push(await guarded('key', () => checkKey(context)));
  checks.push(await guarded('rotation', () => checkRotation(clients.kms, context)));
  let deployedPolicy: string | undefined;
  checks.push(
    await guarded('policy', async () => {
      const outcome = await checkPolicy(clients.kms, context);
      deployedPolicy = outcome.deployedPolicy;
      return outcome.result;
    }),
  );
  checks.push(await guarded('round-trip', () => checkRoundTrip(clients.kms, context)));
  checks.push(await guarded('lambda-role', () => checkLambdaRole(clients.iam, context, deployedPolicy)));
  return { environment: environment.name, region, caller, keyArn, checks };
}

/** 1 when any check failed, else 0 (passed and skipped checks both count as success). */
export function exitCodeOf(report: VerifyReport): 0 | 1 {
  return report.checks.some((c) => c.status === 'fail') ? 1 : 0;
}

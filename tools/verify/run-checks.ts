/** Runs every check for one environment, in order, and collects the results. */
import { type CheckInput, callerOrAbort, CommandAbort } from '../lib/aws-command';
import { type CheckReport, guarded } from '../lib/check-report';
import { checkKey } from './check-key';
import { checkLambdaRole } from './check-lambda-role';
import { checkPolicy } from './check-policy';
import { checkRotation } from './check-rotation';
import { checkRoundTrip } from './check-round-trip';
import { renderKeyPolicy, renderLambdaRoleSecretArnPatterns } from './expected-policy';
import { resolveKey, resolvedKeyArn } from './resolve-key';
import type { CheckResult, VerifyClients, VerifyContext } from './types';

/** A reason verify cannot run at all (no credentials, wrong account): exit code 2, one line. */
export class VerifyAbort extends CommandAbort {
  override readonly name = 'VerifyAbort';
}

/** What a run found: the key's ARN when the alias resolved to one. */
export type VerifyReport = CheckReport;

/** What a run needs. */
export type VerifyInput = CheckInput<VerifyClients>;

/** Runs the checks: key, rotation, policy, round trip, Lambda role. Throws VerifyAbort when nothing can be checked. */
export async function runVerify(input: VerifyInput): Promise<VerifyReport> {
  const { environment, region, clients } = input;
  const caller = await callerOrAbort(input, VerifyAbort);
  const key = await resolveKey(clients.kms, {
    alias: environment.key.alias,
    region,
    partition: environment.partition,
    callerAccount: caller.accountId,
  });
  const keyArn = resolvedKeyArn(key);
  const accountId = key.kind === 'described' || key.kind === 'listed' ? key.accountId : (environment.accountId ?? caller.accountId);
  let expectedPolicy;
  let expectedPolicyError;
  try {
    expectedPolicy = renderKeyPolicy(
      input.stack,
      accountId,
      keyArn ?? `arn:${environment.partition}:kms:${region}:${accountId}:key/unknown`,
    );
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
  const context: VerifyContext = {
    environment,
    region,
    caller,
    key,
    expectedPolicy,
    expectedPolicyError,
    expectedSecretArnPatterns,
    expectedSecretArnPatternsError,
  };

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

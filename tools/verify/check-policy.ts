/**
 * The policy check: `GetKeyPolicy` equals, after `normalizePolicy`, the key policy the app
 * synthesizes for this environment (rendered with the real account id); otherwise it lists the drift.
 */
import { GetKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { PolicyDocument } from '../../policy/render';
import { ExternalJsonError, parsePolicyJson } from '../lib/external-json';
import { diagnoseKmsError, isAccessDenied } from './diagnosis';
import { diffPolicies, orphanedPrincipals } from './policy-diff';
import { keyArnOrSkip, requestScope } from './scope';
import type { CheckResult, VerifyContext } from './types';

/** Check id. */
export const POLICY_CHECK = 'policy';

/** Who may run this check: administrators (`kms:Get*`); key users may not read the policy. */
export const POLICY_CHECK_NEEDS = 'kms:GetKeyPolicy (a key administrator)';

/** The check's result, and the deployed policy text when KMS returned it (the Lambda role check simulates with it). */
export interface PolicyCheckOutcome {
  readonly result: CheckResult;
  readonly deployedPolicy?: string;
}

/** Runs the policy check. */
export async function checkPolicy(kms: KMSClient, context: VerifyContext): Promise<PolicyCheckOutcome> {
  const key = keyArnOrSkip(context, POLICY_CHECK);
  if ('skipped' in key) return { result: key.skipped };
  let deployedPolicy: string | undefined;
  try {
    deployedPolicy = (await kms.send(new GetKeyPolicyCommand({ KeyId: key.keyArn, PolicyName: 'default' }))).Policy;
  } catch (error) {
    const diagnosis = diagnoseKmsError(error, requestScope(context, key.keyArn));
    if (isAccessDenied(error)) {
      const { ambiguity } = diagnosis;
      return {
        result: {
          id: POLICY_CHECK,
          status: 'skipped',
          reason: `needs ${POLICY_CHECK_NEEDS}`,
          details: ambiguity ? [ambiguity] : undefined,
        },
      };
    }
    return { result: { id: POLICY_CHECK, status: 'fail', reason: diagnosis.summary, details: diagnosis.details } };
  }
  if (deployedPolicy === undefined) {
    return { result: { id: POLICY_CHECK, status: 'fail', reason: 'kms:GetKeyPolicy answered without a policy' } };
  }
  if (!context.expectedPolicy) {
    return {
      result: {
        id: POLICY_CHECK,
        status: 'skipped',
        reason: `the expected policy could not be rendered: ${context.expectedPolicyError ?? 'unknown reason'}`,
      },
      deployedPolicy,
    };
  }
  let deployed: PolicyDocument;
  try {
    deployed = parsePolicyJson(deployedPolicy, 'the deployed key policy (kms:GetKeyPolicy)');
  } catch (error) {
    if (!(error instanceof ExternalJsonError)) throw error;
    return { result: { id: POLICY_CHECK, status: 'fail', reason: error.oneLine }, deployedPolicy };
  }
  const differences = diffPolicies(context.expectedPolicy, deployed);
  if (differences.length === 0) {
    const count = context.expectedPolicy.Statement.length;
    return {
      result: {
        id: POLICY_CHECK,
        status: 'pass',
        reason: `the deployed key policy equals the synthesized one (${count} statement${count === 1 ? '' : 's'})`,
      },
      deployedPolicy,
    };
  }
  const orphans = orphanedPrincipals(deployed);
  const hints =
    orphans.length > 0
      ? [
          `principal ${orphans.join(', ')} is an IAM unique id: the user or role it named was deleted (and maybe recreated) after the policy was set; \`npm run deploy\` puts the ARN back`,
        ]
      : [];
  return {
    result: {
      id: POLICY_CHECK,
      status: 'fail',
      reason: `the deployed key policy differs from the synthesized one (${differences.length} difference${differences.length === 1 ? '' : 's'}): changed outside Terraform, or not deployed since the config changed`,
      details: [...differences, ...hints],
    },
    deployedPolicy,
  };
}

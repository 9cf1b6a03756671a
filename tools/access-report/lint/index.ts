/** Lint before evaluating: every check, by id (the file name), and a runner. */
import type { LintProblem } from '../types';
import { actionsExist } from './actions-exist';
import { alertKeyPoliciesAgree } from './alert-key-policies-agree';
import type { LintCheck, LintInput } from './check';
import { conditionKeysExist } from './condition-keys-exist';
import { identityResources } from './identity-resources';
import { keyPolicySize } from './key-policy-size';
import { kmsGrantOperationsExist } from './kms-grant-operations-exist';
import { lockoutSafetyCheck } from './lockout-safety-check';
import { managedPoliciesKnown } from './managed-policies-known';
import { policyManageable } from './policy-manageable';

export type { LintCheck, LintInput } from './check';

/** The checks, in the order they run. */
export const LINT_CHECKS: Readonly<Record<string, LintCheck>> = {
  'actions-exist': actionsExist,
  'condition-keys-exist': conditionKeysExist,
  'identity-resources': identityResources,
  'key-policy-size': keyPolicySize,
  'lockout-safety-check': lockoutSafetyCheck,
  'policy-manageable': policyManageable,
  'managed-policies-known': managedPoliciesKnown,
  'kms-grant-operations-exist': kmsGrantOperationsExist,
  'alert-key-policies-agree': alertKeyPoliciesAgree,
};

/** Every problem every check finds. */
export async function lint(input: LintInput): Promise<LintProblem[]> {
  const problems: LintProblem[] = [];
  for (const check of Object.values(LINT_CHECKS)) problems.push(...(await check(input)));
  return problems;
}

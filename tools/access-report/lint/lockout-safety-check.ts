/** The key keeps KMS's policy lockout safety check: `bypass_policy_lockout_safety_check` is false (or unset, whose default is false). */
import type { LintCheck } from './check';

/** Flags a key that bypasses the lockout safety check. */
export const lockoutSafetyCheck: LintCheck = ({ rendered }) => {
  const value = rendered.key.bypassPolicyLockoutSafetyCheck;
  return value === false || value === undefined
    ? []
    : [{ check: 'lockout-safety-check', where: `${rendered.key.address}.bypass_policy_lockout_safety_check`, message: `is ${JSON.stringify(value)}; it must be false so that KMS refuses a policy that locks everyone out` }];
};

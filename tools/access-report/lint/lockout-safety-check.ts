/**
 * Every key keeps KMS's policy lockout safety check: `bypass_policy_lockout_safety_check` is false
 * (or unset, whose default is false). The keys made only for alerts too: a policy that locks
 * everyone out of them would leave the alerts unmanageable.
 */
import type { LintCheck } from './check';

/** Flags a key (the secrets key, or a key made only for alerts) that bypasses the lockout safety check. */
export const lockoutSafetyCheck: LintCheck = ({ rendered }) =>
  [rendered.key, ...rendered.alertKeys].flatMap(({ address, bypassPolicyLockoutSafetyCheck: value }) =>
    value === false || value === undefined
      ? []
      : [
          {
            check: 'lockout-safety-check',
            where: `${address}.bypass_policy_lockout_safety_check`,
            message: `is ${JSON.stringify(value)}; it must be false so that KMS refuses a policy that locks everyone out`,
          },
        ],
  );

/** Every managed policy attached to a created role is one the report knows has no `kms:` action. */
import { isKnownWithoutKms, MANAGED_POLICIES_WITHOUT_KMS } from '../managed-policies';
import type { LintCheck } from './check';

/** Flags managed policies whose effect on the key the report cannot evaluate. */
export const managedPoliciesKnown: LintCheck = ({ rendered }) =>
  rendered.roles.flatMap((role) =>
    role.managedPolicyArns
      .filter((arn) => !isKnownWithoutKms(arn))
      .map((arn) => ({
        check: 'managed-policies-known',
        where: role.address,
        message: `attached managed policy ${arn} is not evaluated (its document is not in the synthesized JSON); known: ${MANAGED_POLICIES_WITHOUT_KMS.join(', ')}`,
      })),
  );

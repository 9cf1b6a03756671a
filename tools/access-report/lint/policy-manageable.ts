/**
 * Some principal the key policy names, the account root (which delegates to IAM, so covers the
 * identity that deploys) or a configured administrator, may call `kms:PutKeyPolicy` without
 * conditions. The identity that deploys must be covered by one of them, or KMS refuses the policy.
 */
import { actionMatchesPattern } from '@cloud-copilot/iam-expand';
import { accountRootArn } from '../../../policy/arn';
import { asList, labelledStatements, type LintCheck } from './check';

/** Flags a key policy in which neither the account root nor an administrator may call PutKeyPolicy. */
export const policyManageable: LintCheck = ({ rendered, environment, accountId }) => {
  const managers = new Set([accountRootArn(environment.partition, accountId), accountId, ...environment.key.administrators]);
  const statements = labelledStatements(rendered.key.policy).map((s) => s.statement);
  const allowsPut = (s: (typeof statements)[number]) =>
    asList(s.Action).some((pattern) => actionMatchesPattern('kms:PutKeyPolicy', pattern));
  const principalsOf = (s: (typeof statements)[number]) =>
    s.Principal === '*' ? ['*'] : Object.values(s.Principal ?? {}).flatMap((v) => asList(v));
  const denied = statements.some(
    (s) => s.Effect === 'Deny' && s.Condition === undefined && allowsPut(s) && principalsOf(s).some((p) => p === '*' || managers.has(p)),
  );
  const allowed = statements.some(
    (s) => s.Effect === 'Allow' && s.Condition === undefined && allowsPut(s) && principalsOf(s).some((p) => managers.has(p)),
  );
  return allowed && !denied
    ? []
    : [
        {
          check: 'policy-manageable',
          where: `key policy (${rendered.key.policySource})`,
          message:
            'neither the account root nor an administrator may call kms:PutKeyPolicy without conditions; the identity that deploys would be locked out and KMS refuses such a policy',
        },
      ];
};

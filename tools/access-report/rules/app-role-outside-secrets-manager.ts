/** The roles this app creates (the Lambda role) may use the key only through Secrets Manager. */
import { type KmsGrantRule, type RiskRule, samePrincipal } from './rule';

/** Flags any direct call allowed to a role this app creates. */
export const appRoleOutsideSecretsManager: RiskRule = (cell, row) =>
  row.kind === 'app-role' && cell.context !== 'via-secretsmanager'
    ? `${row.label} may call ${cell.action} directly, not only via Secrets Manager`
    : undefined;

/**
 * Flags any KMS grant to a role this app creates: KMS honours a grant without the key policy's
 * `kms:ViaService` and `kms:EncryptionContext:SecretARN` conditions, so the role could use the key
 * directly, for any secret.
 */
export const appRoleGrantOutsideSecretsManager: KmsGrantRule = (grant, { appRoles }) => {
  const role = appRoles.find((r) => samePrincipal(r.arn, grant.granteePrincipal));
  return role !== undefined
    ? `grant ${grant.name} (${grant.address}) gives ${role.label} ${grant.operations.join(', ')}: a grant bypasses the kms:ViaService and kms:EncryptionContext:SecretARN conditions, so the role could call them directly, for any secret; allowed: no KMS grant to a role this app creates (it uses the key via Secrets Manager only)`
    : undefined;
};

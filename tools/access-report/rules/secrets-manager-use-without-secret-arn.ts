/**
 * A reader of secrets may use the key via Secrets Manager only for its own secrets: its access must
 * depend on `kms:EncryptionContext:SecretARN`, the ARN Secrets Manager puts in the encryption
 * context. Asked about a secret of no config, it must be denied. Key users are not bound to
 * secrets by design (they use the key directly, with any encryption context): a note, not a risk.
 */
import type { SecretCellRule } from './rule';

/** Flags a reader allowed via Secrets Manager for a secret of no config; notes it for a key user. */
export const secretsManagerUseWithoutSecretArn: SecretCellRule = (cell, row) => {
  if (cell.secret !== 'no-config') return undefined;
  if (row.kind === 'user') {
    return {
      severity: 'note',
      message: `${row.label} may call ${cell.action} via Secrets Manager for any secret encrypted with the key (${cell.why}): key.users are not bound to secrets; to let a principal decrypt only its own secrets, grant it with grantSecretsManagerUse and secretArnPatterns instead of listing it in key.users`,
    };
  }
  return {
    severity: 'risk',
    message: `${row.label} may call ${cell.action} via Secrets Manager for ${cell.secretArn}, a secret of no config (${cell.why}): its access does not depend on kms:EncryptionContext:SecretARN; allowed are grants with a StringLike kms:EncryptionContext:SecretARN condition naming its own secrets only (grantSecretsManagerUse with secretArnPatterns; for the Lambda role, secretNames, secretNamePrefix or secretArns)`,
  };
};

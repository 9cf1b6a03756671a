/**
 * Administrators manage the key; they must not use it for cryptography, directly, by granting
 * themselves use, or through a KMS grant made to them.
 */
import { KEY_USE_GRANT_OPERATIONS } from '../../../policy/grant-operations';
import { KEY_USE_ACTIONS, type KmsGrantRule, type RiskRule, samePrincipal } from './rule';

/** Flags cryptographic actions (and CreateGrant) allowed to an administrator. */
export const administratorUsesKey: RiskRule = (cell, row) =>
  row.kind === 'administrator' && KEY_USE_ACTIONS.includes(cell.action)
    ? `administrator ${row.label} may call ${cell.action}${cell.action === 'kms:CreateGrant' ? ', and so give itself cryptographic use' : ''}`
    : undefined;

/**
 * Flags a KMS grant that gives an administrator a key-use operation (or CreateGrant): the key
 * policy keeps administrators from using the key, and a grant would hand them that use anyway.
 */
export const administratorGrantUsesKey: KmsGrantRule = (grant, { administrators }) => {
  const administrator = administrators.find((arn) => samePrincipal(arn, grant.granteePrincipal));
  const uses = grant.operations.filter((op) => (KEY_USE_GRANT_OPERATIONS as readonly string[]).includes(op) || op === 'CreateGrant');
  return administrator !== undefined && uses.length > 0
    ? `grant ${grant.name} (${grant.address}) gives key administrator ${grant.granteePrincipal} ${uses.join(', ')}; administrators manage the key and must not use it; allowed: no key-use operation (${KEY_USE_GRANT_OPERATIONS.join(', ')}) and no CreateGrant for an administrator, so grant to another principal`
    : undefined;
};

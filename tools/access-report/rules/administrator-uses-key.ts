/** Administrators manage the key; they must not use it for cryptography, directly or by granting themselves use. */
import { KEY_USE_ACTIONS, type RiskRule } from './rule';

/** Flags cryptographic actions (and CreateGrant) allowed to an administrator. */
export const administratorUsesKey: RiskRule = (cell, row) =>
  row.kind === 'administrator' && KEY_USE_ACTIONS.includes(cell.action)
    ? `administrator ${row.label} may call ${cell.action}${cell.action === 'kms:CreateGrant' ? ', and so give itself cryptographic use' : ''}`
    : undefined;

/** The roles this app creates (the Lambda role) may use the key only through Secrets Manager. */
import type { RiskRule } from './rule';

/** Flags any direct call allowed to a role this app creates. */
export const appRoleOutsideSecretsManager: RiskRule = (cell, row) =>
  row.kind === 'app-role' && cell.context !== 'via-secretsmanager'
    ? `${row.label} may call ${cell.action} directly, not only via Secrets Manager`
    : undefined;

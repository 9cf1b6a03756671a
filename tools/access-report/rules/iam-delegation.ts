/**
 * With `--strict`, access that comes only from the account-root statement's delegation to IAM
 * counts as risky: any IAM policy in the account can then widen access to the key.
 */
import type { RiskRule } from './rule';

/** Flags cells allowed only through IAM delegation, in strict mode. */
export const iamDelegation: RiskRule = (cell, row, { strict }) =>
  strict && cell.grantPath === 'iam-delegation'
    ? `${row.label} may call ${cell.action} only because the key policy delegates to IAM (--strict)`
    : undefined;

/** Nobody outside the key's account may do anything with the key. */
import type { RiskRule } from './rule';

/** Flags any access of a principal from another account. */
export const outsideAccount: RiskRule = (cell, row, { accountId }) =>
  row.accountId !== undefined && row.accountId !== accountId
    ? `${row.label} is in account ${row.accountId}, outside ${accountId}, and may call ${cell.action}`
    : undefined;

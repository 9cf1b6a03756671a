/**
 * Nothing may be allowed to an anonymous caller. KMS rejects unsigned requests anyway, but an
 * evaluator that allows one shows a statement with `Principal: "*"` that a policy should not have.
 */
import type { RiskRule } from './rule';

/** Flags any access of the anonymous caller. */
export const anonymousAllowed: RiskRule = (cell, row) =>
  row.kind === 'anonymous' ? `an anonymous caller may call ${cell.action}` : undefined;

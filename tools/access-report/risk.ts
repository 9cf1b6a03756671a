/**
 * Applies the risk rules to every cell. Cells of the hypothetical "unnamed role + IAM kms:*" row
 * that only IAM delegation allows are shown with their findings but waived (not counted) unless
 * `--strict`: that row demonstrates what the account-root statement delegates, not a policy of
 * this app. The app's own roles get no such waiver: their identity policies are under review.
 */
import { RISK_RULES, type RuleContext } from './rules';
import type { AssessedCell, Cell, PrincipalRow } from './types';

/** The cells with their findings. */
export function assessCells(cells: readonly Cell[], rows: readonly PrincipalRow[], context: RuleContext): AssessedCell[] {
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  return cells.map((cell) => {
    const row = byLabel.get(cell.principal);
    if (row === undefined) throw new Error(`cell for unknown principal ${cell.principal}`);
    const findings =
      cell.decision === 'Denied'
        ? []
        : Object.entries(RISK_RULES).flatMap(([rule, check]) => {
            const message = check(cell, row, context);
            return message === undefined ? [] : [{ rule, message }];
          });
    const waived = findings.length > 0 && !context.strict && row.kind === 'unnamed-role-with-iam' && cell.grantPath === 'iam-delegation';
    return { ...cell, findings, risky: findings.length > 0 && !waived, waived };
  });
}

/**
 * The readable form: per environment, a grid (rows: principal and context; columns: actions) and,
 * under it, why each cell came out as it did, grouped so that one reason is printed once.
 */
import { MATRIX_ACTIONS } from './matrix';
import type { EnvironmentReport } from './report';
import type { AssessedCell, ContextId } from './types';

/** Column headings: the action without `kms:`, shortened to keep the grid narrow. */
const SHORT: Readonly<Record<string, string>> = {
  'kms:GenerateDataKey': 'GenDataKey',
  'kms:GenerateDataKeyWithoutPlaintext': 'GenDataKeyNoPt',
  'kms:ReEncryptFrom': 'ReEncFrom',
  'kms:ScheduleKeyDeletion': 'SchedDelete',
  'kms:EnableKeyRotation': 'EnableRot',
  'kms:DisableKeyRotation': 'DisableRot',
  'kms:RotateKeyOnDemand': 'RotateNow',
};

const CONTEXT_LABEL: Readonly<Record<ContextId, string>> = { direct: 'direct', 'via-secretsmanager': 'via secretsmanager' };

/** The symbol of a cell in the grid. */
export function cellSymbol(cell: AssessedCell): string {
  const base = cell.decision === 'Denied' ? '.' : cell.decision === 'Conditional' ? 'C' : cell.grantPath === 'iam-delegation' ? 'I' : 'A';
  return `${base}${cell.risky ? '!' : cell.waived ? '~' : ''}`;
}

/** The legend printed under each grid. */
export const LEGEND =
  'A allowed by a key-policy statement naming the principal · I allowed through IAM delegation (account-root statement) · C allowed for some encryption contexts · . denied · ! risky · ~ would be risky, waived (hypothetical IAM policy; --strict counts it)';

function grid(report: EnvironmentReport): string[] {
  const headings = MATRIX_ACTIONS.map((a) => SHORT[a] ?? a.replace(/^kms:/, ''));
  const labels = report.rows.flatMap((row) => Object.values(CONTEXT_LABEL).map((ctx) => `${row.label} · ${ctx}`));
  const first = Math.max(...labels.map((l) => l.length));
  const lines = [[''.padEnd(first), ...headings].join('  ')];
  for (const row of report.rows) {
    for (const [context, label] of Object.entries(CONTEXT_LABEL)) {
      const symbols = MATRIX_ACTIONS.map((action, i) => {
        const cell = report.cells.find((c) => c.principal === row.label && c.action === action && c.context === context);
        return (cell ? cellSymbol(cell) : '?').padEnd(headings[i].length);
      });
      lines.push([`${row.label} · ${label}`.padEnd(first), ...symbols].join('  ').trimEnd());
    }
  }
  return lines;
}

function reasons(report: EnvironmentReport): string[] {
  const lines: string[] = [];
  for (const row of report.rows) {
    lines.push(`  ${row.label}${row.arn ? ` (${row.arn})` : ''}`);
    const groups = new Map<string, AssessedCell[]>();
    for (const cell of report.cells.filter((c) => c.principal === row.label)) {
      const key = `${cell.decision}\u0000${cell.context}\u0000${cell.why}`;
      groups.set(key, [...(groups.get(key) ?? []), cell]);
    }
    for (const cells of groups.values()) {
      const { decision, context, why } = cells[0];
      lines.push(`    ${decision} ${CONTEXT_LABEL[context]}: ${cells.map((c) => c.action.replace(/^kms:/, '')).join(', ')}: ${why}`);
    }
  }
  return lines;
}

/** The whole readable report of one environment. */
export function formatEnvironment(report: EnvironmentReport): string {
  const { placeholders } = report;
  const out = [
    `Environment ${report.environment}: account ${placeholders.accountId}${report.placeholderAccount ? ' (placeholder: the config leaves it to the deploying credentials)' : ''}, key ${placeholders.keyArn} (placeholder)`,
  ];
  if (report.lint.length > 0) {
    out.push('Lint problems (the policies were not evaluated):');
    for (const p of report.lint) out.push(`  [${p.check}] ${p.where}: ${p.message}`);
  } else {
    out.push('', ...grid(report), '', LEGEND, '', 'Why:', ...reasons(report));
    const risky = report.cells.filter((c) => c.risky);
    if (risky.length > 0) {
      out.push('', `Risky cells (${risky.length}):`);
      for (const c of risky) for (const f of c.findings) out.push(`  [${f.rule}] ${c.action} ${CONTEXT_LABEL[c.context]}: ${f.message}`);
    }
    if (report.secretFindings.length > 0) {
      out.push('', `Roles that can read every secret (${report.secretFindings.length}):`);
      for (const f of report.secretFindings) out.push(`  [${f.rule}] ${f.message}`);
    }
    if (report.waivedCells > 0) out.push('', `${report.waivedCells} cells of the hypothetical "unnamed role + IAM kms:*" row are allowed only through IAM delegation; shown, not counted (--strict counts them).`);
    out.push('', `Evaluated ${report.cells.length} cells in ${report.evaluationMs.toFixed(0)} ms.`);
  }
  if (report.plan) {
    out.push(report.plan.agrees ? `Plan: ${report.plan.file}: the planned key policy agrees with the rendering.` : `Plan: ${report.plan.file}: the planned key policy DIFFERS from the rendering:`);
    if (!report.plan.agrees) out.push(`  rendered: ${JSON.stringify(report.plan.rendered)}`, `  planned:  ${JSON.stringify(report.plan.planned)}`);
  }
  out.push(report.ok ? 'Result: OK' : 'Result: FAILED');
  return out.join('\n');
}

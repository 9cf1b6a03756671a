/**
 * The readable form: per environment, a grid (rows: principal and context; columns: actions) and,
 * under it, why each cell came out as it did, grouped so that one reason is printed once; then the
 * same for the cells by secret (rows: principal and secret); then the KMS grants, one row each.
 */
import { MATRIX_ACTIONS } from './matrix';
import type { EnvironmentReport } from './report';
import { EXAMPLE_SECRET_VERSION_ID, SECRET_CELL_ACTIONS } from './secret-cells';
import type { AssessedCell, AssessedKmsGrant, AssessedSecretCell, ContextId, KmsGrantConstraint, SecretKind } from './types';

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

const heading = (action: string) => SHORT[action] ?? action.replace(/^kms:/, '');

const SECRET_LABEL: Readonly<Record<SecretKind, string>> = { own: 'own secret', 'no-config': 'secret of no config' };

/** The symbol of a cell by secret in its grid: never `C`, since these cells are exact. */
export function secretCellSymbol(cell: AssessedSecretCell): string {
  const base = cell.decision === 'Denied' ? '.' : cell.grantPath === 'iam-delegation' ? 'I' : 'A';
  return `${base}${cell.risky ? '!' : cell.notes.length > 0 ? '*' : ''}`;
}

/** The legend printed under the grid of cells by secret. */
export const SECRET_LEGEND =
  'A allowed by a key-policy statement naming the principal · I allowed through IAM delegation (account-root statement) · . denied · ! risky · * noted, not counted (key users are not bound to secrets)';

/** `tutorial/x-AbC123` from `arn:aws:secretsmanager:...:secret:tutorial/x-AbC123`. */
function secretName(arn: string): string {
  const at = arn.indexOf(':secret:');
  return at < 0 ? arn : arn.slice(at + ':secret:'.length);
}

function grid(report: EnvironmentReport): string[] {
  const headings = MATRIX_ACTIONS.map(heading);
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

/** One grid line per reader and secret, in the order the cells were evaluated. */
function secretGrid(report: EnvironmentReport): string[] {
  const headings = SECRET_CELL_ACTIONS.map(heading);
  const lines = new Map<string, AssessedSecretCell[]>();
  for (const cell of report.secretCells) {
    const label = `${cell.principal} · ${SECRET_LABEL[cell.secret]} ${secretName(cell.secretArn)}`;
    lines.set(label, [...(lines.get(label) ?? []), cell]);
  }
  const first = Math.max(...[...lines.keys()].map((l) => l.length));
  const out = [[''.padEnd(first), ...headings].join('  ')];
  for (const [label, cells] of lines) {
    const symbols = SECRET_CELL_ACTIONS.map((action, i) => {
      const cell = cells.find((c) => c.action === action);
      return (cell ? secretCellSymbol(cell) : '?').padEnd(headings[i].length);
    });
    out.push([label.padEnd(first), ...symbols].join('  ').trimEnd());
  }
  return out;
}

function secretReasons(report: EnvironmentReport): string[] {
  const lines: string[] = [];
  for (const principal of [...new Set(report.secretCells.map((c) => c.principal))]) {
    lines.push(`  ${principal}`);
    const groups = new Map<string, AssessedSecretCell[]>();
    for (const cell of report.secretCells.filter((c) => c.principal === principal)) {
      const key = `${cell.decision}\u0000${cell.secretArn}\u0000${cell.why}`;
      groups.set(key, [...(groups.get(key) ?? []), cell]);
    }
    for (const cells of groups.values()) {
      const { decision, secret, secretArn, why } = cells[0];
      lines.push(`    ${decision} ${SECRET_LABEL[secret]} ${secretArn}: ${cells.map((c) => c.action.replace(/^kms:/, '')).join(', ')}: ${why}`);
    }
  }
  return lines;
}

function secretSection(report: EnvironmentReport): string[] {
  if (report.secretCells.length === 0) return [];
  return [
    '',
    `By secret, via Secrets Manager, with the encryption context Secrets Manager sends: {"SecretARN": <the secret's ARN>, "SecretVersionId": "${EXAMPLE_SECRET_VERSION_ID}"} (exact):`,
    '',
    ...secretGrid(report),
    '',
    SECRET_LEGEND,
    '',
    'Why, by secret:',
    ...secretReasons(report),
  ];
}

/** The heading of the KMS grants section: grants are not policies, and the evaluator does not see them. */
export const KMS_GRANTS_HEADING = 'KMS grants (evaluated by KMS outside IAM and key policies; not simulated)';

/** A constraint block in words, with its map as JSON (so a `__proto__` key shows as one). */
function constraintText(constraint: KmsGrantConstraint): string {
  const parts = [
    constraint.encryptionContextEquals && `EncryptionContextEquals ${JSON.stringify(constraint.encryptionContextEquals)}`,
    constraint.encryptionContextSubset && `EncryptionContextSubset ${JSON.stringify(constraint.encryptionContextSubset)}`,
  ];
  return parts.filter((p) => p !== undefined).join(' and ') || 'none';
}

/** One row per grant: name (`!` when risky), grantee, operations, constraints, retiring principal. */
function kmsGrantRows(grants: readonly AssessedKmsGrant[]): string[] {
  const table = [
    ['name', 'grantee', 'operations', 'constraints', 'retiring principal'],
    ...grants.map((g) => [
      `${g.name}${g.key.startsWith('aws_kms_key.') ? '' : ` (on ${g.key})`}${g.risky ? '!' : ''}`,
      g.granteePrincipal,
      g.operations.join(', '),
      g.constraints.length === 0 ? 'none' : g.constraints.map(constraintText).join('; '),
      g.retiringPrincipal ?? 'none',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => `  ${row.map((text, i) => text.padEnd(widths[i])).join('  ')}`.trimEnd());
}

function kmsGrantSection(report: EnvironmentReport): string[] {
  if (report.kmsGrants.length === 0) return ['', `${KMS_GRANTS_HEADING}: none.`];
  const out = ['', `${KMS_GRANTS_HEADING}:`, ...kmsGrantRows(report.kmsGrants)];
  const risky = report.kmsGrants.filter((g) => g.risky);
  if (risky.length > 0) {
    out.push('', `Risky KMS grants (${risky.length}):`);
    for (const g of risky) for (const f of g.findings) out.push(`  [${f.rule}] ${f.message}`);
  }
  return out;
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
    out.push(...kmsGrantSection(report));
  } else {
    out.push('', ...grid(report), '', LEGEND, '', 'Why:', ...reasons(report), ...secretSection(report), ...kmsGrantSection(report));
    const risky = report.cells.filter((c) => c.risky);
    const riskyBySecret = report.secretCells.filter((c) => c.risky);
    if (risky.length + riskyBySecret.length > 0) {
      out.push('', `Risky cells (${risky.length + riskyBySecret.length}):`);
      for (const c of risky) for (const f of c.findings) out.push(`  [${f.rule}] ${c.action} ${CONTEXT_LABEL[c.context]}: ${f.message}`);
      for (const c of riskyBySecret) for (const f of c.findings) out.push(`  [${f.rule}] ${c.action} ${CONTEXT_LABEL[c.context]} for ${secretName(c.secretArn)}: ${f.message}`);
    }
    if (report.notes.length > 0) {
      out.push('', `Notes (${report.notes.length}), shown, not counted:`);
      for (const n of report.notes) out.push(`  [${n.rule}] ${n.message}`);
    }
    if (report.secretFindings.length > 0) {
      out.push('', `Roles that can read every secret (${report.secretFindings.length}):`);
      for (const f of report.secretFindings) out.push(`  [${f.rule}] ${f.message}`);
    }
    if (report.waivedCells > 0) out.push('', `${report.waivedCells} cells of the hypothetical "unnamed role + IAM kms:*" row are allowed only through IAM delegation; shown, not counted (--strict counts them).`);
    const count = report.cells.length + report.secretCells.length;
    out.push('', `Evaluated ${count} cells in ${report.evaluationMs.toFixed(0)} ms (${report.cells.length} in the matrix, ${report.secretCells.length} by secret).`);
  }
  if (report.replicaKeys.length > 0) {
    out.push(`Not evaluated: the replica keys ${report.replicaKeys.join(', ')} (their policies are the primary's, moved to their regions; terraform plan shows them).`);
  }
  if (report.plan) {
    out.push(report.plan.agrees ? `Plan: ${report.plan.file}: the planned key policy agrees with the rendering.` : `Plan: ${report.plan.file}: the planned key policy DIFFERS from the rendering:`);
    if (!report.plan.agrees) out.push(`  rendered: ${JSON.stringify(report.plan.rendered)}`, `  planned:  ${JSON.stringify(report.plan.planned)}`);
  }
  out.push(report.ok ? 'Result: OK' : 'Result: FAILED');
  return out.join('\n');
}

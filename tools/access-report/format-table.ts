/**
 * The readable form: per environment, a grid (rows: principal and context; columns: actions) and,
 * under it, why each cell came out as it did, grouped so that one reason is printed once; then the
 * same for the cells by secret (rows: principal and secret); then the KMS grants, one row each; then
 * the key made only for alerts: who its policy names, and its own smaller grid.
 */
import { type AwsStatement, statementsOf } from '../../policy/render';
import { ALERT_KEY_ACTIONS, type AlertKeyReport } from './alert-key';
import { MATRIX_ACTIONS } from './matrix';
import type { EnvironmentReport } from './report';
import { EXAMPLE_SECRET_VERSION_ID, SECRET_CELL_ACTIONS } from './secret-cells';
import type { AssessedCell, AssessedKmsGrant, AssessedSecretCell, ContextId, KmsGrantConstraint, PolicyFinding, SecretKind } from './types';

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

function reasons(report: Pick<EnvironmentReport, 'rows' | 'cells'>): string[] {
  const lines: string[] = [];
  for (const row of report.rows) {
    // A service row's label already names the service, its "ARN".
    lines.push(`  ${row.label}${row.arn && !row.label.endsWith(row.arn) ? ` (${row.arn})` : ''}`);
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
      lines.push(
        `    ${decision} ${SECRET_LABEL[secret]} ${secretArn}: ${cells.map((c) => c.action.replace(/^kms:/, '')).join(', ')}: ${why}`,
      );
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
  return columns(table);
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

/** A table of rows of text, columns padded, each line indented by two spaces. */
function columns(table: readonly (readonly string[])[]): string[] {
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  return table.map((row) => `  ${row.map((text, i) => text.padEnd(widths[i])).join('  ')}`.trimEnd());
}

/** Who a statement names, in words: `AWS arn:...:root`, `Service events.amazonaws.com`. */
function principalText(statement: AwsStatement): string {
  if (statement.Principal === undefined) return 'none';
  if (statement.Principal === '*') return '*';
  return Object.entries(statement.Principal)
    .flatMap(([type, values]) => [values].flat().map((value) => `${type} ${value}`))
    .join(', ');
}

/** A statement's conditions in words, or `none`. */
function conditionsText(statement: AwsStatement): string {
  const parts = Object.entries(statement.Condition ?? {}).flatMap(([operator, byKey]) =>
    Object.entries(byKey).map(([key, values]) => `${operator} ${key} ${[values].flat().join('|')}`),
  );
  return parts.join(' and ') || 'none';
}

/** The alert key's grid: one line per row (one context, a direct call), one column per action. */
function alertGrid(alert: AlertKeyReport): string[] {
  const headings = ALERT_KEY_ACTIONS.map(heading);
  const first = Math.max(...alert.rows.map((row) => row.label.length));
  const lines = [[''.padEnd(first), ...headings].join('  ')];
  for (const row of alert.rows) {
    const symbols = ALERT_KEY_ACTIONS.map((action, i) => {
      const cell = alert.cells.find((c) => c.principal === row.label && c.action === action);
      return (cell ? cellSymbol(cell) : '?').padEnd(headings[i].length);
    });
    lines.push([row.label.padEnd(first), ...symbols].join('  ').trimEnd());
  }
  return lines;
}

/** The heading of the alert key's section. */
export const ALERT_KEY_HEADING = 'Alert key (made only for alerts: it encrypts the alert topic)';

/** The key made only for alerts: which key, who its policy names, and (when evaluated) its grid and reasons. */
function alertKeySection(alert: AlertKeyReport | undefined): string[] {
  if (alert === undefined) return [];
  const others = alert.replicaAlertKeys.map((k) => `${k.address} (${k.region})`).join(', ');
  const out = [
    '',
    `${ALERT_KEY_HEADING}: ${alert.address} in ${alert.region}, key ${alert.keyArn} (placeholder), policy ${alert.policySource}.`,
  ];
  if (others) out.push(`The alert keys of the other regions have the same statements (checked), so they are not evaluated: ${others}.`);
  out.push(
    'Named in its policy:',
    ...columns([
      // Actions last: the administrators' list is long, and the columns before it stay aligned.
      ['statement', 'effect', 'principal', 'conditions', 'actions'],
      ...statementsOf(alert.policy).map((s, i) => [
        s.Sid ?? `statement #${i + 1}`,
        s.Effect,
        principalText(s),
        conditionsText(s),
        [s.Action].flat().join(', '),
      ]),
    ]),
  );
  if (alert.cells.length === 0) return out;
  return [
    ...out,
    '',
    'Who may do what on it (a direct call):',
    '',
    ...alertGrid(alert),
    '',
    LEGEND,
    '',
    'Why, alert key:',
    ...reasons(alert),
  ];
}

/** The findings of the key-policy rules, one line each; nothing when there are none. */
function policyFindingLines(findings: readonly PolicyFinding[]): string[] {
  if (findings.length === 0) return [];
  return [
    '',
    `Risky key-policy statements (${findings.length}):`,
    ...findings.map((f) => `  [${f.rule}] ${f.where} ${f.statement}: ${f.message}`),
  ];
}

/** Every key-policy finding of the environment: the secrets key's (and its replicas'), then the alert keys'. */
function allPolicyFindings(report: EnvironmentReport): PolicyFinding[] {
  return [...report.keyPolicyFindings, ...(report.alertKey?.policyFindings ?? [])];
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
    out.push(...kmsGrantSection(report), ...alertKeySection(report.alertKey), ...policyFindingLines(allPolicyFindings(report)));
  } else {
    out.push(
      '',
      ...grid(report),
      '',
      LEGEND,
      '',
      'Why:',
      ...reasons(report),
      ...secretSection(report),
      ...kmsGrantSection(report),
      ...alertKeySection(report.alertKey),
    );
    const risky = report.cells.filter((c) => c.risky);
    const riskyBySecret = report.secretCells.filter((c) => c.risky);
    if (risky.length + riskyBySecret.length > 0) {
      out.push('', `Risky cells (${risky.length + riskyBySecret.length}):`);
      for (const c of risky) for (const f of c.findings) out.push(`  [${f.rule}] ${c.action} ${CONTEXT_LABEL[c.context]}: ${f.message}`);
      for (const c of riskyBySecret)
        for (const f of c.findings)
          out.push(`  [${f.rule}] ${c.action} ${CONTEXT_LABEL[c.context]} for ${secretName(c.secretArn)}: ${f.message}`);
    }
    const riskyOfAlertKey = report.alertKey?.cells.filter((c) => c.risky) ?? [];
    if (riskyOfAlertKey.length > 0) {
      out.push('', `Risky cells of the alert key (${riskyOfAlertKey.length}):`);
      for (const c of riskyOfAlertKey) for (const f of c.findings) out.push(`  [${f.rule}] ${c.action}: ${f.message}`);
    }
    out.push(...policyFindingLines(allPolicyFindings(report)));
    if (report.notes.length > 0) {
      out.push('', `Notes (${report.notes.length}), shown, not counted:`);
      for (const n of report.notes) out.push(`  [${n.rule}] ${n.message}`);
    }
    if (report.secretFindings.length > 0) {
      out.push('', `Roles that can read every secret (${report.secretFindings.length}):`);
      for (const f of report.secretFindings) out.push(`  [${f.rule}] ${f.message}`);
    }
    if (report.waivedCells > 0)
      out.push(
        '',
        `${report.waivedCells} cells of the hypothetical "unnamed role + IAM kms:*" row are allowed only through IAM delegation; shown, not counted (--strict counts them).`,
      );
    const waivedOfAlertKey = report.alertKey?.waivedCells ?? 0;
    if (waivedOfAlertKey > 0)
      out.push(`${waivedOfAlertKey} cells of that row on the alert key are too; shown, not counted (--strict counts them).`);
    const alertCells = report.alertKey?.cells.length ?? 0;
    const count = report.cells.length + report.secretCells.length + alertCells;
    const parts = [
      `${report.cells.length} in the matrix`,
      `${report.secretCells.length} by secret`,
      ...(report.alertKey ? [`${alertCells} for the alert key`] : []),
    ];
    out.push('', `Evaluated ${count} cells in ${report.evaluationMs.toFixed(0)} ms (${parts.join(', ')}).`);
  }
  if (report.replicaKeys.length > 0) {
    out.push(
      `Not evaluated: the replica keys ${report.replicaKeys.join(', ')} (their policies are the primary's, moved to their regions; terraform plan shows them).`,
    );
  }
  if (report.plan) {
    out.push(
      report.plan.agrees
        ? `Plan: ${report.plan.file}: the planned key policy agrees with the rendering.`
        : `Plan: ${report.plan.file}: the planned key policy DIFFERS from the rendering:`,
    );
    if (!report.plan.agrees)
      out.push(`  rendered: ${JSON.stringify(report.plan.rendered)}`, `  planned:  ${JSON.stringify(report.plan.planned)}`);
  }
  out.push(report.ok ? 'Result: OK' : 'Result: FAILED');
  return out.join('\n');
}

/**
 * Applies the risk rules to every cell, and the grant rules to every KMS grant. Cells of the hypothetical "unnamed role + IAM kms:*" row
 * that only IAM delegation allows are shown with their findings but waived (not counted) unless
 * `--strict`: that row demonstrates what the account-root statement delegates, not a policy of
 * this app. The app's own roles get no such waiver: their identity policies are under review.
 */
import type { EnvironmentConfig } from '../../config/schema';
import { type PolicyDocument, statementsOf } from '../../policy/render';
import { labelledStatements } from './lint/check';
import {
  type KeyPolicyRule,
  type KeyPolicyRuleContext,
  KMS_GRANT_RULES,
  type KmsGrantRuleContext,
  RISK_RULES,
  type RiskRule,
  type RuleContext,
  SECRET_CELL_RULES,
} from './rules';
import type {
  AssessedCell,
  AssessedKmsGrant,
  AssessedSecretCell,
  Cell,
  KmsGrant,
  PolicyFinding,
  PrincipalRow,
  RiskFinding,
  SecretCell,
} from './types';

function rowOf(byLabel: ReadonlyMap<string, PrincipalRow>, cell: Cell): PrincipalRow {
  const row = byLabel.get(cell.principal);
  if (row === undefined) throw new Error(`cell for unknown principal ${cell.principal}`);
  return row;
}

/** The cells with their findings under `rules` (the secrets key's matrix: RISK_RULES). */
export function assessCells(
  cells: readonly Cell[],
  rows: readonly PrincipalRow[],
  context: RuleContext,
  rules: Readonly<Record<string, RiskRule>> = RISK_RULES,
): AssessedCell[] {
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  return cells.map((cell) => {
    const row = rowOf(byLabel, cell);
    const findings =
      cell.decision === 'Denied'
        ? []
        : Object.entries(rules).flatMap(([rule, check]) => {
            const message = check(cell, row, context);
            return message === undefined ? [] : [{ rule, message }];
          });
    const waived = findings.length > 0 && !context.strict && row.kind === 'unnamed-role-with-iam' && cell.grantPath === 'iam-delegation';
    return { ...cell, findings, risky: findings.length > 0 && !waived, waived };
  });
}

/** The cells by secret with their risks and notes (a rule decides which a finding is). */
export function assessSecretCells(cells: readonly SecretCell[], rows: readonly PrincipalRow[]): AssessedSecretCell[] {
  const byLabel = new Map(rows.map((row) => [row.label, row]));
  return cells.map((cell) => {
    const row = rowOf(byLabel, cell);
    const found =
      cell.decision === 'Denied'
        ? []
        : Object.entries(SECRET_CELL_RULES).flatMap(([rule, check]) => {
            const finding = check(cell, row);
            return finding === undefined ? [] : [{ rule, ...finding }];
          });
    const pick = (severity: 'risk' | 'note'): RiskFinding[] =>
      found.filter((f) => f.severity === severity).map(({ rule, message }) => ({ rule, message }));
    const findings = pick('risk');
    return { ...cell, findings, notes: pick('note'), risky: findings.length > 0 };
  });
}

/** The `Sid` of the key-policy statement that names the key's administrators. */
export const KEY_ADMINISTRATORS_SID = 'KeyAdministrators';

/**
 * What the grant rules know: the administrators from the config and from the key policy as
 * synthesized (every principal its `KeyAdministrators` statements name, so an administrator added
 * between config and stack counts too), and the roles this app creates.
 */
export function kmsGrantRuleContext(
  environment: EnvironmentConfig,
  keyPolicy: PolicyDocument,
  rows: readonly PrincipalRow[],
): KmsGrantRuleContext {
  const named = statementsOf(keyPolicy)
    .filter((s) => s.Sid === KEY_ADMINISTRATORS_SID)
    .flatMap((s) => {
      const aws = s.Principal === undefined || s.Principal === '*' ? undefined : s.Principal.AWS;
      return aws === undefined ? [] : typeof aws === 'string' ? [aws] : aws;
    });
  return {
    administrators: [...new Set([...environment.key.administrators, ...named])],
    appRoles: rows.flatMap((row) => (row.kind === 'app-role' && row.arn !== undefined ? [{ label: row.label, arn: row.arn }] : [])),
  };
}

/** The KMS grants with their findings; any finding makes a grant risky. */
export function assessKmsGrants(grants: readonly KmsGrant[], context: KmsGrantRuleContext): AssessedKmsGrant[] {
  return grants.map((grant) => {
    const findings = Object.entries(KMS_GRANT_RULES).flatMap(([rule, check]) => {
      const message = check(grant, context);
      return message === undefined ? [] : [{ rule, message }];
    });
    return { ...grant, findings, risky: findings.length > 0 };
  });
}

/** A key's policy to check statement by statement, with where it comes from for messages. */
export interface KeyPolicySource {
  /** The key's address and the data source its policy is rendered from. */
  readonly where: string;
  readonly policy: PolicyDocument;
}

/** What the key-policy rules find in every statement of the given policies; any finding fails the report. */
export function assessKeyPolicies(
  policies: readonly KeyPolicySource[],
  rules: Readonly<Record<string, KeyPolicyRule>>,
  context: KeyPolicyRuleContext,
): PolicyFinding[] {
  return policies.flatMap(({ where, policy }) =>
    labelledStatements(policy).flatMap((statement) =>
      Object.entries(rules).flatMap(([rule, check]) => {
        const message = check(statement, context);
        return message === undefined ? [] : [{ rule, where, statement: statement.label, message }];
      }),
    ),
  );
}

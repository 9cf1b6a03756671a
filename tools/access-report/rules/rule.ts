/** The shape every risk rule has: one pure function of a cell and its row, of a KMS grant, or of a key-policy statement. */
import type { AwsStatement } from '../../../policy/render';
import type { Cell, KmsGrant, PrincipalRow, SecretCell } from '../types';

/** What rules may know beyond the cell. */
export interface RuleContext {
  /** The key's account. */
  readonly accountId: string;
  /** `--strict`: cells allowed only through IAM delegation count as risky. */
  readonly strict: boolean;
}

/** A risk rule: a message when the cell is risky, undefined otherwise. Only called for cells not Denied. */
export type RiskRule = (cell: Cell, row: PrincipalRow, context: RuleContext) => string | undefined;

/** What a rule on a cell by secret found: a risk fails the report, a note is only shown. */
export interface SecretCellFinding {
  readonly severity: 'risk' | 'note';
  readonly message: string;
}

/** A rule on a cell by secret (one with an encryption context). Only called for cells not Denied. */
export type SecretCellRule = (cell: SecretCell, row: PrincipalRow) => SecretCellFinding | undefined;

/** What grant rules may know beyond the grant. */
export interface KmsGrantRuleContext {
  /** The key's administrators: `key.administrators` and every principal the key policy's `KeyAdministrators` statement names. */
  readonly administrators: readonly string[];
  /** The roles this app creates (the app-role rows), by label and ARN. */
  readonly appRoles: readonly { readonly label: string; readonly arn: string }[];
}

/**
 * A rule on a KMS grant: a message when the grant is risky, undefined otherwise. KMS evaluates
 * grants outside IAM and key policies, so these rules read the grant itself; nothing is simulated.
 */
export type KmsGrantRule = (grant: KmsGrant, context: KmsGrantRuleContext) => string | undefined;

/** What key-policy rules may know beyond the statement. */
export interface KeyPolicyRuleContext {
  readonly partition: string;
  /** The key's account. */
  readonly accountId: string;
  /** The key's administrators (`key.administrators`), who administer the key made only for alerts too. */
  readonly administrators: readonly string[];
}

/** A statement of a key policy with its label: its `Sid`, or `statement #n`. */
export interface LabelledStatement {
  readonly label: string;
  readonly statement: AwsStatement;
}

/**
 * A rule on one key-policy statement, read as written (nothing simulated): a message when the
 * statement is risky, undefined otherwise. For what no matrix row stands for, such as a service
 * principal in the secrets key's policy.
 */
export type KeyPolicyRule = (statement: LabelledStatement, context: KeyPolicyRuleContext) => string | undefined;

/** One principal a statement names: its type (`AWS`, `Service`, ...) and value. */
export interface NamedPrincipal {
  readonly type: string;
  readonly value: string;
}

/** Every principal a statement names; `Principal: "*"` is `AWS *`, as AWS reads it. */
export function namedPrincipals(statement: AwsStatement): NamedPrincipal[] {
  if (statement.Principal === undefined) return [];
  if (statement.Principal === '*') return [{ type: 'AWS', value: '*' }];
  return Object.entries(statement.Principal).flatMap(([type, values]) => [values].flat().map((value) => ({ type, value })));
}

/** A statement's actions as a list: AWS also accepts a single string. */
export function actionsOf(statement: AwsStatement): string[] {
  return [statement.Action].flat();
}

/**
 * True when two IAM principal ARNs name the same principal as far as a rule can tell. Compared
 * without case: IAM names are unique without case, so a grantee written in another case is the same
 * user or role (and over-matching only makes a rule stricter).
 */
export function samePrincipal(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Management actions that change who may use the key or whether it can be used at all. */
export const KEY_CONTROL_ACTIONS: readonly string[] = ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:DisableKey', 'kms:ScheduleKeyDeletion'];

/** Actions that use the key, or (CreateGrant) let the caller give itself that use. */
export const KEY_USE_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:CreateGrant',
];

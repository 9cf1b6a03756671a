/** Plain data shared by the access report's modules: who is asked, what, in which context, and the answer. */
import type { PolicyDocument } from '../../policy/render';

/** What a row of the matrix stands for. */
export type PrincipalKind =
  /** Named in `key.administrators`; simulated with no identity policy. */
  | 'administrator'
  /** Named in `key.users`; simulated with no identity policy. */
  | 'user'
  /** An IAM role this app creates, with the identity policies this app gives it. */
  | 'app-role'
  /**
   * A principal that a key-policy statement lets use the key via Secrets Manager (a
   * `grantSecretsManagerUse` grantee) and no other row stands for; simulated with no identity policy.
   */
  | 'secrets-manager-grantee'
  /** A role in the key's account that the key policy does not name, with no identity policy. */
  | 'unnamed-role'
  /** The same role with an IAM policy allowing `kms:*`: shows what the account-root statement delegates. */
  | 'unnamed-role-with-iam'
  /** A role in another account with an IAM policy allowing `kms:*`. */
  | 'other-account'
  /** An unsigned caller. */
  | 'anonymous'
  /**
   * An AWS service principal (`events.amazonaws.com`), asked about the key made only for alerts
   * only: the secrets key's policy names no service. Simulated with no identity policy.
   */
  | 'service-principal';

/** An identity policy as the evaluator receives it. */
export interface NamedPolicy {
  /** Policy name, e.g. the `aws_iam_role_policy` name, or a label for a hypothetical policy. */
  readonly name: string;
  readonly document: PolicyDocument;
}

/** One row of the matrix. */
export interface PrincipalRow {
  /** Short label shown in the table, unique within the environment. */
  readonly label: string;
  readonly kind: PrincipalKind;
  /** IAM ARN of the caller; the service's name for a service principal; undefined for the anonymous caller. */
  readonly arn: string | undefined;
  /** Account of the caller; undefined for the anonymous caller. */
  readonly accountId: string | undefined;
  readonly identityPolicies: readonly NamedPolicy[];
}

/** A request context: the keys KMS would put in the request, which the evaluator never fills in itself. */
export type ContextId = 'direct' | 'via-secretsmanager';

/** Final answer of one cell. `Conditional`: allowed for some encryption contexts only. */
export type Decision = 'Allowed' | 'Denied' | 'Conditional';

/** How an allowed cell got its access. */
export type GrantPath =
  /** A key-policy statement names the principal (or `*`) and matched. */
  | 'key-policy'
  /** Only the account statement matched: access comes from the principal's IAM policies. */
  | 'iam-delegation'
  | 'none';

/** One evaluated cell: principal x action x context. */
export interface Cell {
  readonly principal: string;
  readonly action: string;
  readonly context: ContextId;
  readonly decision: Decision;
  readonly grantPath: GrantPath;
  /** Which statement allowed or why nothing did, in words. */
  readonly why: string;
  /**
   * The encryption context the request carried, when it carried one: then the cell is exact.
   * Matrix cells carry none (their encryption-context conditions give a range, see `Conditional`).
   */
  readonly encryptionContext?: Readonly<Record<string, string>>;
}

/** Which secret a cell by secret asks about. */
export type SecretKind =
  /** One of the reader's own secrets: expected allowed. */
  | 'own'
  /** A secret of no config (see `secret-probes.ts`): expected denied. */
  | 'no-config';

/**
 * A cell by secret: kms:Decrypt or kms:GenerateDataKey via Secrets Manager with the encryption
 * context Secrets Manager sends for one secret (`SecretARN`, `SecretVersionId`).
 */
export interface SecretCell extends Cell {
  readonly context: 'via-secretsmanager';
  readonly encryptionContext: Readonly<Record<string, string>>;
  readonly secret: SecretKind;
  /** The secret's ARN (the context's `SecretARN`). */
  readonly secretArn: string;
}

/** A risk rule's finding on one cell. */
export interface RiskFinding {
  /** Rule id, the file name in `rules/`. */
  readonly rule: string;
  readonly message: string;
}

/**
 * A key-policy rule's finding on one statement, read from the policy's text (nothing simulated):
 * it fails the report.
 */
export interface PolicyFinding {
  /** Rule id, the file name in `rules/`. */
  readonly rule: string;
  /** The policy: the key's address and the data source it is rendered from. */
  readonly where: string;
  /** The statement: its `Sid`, or `statement #n`. */
  readonly statement: string;
  readonly message: string;
}

/** A cell with the findings of the risk rules. */
export interface AssessedCell extends Cell {
  readonly findings: readonly RiskFinding[];
  /** True when a finding counts: the report fails. */
  readonly risky: boolean;
  /** True when the findings are shown but not counted (access delegated to a hypothetical IAM policy, without `--strict`). */
  readonly waived: boolean;
}

/** A cell by secret with what the rules found: risks (counted) and notes (shown, never counted). */
export interface AssessedSecretCell extends SecretCell {
  readonly findings: readonly RiskFinding[];
  readonly notes: readonly RiskFinding[];
  /** True when a finding counts: the report fails. */
  readonly risky: boolean;
}

/** A lint problem found before evaluating. */
export interface LintProblem {
  /** Check id, the file name in `lint/`. */
  readonly check: string;
  /** Where: the policy and statement. */
  readonly where: string;
  readonly message: string;
}

/**
 * One constraint block of a KMS grant: the operations are allowed only when the request's
 * encryption context equals, or includes, the map.
 */
export interface KmsGrantConstraint {
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

/**
 * A KMS grant (`aws_kms_grant`) as synthesized. KMS evaluates grants itself, outside IAM and key
 * policies, so the report lists them and applies its grant rules; it does not simulate them.
 */
export interface KmsGrant {
  /** Terraform address, e.g. `aws_kms_grant.key_grant_batch`. */
  readonly address: string;
  /** The grant's `name`. */
  readonly name: string;
  /** The key it is on: a Terraform address (`aws_kms_key.key`) when `key_id` refers to one, else `key_id` as written. */
  readonly key: string;
  /** The IAM principal that receives the grant. */
  readonly granteePrincipal: string;
  /** KMS grant operations as written (`Decrypt`, not `kms:Decrypt`), in order. */
  readonly operations: readonly string[];
  /** The principal that may retire the grant; absent when none. */
  readonly retiringPrincipal?: string;
  /** The constraint blocks; empty when none. */
  readonly constraints: readonly KmsGrantConstraint[];
}

/** A KMS grant with what the grant rules found. */
export interface AssessedKmsGrant extends KmsGrant {
  readonly findings: readonly RiskFinding[];
  /** True when a rule flagged it: the report fails. */
  readonly risky: boolean;
}

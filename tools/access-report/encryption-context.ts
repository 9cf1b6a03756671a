/**
 * The evaluator drops `kms:EncryptionContext:<key>` request keys (and cannot be given the encryption
 * context at all), so a condition on the encryption context would be evaluated as if the context
 * were missing. Instead, each such condition is treated as unknown and the cell is evaluated twice:
 *
 * - most permissive: Allow statements take their encryption-context conditions as met, Deny
 *   statements with such conditions are taken as not applying;
 * - least permissive: the reverse.
 *
 * Allow statements only add access and Deny statements only remove it, so the true answer for any
 * encryption context lies between the two. Equal answers are exact; different answers mean
 * "allowed for some encryption contexts" (`Conditional`), which the risk rules treat as allowed.
 */
import { type AwsStatement, type PolicyDocument, statementsOf } from '../../policy/render';

/** True for `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys` (IAM compares keys case-insensitively). */
export function isEncryptionContextKey(key: string): boolean {
  return /^kms:encryptioncontext(:.+|keys)$/i.test(key);
}

function hasEncryptionContextCondition(statement: AwsStatement): boolean {
  return Object.values(statement.Condition ?? {}).some((byKey) => Object.keys(byKey).some(isEncryptionContextKey));
}

/** True when some statement of the document tests the encryption context. */
export function hasEncryptionContextConditions(document: PolicyDocument): boolean {
  return statementsOf(document).some(hasEncryptionContextCondition);
}

/** Which end of the range to compute. */
export type Bound = 'most-permissive' | 'least-permissive';

/** A rewritten document and, for each of its statements, the 1-based index it had in the original. */
export interface BoundDocument {
  readonly document: PolicyDocument;
  readonly originalIndex: readonly number[];
}

function withoutEncryptionContextConditions(statement: AwsStatement): AwsStatement {
  const condition: NonNullable<AwsStatement['Condition']> = {};
  for (const [operator, byKey] of Object.entries(statement.Condition ?? {})) {
    const kept = Object.fromEntries(Object.entries(byKey).filter(([key]) => !isEncryptionContextKey(key)));
    if (Object.keys(kept).length > 0) condition[operator] = kept;
  }
  const { Condition: _dropped, ...rest } = statement;
  return Object.keys(condition).length > 0 ? { ...rest, Condition: condition } : rest;
}

/**
 * The document with every encryption-context condition decided for the given bound: a statement
 * whose conditions are taken as met loses those conditions; one taken as not met is removed.
 */
export function encryptionContextBound(document: PolicyDocument, bound: Bound): BoundDocument {
  const statements: AwsStatement[] = [];
  const originalIndex: number[] = [];
  statementsOf(document).forEach((statement, index) => {
    if (!hasEncryptionContextCondition(statement)) {
      statements.push(statement);
      originalIndex.push(index + 1);
      return;
    }
    const met = (statement.Effect === 'Allow') === (bound === 'most-permissive');
    if (met) {
      statements.push(withoutEncryptionContextConditions(statement));
      originalIndex.push(index + 1);
    }
  });
  return { document: { ...document, Statement: statements }, originalIndex };
}

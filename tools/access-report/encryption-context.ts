/**
 * The evaluator drops `kms:EncryptionContext:<key>` request keys (and cannot be given the encryption
 * context at all), so the report decides conditions on the encryption context itself, and hands
 * the evaluator documents without them.
 *
 * With a concrete encryption context (the cells by secret), each such condition is evaluated
 * (`encryption-context-condition.ts`): a statement whose conditions hold loses them, one whose
 * conditions fail is removed. Conditions are ANDed, so a failed one means the statement does not
 * apply, whether it allows or denies; the answer is exact.
 *
 * Without one (the matrix), each such condition is unknown and the cell is evaluated twice:
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
import { type EncryptionContext, encryptionContextConditionHolds } from './encryption-context-condition';
import { EvaluationError } from './simulate';

/** True for `kms:EncryptionContext:<key>` and `kms:EncryptionContextKeys` (IAM compares keys case-insensitively). */
export function isEncryptionContextKey(key: string): boolean {
  return /^kms:encryptioncontext(:.+|keys)$/i.test(key);
}

/** True when the statement tests the encryption context. */
export function hasEncryptionContextCondition(statement: AwsStatement): boolean {
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

/** A statement removed for a concrete encryption context, and why. */
export interface UnmetStatement {
  /** 1-based index in the original document. */
  readonly originalIndex: number;
  /** `Sid`, or `statement #n`. */
  readonly label: string;
  /** The encryption-context conditions that do not hold, in words. */
  readonly reason: string;
}

/** A document decided for one concrete encryption context. */
export interface ContextDocument extends BoundDocument {
  /** The statements removed because an encryption-context condition does not hold. */
  readonly unmet: readonly UnmetStatement[];
}

function requestText(key: string, context: EncryptionContext): string {
  if (/^kms:encryptioncontextkeys$/i.test(key)) return `the keys ${Object.keys(context).join(', ') || '(none)'}`;
  const name = /^kms:encryptioncontext:(.+)$/i.exec(key)?.[1] ?? key;
  const found = Object.entries(context).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return found ? `${found[0]} ${found[1]}` : `no ${name} in the context`;
}

/**
 * The document with every encryption-context condition evaluated for `context`: a statement whose
 * conditions hold loses them, one with a condition that fails is removed (and listed in `unmet`).
 * Throws EvaluationError, naming the statement, for a condition it cannot evaluate.
 */
export function forEncryptionContext(document: PolicyDocument, context: EncryptionContext): ContextDocument {
  const statements: AwsStatement[] = [];
  const originalIndex: number[] = [];
  const unmet: UnmetStatement[] = [];
  statementsOf(document).forEach((statement, index) => {
    const label = statement.Sid ?? `statement #${index + 1}`;
    const failed: string[] = [];
    for (const [operator, byKey] of Object.entries(statement.Condition ?? {})) {
      for (const [key, values] of Object.entries(byKey).filter(([k]) => isEncryptionContextKey(k))) {
        let holds: boolean;
        try {
          holds = encryptionContextConditionHolds(operator, key, values, context);
        } catch (error) {
          if (error instanceof EvaluationError) throw new EvaluationError(`${label}: ${error.message}`);
          throw error;
        }
        if (!holds) failed.push(`${operator} ${key} ${[values].flat().join('|')} does not hold for ${requestText(key, context)}`);
      }
    }
    if (failed.length > 0) {
      unmet.push({ originalIndex: index + 1, label, reason: failed.join(' and ') });
      return;
    }
    statements.push(hasEncryptionContextCondition(statement) ? withoutEncryptionContextConditions(statement) : statement);
    originalIndex.push(index + 1);
  });
  return { document: { ...document, Statement: statements }, originalIndex, unmet };
}

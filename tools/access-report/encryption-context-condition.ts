/**
 * One condition on the encryption context (`kms:EncryptionContext:<key>` or
 * `kms:EncryptionContextKeys`) decided for a concrete encryption context, as IAM decides it. The
 * evaluator cannot: it drops those request keys. What is not supported here is refused with an
 * EvaluationError, never guessed.
 *
 * IAM semantics followed:
 * - The condition key is compared without case, `<key>` included (KMS documents `<key>` as not
 *   case-sensitive); values are compared with case (KMS: encryption context values are
 *   case-sensitive), except by the `IgnoreCase` operators. `kms:EncryptionContextKeys` compares the
 *   context's key names with case.
 * - `StringLike`/`StringNotLike`: `*` matches any run of characters, `?` exactly one.
 * - Several values: a positive operator holds when one matches, a negated one when none does.
 * - A key missing from the context fails a positive operator and satisfies a negated one; with
 *   `IfExists` any operator holds. `Null` tests presence.
 * - `ForAnyValue:` holds when some request value satisfies the operator (never for no value),
 *   `ForAllValues:` when every one does (always for no value). `kms:EncryptionContextKeys` holds
 *   several values, so it needs one of these prefixes (or `Null`).
 */
import { EvaluationError } from './simulate';

/** An encryption context: the key-value pairs a KMS request carries. */
export type EncryptionContext = Readonly<Record<string, string>>;

interface StringOperator {
  readonly negated: boolean;
  readonly matches: (policyValue: string, requestValue: string) => boolean;
}

/** `*` and `?` (of StringLike, and of IAM actions) as a regular expression; every other character literally. */
export function wildcardRegExp(pattern: string, ignoreCase = false): RegExp {
  const source = [...pattern].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.+()[\]{}|/]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su');
}

const equals = (p: string, r: string) => p === r;
const equalsIgnoringCase = (p: string, r: string) => p.toLowerCase() === r.toLowerCase();
const like = (p: string, r: string) => wildcardRegExp(p).test(r);

/** The operators supported, without prefix and `IfExists`. */
const STRING_OPERATORS: Readonly<Record<string, StringOperator>> = {
  StringEquals: { negated: false, matches: equals },
  StringNotEquals: { negated: true, matches: equals },
  StringEqualsIgnoreCase: { negated: false, matches: equalsIgnoringCase },
  StringNotEqualsIgnoreCase: { negated: true, matches: equalsIgnoringCase },
  StringLike: { negated: false, matches: like },
  StringNotLike: { negated: true, matches: like },
};

/** What the refusal of an operator says is allowed. */
export const SUPPORTED_OPERATORS = `${Object.keys(STRING_OPERATORS).join(', ')} (each also with IfExists and ForAnyValue:/ForAllValues:), and Null`;

const CONTEXT_KEY = /^kms:encryptioncontext:(.+)$/i;
const CONTEXT_KEYS = /^kms:encryptioncontextkeys$/i;

/** The request's values of a condition key for a context: `multi` for `kms:EncryptionContextKeys`. */
function requestValues(conditionKey: string, context: EncryptionContext): { values: string[]; multi: boolean } {
  if (CONTEXT_KEYS.test(conditionKey)) return { values: Object.keys(context), multi: true };
  const name = CONTEXT_KEY.exec(conditionKey)?.[1];
  if (name === undefined)
    throw new EvaluationError(
      `"${conditionKey}" is not an encryption-context condition key; expected kms:EncryptionContext:<key> or kms:EncryptionContextKeys`,
    );
  const found = Object.entries(context).filter(([key]) => key.toLowerCase() === name.toLowerCase());
  if (found.length > 1) {
    // IAM compares <key> without case, so such a context is ambiguous; KMS advises against it.
    throw new EvaluationError(
      `the encryption context has ${found.map(([key]) => key).join(' and ')}, which ${conditionKey} cannot tell apart; give keys that differ by more than case`,
    );
  }
  return { values: found.map(([, value]) => value), multi: false };
}

function refuse(operator: string, conditionKey: string, why: string): never {
  throw new EvaluationError(`the condition ${operator} on ${conditionKey} ${why}; the report evaluates ${SUPPORTED_OPERATORS}`);
}

function nullHolds(operator: string, conditionKey: string, values: readonly string[], present: boolean): boolean {
  const distinct = [...new Set(values.map((v) => String(v).toLowerCase()))];
  if (distinct.length !== 1 || (distinct[0] !== 'true' && distinct[0] !== 'false')) {
    refuse(
      operator,
      conditionKey,
      `has the values ${JSON.stringify(values)}; Null takes "true" (the key is absent) or "false" (it is present)`,
    );
  }
  return (distinct[0] === 'true') !== present;
}

/**
 * True when the condition `operator: { conditionKey: values }` holds for a request with the given
 * encryption context. Throws EvaluationError for an operator, a value or a key it does not support.
 */
export function encryptionContextConditionHolds(
  operator: string,
  conditionKey: string,
  values: string | readonly string[],
  context: EncryptionContext,
): boolean {
  const policyValues = (typeof values === 'string' ? [values] : [...values]).map(String);
  const parsed = /^(ForAnyValue:|ForAllValues:)?(.+?)(IfExists)?$/.exec(operator);
  const prefix = parsed?.[1];
  const base = parsed?.[2] ?? operator;
  const ifExists = parsed?.[3] !== undefined;
  const request = requestValues(conditionKey, context);
  if (base === 'Null') {
    if (prefix !== undefined || ifExists) refuse(operator, conditionKey, 'is not a valid IAM operator');
    return nullHolds(operator, conditionKey, policyValues, request.values.length > 0);
  }
  // Own properties only: an operator named like an Object method (`constructor`) is refused too.
  const string = Object.hasOwn(STRING_OPERATORS, base) ? STRING_OPERATORS[base] : undefined;
  if (string === undefined) refuse(operator, conditionKey, 'cannot be evaluated by the report');
  if (policyValues.some((v) => v.includes('${'))) {
    refuse(operator, conditionKey, `uses a policy variable (${policyValues.find((v) => v.includes('${'))}), which depends on the request`);
  }
  const satisfies = (value: string) => {
    const matched = policyValues.some((p) => string.matches(p, value));
    return string.negated ? !matched : matched;
  };
  if (prefix === 'ForAllValues:') return request.values.every(satisfies);
  if (prefix === 'ForAnyValue:') return request.values.length === 0 ? ifExists : request.values.some(satisfies);
  if (request.multi) refuse(operator, conditionKey, 'tests a key with several values without ForAnyValue: or ForAllValues:');
  if (request.values.length === 0) return ifExists || string.negated;
  return satisfies(request.values[0]);
}

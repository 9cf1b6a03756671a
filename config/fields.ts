/**
 * Field schemas shared by the config and the constructs' props. Each error message names the value
 * received and what AWS allows; the path is added by `errors.ts`.
 */
import { z } from 'zod';
import { IAM_PRINCIPAL_ARN } from '../policy/arn';
import { AWS_PROVIDER_VERSION, isKnownRegion, refusedRegion } from '../policy/regions';

/** The longest shown value: enough to recognise it, short enough that a huge input is not echoed. */
const SHOWN_LENGTH = 80;

/**
 * A received value as it would appear in JSON (`"text"`, `7.5`, `["a","b"]`, `{"x":1}`), cut to about
 * 80 characters; a cut string says how long it was.
 */
export function show(value: unknown): string {
  if (typeof value === 'string' && JSON.stringify(value).length > SHOWN_LENGTH) {
    return `${JSON.stringify(value.slice(0, SHOWN_LENGTH - 20))}... (${value.length} characters)`;
  }
  let text: string;
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? noJsonText(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH - 3)}...` : text;
}

/**
 * A value JSON has no text for: a function's source or a symbol's description (`Symbol(x)`), else the
 * object's tag (`[object Object]`, for an object whose `toJSON` returns nothing).
 */
function noJsonText(value: unknown): string {
  return typeof value === 'function' || typeof value === 'symbol' ? value.toString() : Object.prototype.toString.call(value);
}

/**
 * The message of a type error: "is required" when the field is missing, otherwise what was expected
 * and what was received.
 */
export function expected(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `expected ${what}, got ${show(issue.input)}`);
}

/**
 * A strict object: unknown fields are errors that list the allowed ones, so a typo is never
 * silently ignored.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => show(k)).join(', ')}; allowed: ${allowed}`
        : issue.code === 'invalid_type'
          ? expected('an object')(issue)
          : undefined,
  });
}

/** An integer in [min, max], with a message in the form `3 is out of range; KMS allows 7-30 days`. */
export function intInRange(min: number, max: number, allowed: string) {
  const message = (issue: { input?: unknown }) => `${show(issue.input)} is out of range; ${allowed}`;
  return z
    .number({ error: expected('a whole number') })
    .int({ error: (issue) => `${show(issue.input)} must be a whole number; ${allowed}` })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** A boolean that says so when it gets a string such as "true". */
export const bool = () => z.boolean({ error: expected('true or false') });

/** A string matching `pattern`, failing with `<value> <what>`. */
export function matching(pattern: RegExp, what: string) {
  return z.string({ error: expected('a string') }).regex(pattern, { error: (issue) => `${show(issue.input)} ${what}` });
}

/** One of a fixed list of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) => `${show(issue.input)} is not a valid ${what}; allowed: ${values.join(', ')}`,
  });
}

/** A 12-digit AWS account id. */
export const accountId = () => matching(/^\d{12}$/, 'is not an AWS account id; expected 12 digits');

/**
 * An AWS region this project supports (`eu-west-1`, `us-gov-west-1`, `cn-north-1`): one that
 * hashicorp/aws 5.100.0 accepts, as `policy/regions.ts` lists them. A region the provider knows but
 * this project refuses is named with the reason; a name the provider would refuse at plan time is
 * refused here, before anything is synthesized.
 */
export const region = () =>
  z.string({ error: expected('a string') }).superRefine((value, ctx) => {
    if (isKnownRegion(value)) return;
    const refused = refusedRegion(value);
    const message = refused
      ? `${show(value)} is in the ${refused.partitionName} (partition ${refused.partition}); ${refused.reason}`
      : /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(value)
        ? `${show(value)} is not an AWS region that hashicorp/aws ${AWS_PROVIDER_VERSION} knows; expected a region such as "eu-west-1" (see policy/regions.ts)`
        : `${show(value)} is not an AWS region name; expected a name such as "eu-west-1"`;
    ctx.addIssue({ code: 'custom', message });
  });

/** The ARN of an IAM user, IAM role or account (`:root`). */
export const iamPrincipalArn = () =>
  matching(
    IAM_PRINCIPAL_ARN,
    'is not an IAM principal ARN; expected arn:<partition>:iam::<12-digit account>:root, :user/<path/>name or :role/<path/>name',
  );

/** A list of IAM principal ARNs, each at most once. */
export const iamPrincipalArns = () =>
  z.array(iamPrincipalArn(), { error: expected('a list of IAM ARNs') }).refine((arns) => new Set(arns).size === arns.length, {
    error: (issue) => `${show((issue.input as string[]).find((a, i, all) => all.indexOf(a) !== i))} is listed twice`,
  });

/**
 * An object whose keys are exactly `entries`' keys, as own properties, also when a key is
 * `__proto__` (plain assignment would set the prototype instead and the key would vanish).
 */
export function objectFromEntries<T>(entries: Iterable<readonly [string, T]>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const TAG_CHARACTERS = 'allowed: letters, digits, spaces and _ . : / = + - @';

/** What is wrong with a tag key, if anything. */
function tagKeyProblem(key: string): string | undefined {
  if (key.length === 0) return 'tag keys must not be empty';
  if (key.length > 128) return `tag key ${show(key)} is longer than 128 characters`;
  if (!TAG_TEXT.test(key)) return `tag key ${show(key)} has characters AWS does not allow; ${TAG_CHARACTERS}`;
  if (key.toLowerCase().startsWith('aws:')) return `tag key ${show(key)} starts with "aws:", which AWS reserves`;
  return undefined;
}

/** What is wrong with a tag value, if anything. */
function tagValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `tag values must be strings, got ${show(value)}`;
  if (value.length > 256) return `tag value ${show(value)} is longer than 256 characters`;
  if (!TAG_TEXT.test(value)) return `tag value ${show(value)} has characters AWS does not allow; ${TAG_CHARACTERS}`;
  return undefined;
}

/** How a map of strings to strings is checked (`stringMap`). */
export interface StringMapRules {
  /** What the map is, for the type error: "an object of tag names to values". */
  readonly what: string;
  /** The most entries allowed, and the message when there are more. */
  readonly maxEntries: number;
  readonly tooMany: (count: number) => string;
  /** What is wrong with one entry, or undefined. */
  readonly entryProblem: (key: string, value: unknown) => string | undefined;
  /** The message for a key that differs from an earlier one only in case. */
  readonly caseTwin: (key: string, twin: string) => string;
}

/**
 * A map of strings to strings checked entry by entry, with keys that differ only in case refused.
 * Every key is kept as an own property, `__proto__` included (`z.record` would drop it).
 */
export function stringMap(rules: StringMapRules) {
  return z
    .custom<Record<string, string>>((value) => typeof value === 'object' && value !== null && !Array.isArray(value), {
      error: expected(rules.what),
    })
    .transform((input, ctx) => {
      const entries = Object.entries(input);
      if (entries.length > rules.maxEntries) ctx.addIssue({ code: 'custom', message: rules.tooMany(entries.length) });
      const byLowerCase = new Map<string, string>();
      for (const [key, value] of entries) {
        const problem = rules.entryProblem(key, value);
        if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
        const twin = byLowerCase.get(key.toLowerCase());
        if (twin !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: rules.caseTwin(key, twin) });
        byLowerCase.set(key.toLowerCase(), key);
      }
      return objectFromEntries(entries);
    });
}

/**
 * Resource tags: up to 50, keys 1-128 and values 0-256 characters of letters, digits, spaces and
 * `_ . : / = + - @`; keys starting with `aws:` are reserved by AWS; two keys that differ only in
 * case are refused (IAM refuses them on a role). Every key is kept, `__proto__` included.
 */
export const tags = () =>
  stringMap({
    what: 'an object of tag names to values',
    maxEntries: 50,
    tooMany: (count) => `${count} tags; AWS allows at most 50 per resource`,
    entryProblem: (key, value) => tagKeyProblem(key) ?? tagValueProblem(value),
    caseTwin: (key, twin) => `tag key ${show(key)} differs from ${show(twin)} only in case; IAM refuses such tags on a role`,
  });

/**
 * Field schemas shared by the config and the constructs' props. Each error message names the value
 * received and what AWS allows; the path is added by `errors.ts`.
 */
import { z } from 'zod';
import { IAM_PRINCIPAL_ARN } from '../policy/arn';

const show = (value: unknown): string => (typeof value === 'string' ? JSON.stringify(value) : String(value));

/**
 * A strict object: unknown fields are errors that list the allowed ones, so a typo is never
 * silently ignored.
 */
export function strictObject<Shape extends z.ZodRawShape>(shape: Shape) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}; allowed: ${allowed}`
        : issue.code === 'invalid_type'
          ? `expected an object, got ${show(issue.input)}`
          : undefined,
  });
}

/** An integer in [min, max], with a message in the form `3 is out of range; KMS allows 7-30 days`. */
export function intInRange(min: number, max: number, allowed: string) {
  const message = (issue: { input?: unknown }) => `${show(issue.input)} is out of range; ${allowed}`;
  return z
    .number({ error: (issue) => `expected a whole number, got ${show(issue.input)}` })
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** A boolean that says so when it gets a string such as "true". */
export const bool = () => z.boolean({ error: (issue) => `expected true or false, got ${show(issue.input)}` });

/** A string matching `pattern`, failing with `<value> <what>`. */
export function matching(pattern: RegExp, what: string) {
  return z
    .string({ error: (issue) => `expected a string, got ${show(issue.input)}` })
    .regex(pattern, { error: (issue) => `${show(issue.input)} ${what}` });
}

/** One of a fixed list of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z.enum(values, {
    error: (issue) => `${show(issue.input)} is not a valid ${what}; allowed: ${values.join(', ')}`,
  });
}

/** A 12-digit AWS account id. */
export const accountId = () => matching(/^\d{12}$/, 'is not an AWS account id; expected 12 digits');

/** An AWS region name such as `eu-west-1` or `us-gov-west-1`. */
export const region = () =>
  matching(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'is not an AWS region name; expected a name such as "eu-west-1"');

/** The ARN of an IAM user, IAM role or account (`:root`). */
export const iamPrincipalArn = () =>
  matching(
    IAM_PRINCIPAL_ARN,
    'is not an IAM principal ARN; expected arn:<partition>:iam::<12-digit account>:root, :user/<path/>name or :role/<path/>name',
  );

/** A list of IAM principal ARNs, each at most once. */
export const iamPrincipalArns = () =>
  z
    .array(iamPrincipalArn(), { error: (issue) => `expected a list of IAM ARNs, got ${show(issue.input)}` })
    .refine((arns) => new Set(arns).size === arns.length, {
      error: (issue) => `${show((issue.input as string[]).find((a, i, all) => all.indexOf(a) !== i))} is listed twice`,
    });

/**
 * Resource tags: up to 50, keys 1-128 and values 0-256 characters of letters, digits, spaces and
 * `_ . : / = + - @`; keys starting with `aws:` are reserved by AWS.
 */
export const tags = () =>
  z
    .record(
      z
        .string()
        .min(1, { error: 'tag keys must not be empty' })
        .max(128, { error: (issue) => `tag key ${show(issue.input)} is longer than 128 characters` })
        .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, {
          error: (issue) => `tag key ${show(issue.input)} has characters AWS does not allow; allowed: letters, digits, spaces and _ . : / = + - @`,
        })
        .refine((key) => !key.toLowerCase().startsWith('aws:'), {
          error: (issue) => `tag key ${show(issue.input)} starts with "aws:", which AWS reserves`,
        }),
      z
        .string({ error: (issue) => `tag values must be strings, got ${show(issue.input)}` })
        .max(256, { error: (issue) => `tag value ${show(issue.input)} is longer than 256 characters` })
        .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, {
          error: (issue) => `tag value ${show(issue.input)} has characters AWS does not allow; allowed: letters, digits, spaces and _ . : / = + - @`,
        }),
      { error: (issue) => `expected an object of tag names to values, got ${show(issue.input)}` },
    )
    .refine((record) => Object.keys(record).length <= 50, {
      error: (issue) => `${Object.keys(issue.input as object).length} tags; AWS allows at most 50 per resource`,
    });

export { show };

/**
 * The two secret ARNs the Lambda role check puts in `kms:EncryptionContext:SecretARN`: one of the
 * role's own secrets, made concrete from its first ARN pattern, and one of no config in the same
 * account and region, which none of its patterns matches.
 */

/** Where the other secret lives: the environment's partition, region and account. */
export interface SecretArnScope {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
}

/**
 * Six letters and digits, as Secrets Manager appends to every secret's ARN after `-`. Mixed case
 * and digits so that a pattern narrower than "any six characters" would show up as a denial.
 */
export const SAMPLE_SUFFIX = 'a1B2c3';

/** What stands in for a `*` of a pattern: a secret name under the prefix, with its six-character suffix. */
export const SAMPLE_NAME_TAIL = `kms-verify-${SAMPLE_SUFFIX}`;

/**
 * Names of secrets that belong to no config, tried in order. They start with `@=` or `=+`, which no
 * sensible name or prefix does, so only a pattern that matches (nearly) any name matches them.
 */
export const OTHER_SECRET_NAMES = [`@=kms-verify-other-${SAMPLE_SUFFIX}`, `=+kms-verify-other-${SAMPLE_SUFFIX}`] as const;

/** Whether `value` matches `pattern` as IAM's `StringLike` does: `*` any run of characters, `?` one, case-sensitive. */
export function matchesArnPattern(value: string, pattern: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 's').test(value);
}

/**
 * A secret ARN that `pattern` matches: each `*` becomes `kms-verify-a1B2c3`, each `?` a letter or
 * digit of `a1B2c3` in turn (so `<name>-??????` becomes `<name>-a1B2c3`); a full ARN stays as it is.
 */
export function concreteSecretArn(pattern: string): string {
  let next = 0;
  return pattern.replace(/\*/g, SAMPLE_NAME_TAIL).replace(/\?/g, () => SAMPLE_SUFFIX[next++ % SAMPLE_SUFFIX.length]);
}

/**
 * The ARN of a secret of no config in `scope` that none of `patterns` matches, or undefined when
 * every candidate matches (the patterns then admit secrets of any name).
 */
export function otherSecretArn(scope: SecretArnScope, patterns: readonly string[]): string | undefined {
  return OTHER_SECRET_NAMES.map((name) => `arn:${scope.partition}:secretsmanager:${scope.region}:${scope.accountId}:secret:${name}`).find(
    (arn) => !patterns.some((pattern) => matchesArnPattern(arn, pattern)),
  );
}

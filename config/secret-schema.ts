/**
 * The Secrets Manager secrets an environment declares: each becomes an `aws_secretsmanager_secret`
 * encrypted with the environment's key. Only the secret is declared here, never its value: values
 * are set afterwards (`aws secretsmanager put-secret-value`), so none reaches Terraform's
 * configuration or state. `SecretsManagerSecret` validates its props with the same schema.
 */
import { z } from 'zod';
import { typed } from './errors';
import { expected, show, strictObject } from './fields';

/** Limits and defaults Secrets Manager and this project apply. */
export const SECRET_LIMITS = {
  nameLength: 512,
  descriptionLength: 2048,
  recoveryWindowInDays: { min: 7, max: 30, default: 30 },
} as const;

/** A secret, as written in the config or passed as construct props. */
export interface SecretSettings {
  /**
   * The secret's name: 1-512 characters of letters, digits and `/_+=.@-`, unique per account and
   * region. It must not end with `-` and six letters or digits: Secrets Manager appends exactly that
   * to the ARN, and such a name makes ARN patterns ambiguous (AWS accepts it but advises against it).
   */
  readonly name: string;
  /**
   * Shown in the Secrets Manager console. At most 2048 characters.
   * @default none
   */
  readonly description?: string;
  /**
   * Days Secrets Manager keeps the secret after a delete, during which it can be restored: 7-30, or
   * 0 to delete at once without recovery.
   * @default 30
   */
  readonly recoveryWindowInDays?: number;
}

/** A secret with its defaults applied. */
export interface ResolvedSecretSettings {
  readonly name: string;
  readonly description: string | undefined;
  readonly recoveryWindowInDays: number;
}

/** What is wrong with a secret name, or undefined. */
export function secretNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > SECRET_LIMITS.nameLength) {
    return `${show(name)} is ${name.length} characters long; secret names have 1-${SECRET_LIMITS.nameLength}`;
  }
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) return `${show(name)} is not a valid secret name; allowed: letters, digits and /_+=.@-`;
  if (/-[A-Za-z0-9]{6}$/.test(name)) {
    return `${show(name)} ends with "-" and six letters or digits, which Secrets Manager appends to every secret's ARN; AWS accepts such names but advises against them because ARN patterns become ambiguous, so this project refuses them: rename it`;
  }
  return undefined;
}

const { recoveryWindowInDays: recovery } = SECRET_LIMITS;

/** The schema of one secret. */
export const secretSchema = typed<ResolvedSecretSettings, SecretSettings>()(
  strictObject({
    name: z.string({ error: expected('a string') }).superRefine((name, ctx) => {
      const problem = secretNameProblem(name);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    description: z
      .string({ error: expected('a string') })
      .max(SECRET_LIMITS.descriptionLength, { error: `is longer than ${SECRET_LIMITS.descriptionLength} characters` })
      .optional(),
    recoveryWindowInDays: z
      .number({ error: expected('a whole number') })
      .refine((days) => Number.isInteger(days), { error: (issue) => `${show(issue.input)} must be a whole number of days` })
      .refine((days) => days === 0 || (days >= recovery.min && days <= recovery.max), {
        error: (issue) =>
          `${show(issue.input)} is out of range; Secrets Manager allows 0 (no recovery) or ${recovery.min}-${recovery.max} days`,
      })
      .default(recovery.default),
  }).transform((secret) => ({ name: secret.name, description: secret.description, recoveryWindowInDays: secret.recoveryWindowInDays })),
);

/**
 * The Terraform address name of a secret: `secret_` and the name with every character other than
 * letters, digits and `_` made `_` (`prod/db-credentials` becomes `secret_prod_db_credentials`).
 * Two names that map to one address are refused.
 */
export function secretAddressName(name: string): string {
  return `secret_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** The secrets of one environment: each name and each address at most once. */
export const secretsSchema = z.array(secretSchema, { error: expected('a list of secrets') }).superRefine((secrets, ctx) => {
  const byName = new Map<string, number>();
  const byAddress = new Map<string, number>();
  secrets.forEach((secret, index) => {
    const sameName = byName.get(secret.name);
    const address = secretAddressName(secret.name);
    const sameAddress = byAddress.get(address);
    if (sameName !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `${show(secret.name)} is declared twice (also at secrets[${sameName}])`,
      });
    } else if (sameAddress !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'name'],
        message: `${show(secret.name)} and ${show(secrets[sameAddress].name)} (secrets[${sameAddress}]) both become the Terraform address aws_secretsmanager_secret.${address}; rename one`,
      });
    }
    byName.set(secret.name, byName.get(secret.name) ?? index);
    byAddress.set(address, byAddress.get(address) ?? index);
  });
});

/**
 * The settings of a customer managed key: the single description of each field, its default and
 * its limits. `CustomerManagedKey` validates its props with this schema and the config uses it for
 * `environments.<name>.key`.
 */
import { z } from 'zod';
import { typed } from './errors';
import { isSymmetricEncryption, KEY_SPECS, KEY_USAGES, USAGES_BY_SPEC, type KeySpec, type KeyUsage } from '../policy/key-spec';
import type { ExtraStatement } from '../policy/extra-statements';
import { parseKeyReference } from '../policy/key-reference';
import { bool, expected, iamPrincipalArns, intInRange, matching, oneOf, region, show, strictObject } from './fields';
import { extraStatementSchema } from './extra-statement-schema';
import { kmsGrantProblems, kmsGrantSchema, type KmsGrantSettings, type ResolvedKmsGrantSettings } from './kms-grant-schema';

/** Limits and defaults KMS and this project apply, used by the schema and the documentation. */
export const KEY_LIMITS = {
  deletionWindowInDays: { min: 7, max: 30, default: 30 },
  rotationPeriodInDays: { min: 90, max: 2560, default: 365 },
  descriptionLength: 8192,
  aliasLength: 256,
} as const;

/** Settings of a customer managed key, as written in the config or passed as construct props. */
export interface KeySettings {
  /**
   * The key's alias, with or without the `alias/` prefix (it is added when missing). Letters,
   * digits, `/`, `_` and `-`; at most 256 characters including the prefix; `alias/aws/` is reserved
   * for AWS managed keys. Unique per account and region.
   */
  readonly alias: string;
  /**
   * What the key is for, shown in the KMS console. At most 8192 characters.
   * @default "Customer managed key <alias>"
   */
  readonly description?: string;
  /**
   * The key spec. Secrets Manager accepts only `SYMMETRIC_DEFAULT` keys.
   * @default "SYMMETRIC_DEFAULT"
   */
  readonly keySpec?: KeySpec;
  /**
   * What the key is used for; must be allowed for `keySpec` (e.g. HMAC keys: `GENERATE_VERIFY_MAC`).
   * @default "ENCRYPT_DECRYPT"
   */
  readonly keyUsage?: KeyUsage;
  /**
   * Create a multi-Region primary key (each replica is billed as a key).
   * @default false
   */
  readonly multiRegion?: boolean;
  /**
   * Rotate the key material automatically. KMS rotates only symmetric encryption keys, so `true`
   * on any other key is an error.
   * @default true for SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, false otherwise
   */
  readonly enableKeyRotation?: boolean;
  /**
   * Days between automatic rotations, 90-2560. Only with rotation on.
   * @default 365 when rotation is on
   */
  readonly rotationPeriodInDays?: number;
  /**
   * Days KMS waits before deleting the key once deletion is scheduled, 7-30.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
  /**
   * Whether the key is enabled. A disabled key cannot be used for any cryptographic operation,
   * decryption included.
   * @default true
   */
  readonly isEnabled?: boolean;
  /**
   * IAM ARNs of the key administrators: they manage the key (policy, rotation, enable/disable,
   * tags, aliases, deletion) and cannot use it to encrypt, decrypt or create grants.
   * @default []
   */
  readonly administrators?: readonly string[];
  /**
   * Let administrators schedule and cancel deletion of the key (the console's "Allow key
   * administrators to delete this key"). Terraform still refuses to destroy it while
   * `preventDestroy` is true.
   * @default true
   */
  readonly allowAdministratorsToDeleteKey?: boolean;
  /**
   * IAM ARNs that may use the key directly, like the walk-through's IAM user testing encrypt and
   * decrypt. For a symmetric key: kms:Encrypt, kms:Decrypt, kms:GenerateDataKey, kms:DescribeKey.
   * @default []
   */
  readonly users?: readonly string[];
  /**
   * Add the account-root statement (`kms:*` for `arn:<partition>:iam::<account>:root`), which lets IAM
   * policies in this account grant access to the key. Without it, only principals named in the key
   * policy can use or manage the key, so at least one administrator is then required.
   * @default true
   */
  readonly enableIamUserPermissions?: boolean;
  /**
   * Terraform's `prevent_destroy`: refuse any plan that would destroy the key. Deleting a key makes
   * everything encrypted with it unreadable. Must stay true with `importKeyId`.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * Bring an existing key (one made in the console, say) under this project instead of creating one:
   * its key id (a UUID), multi-Region key id (`mrk-...`, which needs `multiRegion: true`) or key ARN
   * (in the environment's partition, region and account; reduced to the id). Synth adds Terraform
   * `import` blocks; the plan then shows the key's changes (its policy replaced by this project's)
   * and must never destroy it. `npm run preflight` checks that the key exists with this config's key
   * spec, usage and multi-Region setting, which cannot change on an existing key.
   * @default none: a new key is created
   */
  readonly importKeyId?: string;
  /**
   * With `importKeyId`, import the alias `alias/<alias>` too (it must exist and point at that key).
   * @default true with importKeyId
   */
  readonly importAlias?: boolean;
  /**
   * KMS grants on the key (`aws_kms_grant`): temporary access without changing the key policy.
   * Symmetric-key constraints only; needs `enableIamUserPermissions` (the identity that deploys needs
   * `kms:CreateGrant` through IAM: administrators do not have it, by design). A grant to an
   * administrator or to the role this app creates is refused.
   * @default []
   */
  readonly kmsGrants?: readonly KmsGrantSettings[];
  /**
   * Regions of multi-Region replica keys (`aws_kms_replica_key`), each with the same key policy
   * rendered for its region, the same deletion window, description, tags, `prevent_destroy` and
   * aliases. Needs `multiRegion: true`; regions of the key's partition, not the primary's, each once.
   * Each replica is billed as a key.
   * @default []
   */
  readonly replicaRegions?: readonly string[];
  /**
   * More aliases for the key (and each replica), validated like `alias`; all aliases are unique per
   * account and region across environments.
   * @default []
   */
  readonly additionalAliases?: readonly string[];
  /**
   * Extra key-policy statements (`{ "sid", "effect", "principals", "actions", "conditions"? }`; the
   * resource is always the key): no `kms:*` except to the account root, no service principal, `*`
   * only with `StringEquals` on `kms:CallerAccount`, `aws:PrincipalAccount` or `aws:PrincipalOrgID`,
   * no Deny of `kms:PutKeyPolicy` to the account or an administrator, Sids unique. Counted in the
   * 32 KB limit and evaluated by the access report.
   * @default []
   */
  readonly additionalStatements?: readonly ExtraStatement[];
}

/** Key settings with every default applied and the alias in `alias/<name>` form. */
export interface ResolvedKeySettings {
  readonly alias: string;
  readonly description: string;
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly multiRegion: boolean;
  readonly enableKeyRotation: boolean;
  /** Set exactly when rotation is on. */
  readonly rotationPeriodInDays: number | undefined;
  readonly deletionWindowInDays: number;
  readonly isEnabled: boolean;
  readonly administrators: readonly string[];
  readonly allowAdministratorsToDeleteKey: boolean;
  readonly users: readonly string[];
  readonly enableIamUserPermissions: boolean;
  readonly preventDestroy: boolean;
  /** The key to import, as given (key id or key ARN; see `parseKeyReference`), or undefined. */
  readonly importKeyId: string | undefined;
  /** Whether to import the alias as well; false without `importKeyId`. */
  readonly importAlias: boolean;
  readonly kmsGrants: readonly ResolvedKmsGrantSettings[];
  readonly replicaRegions: readonly string[];
  /** In `alias/<name>` form. */
  readonly additionalAliases: readonly string[];
  readonly additionalStatements: readonly ExtraStatement[];
}

const aliasName = matching(
  /^(alias\/)?[a-zA-Z0-9/_-]+$/,
  'is not a valid alias; allowed: letters, digits, "/", "_" and "-", optionally after "alias/"',
)
  .transform((alias) => (alias.startsWith('alias/') ? alias : `alias/${alias}`))
  .superRefine((alias, ctx) => {
    const input = show(alias);
    const name = alias.slice('alias/'.length);
    if (name === '') ctx.addIssue({ code: 'custom', message: `${input} has no name after "alias/"` });
    else if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
      ctx.addIssue({ code: 'custom', message: `${input} has an empty part between "/" separators; write e.g. "alias/team/app"` });
    }
    if (alias.length > KEY_LIMITS.aliasLength) {
      ctx.addIssue({
        code: 'custom',
        message: `${input} is too long; an alias is at most ${KEY_LIMITS.aliasLength} characters including "alias/"`,
      });
    }
    if (alias.toLowerCase().startsWith('alias/aws/')) {
      ctx.addIssue({ code: 'custom', message: `${input} starts with "alias/aws/" (in any case), which is reserved for AWS managed keys` });
    }
  });

const { deletionWindowInDays: window, rotationPeriodInDays: period } = KEY_LIMITS;

const keyShape = {
  alias: aliasName,
  description: z
    .string({ error: expected('a string') })
    .max(KEY_LIMITS.descriptionLength, { error: `is longer than ${KEY_LIMITS.descriptionLength} characters` })
    .optional(),
  keySpec: oneOf(KEY_SPECS, 'key spec').default('SYMMETRIC_DEFAULT'),
  keyUsage: oneOf(KEY_USAGES, 'key usage').default('ENCRYPT_DECRYPT'),
  multiRegion: bool().default(false),
  enableKeyRotation: bool().optional(),
  rotationPeriodInDays: intInRange(period.min, period.max, `KMS allows ${period.min}-${period.max} days`).optional(),
  deletionWindowInDays: intInRange(window.min, window.max, `KMS allows ${window.min}-${window.max} days`).default(window.default),
  isEnabled: bool().default(true),
  administrators: iamPrincipalArns().default([]),
  allowAdministratorsToDeleteKey: bool().default(true),
  users: iamPrincipalArns().default([]),
  enableIamUserPermissions: bool().default(true),
  preventDestroy: bool().default(true),
  importKeyId: z
    .string({ error: expected('a string') })
    .refine((reference) => parseKeyReference(reference) !== undefined, {
      error: (issue) =>
        `${show(issue.input)} is not a KMS key id or key ARN; expected a key id (1234abcd-12ab-34cd-56ef-1234567890ab), a multi-Region key id (mrk-...) or arn:<partition>:kms:<region>:<account>:key/<id>`,
    })
    .optional(),
  importAlias: bool().optional(),
  kmsGrants: z.array(kmsGrantSchema, { error: expected('a list of KMS grants') }).default([]),
  replicaRegions: z.array(region(), { error: expected('a list of regions') }).default([]),
  additionalAliases: z.array(aliasName, { error: expected('a list of aliases') }).default([]),
  additionalStatements: z.array(extraStatementSchema, { error: expected('a list of statements') }).default([]),
};

/** The import rules that need only the key's own settings (the ARN's location is checked by the config). */
function checkImport(key: ParsedKey, ctx: z.RefinementCtx): void {
  if (key.importKeyId === undefined) {
    if (key.importAlias === true) {
      ctx.addIssue({
        code: 'custom',
        path: ['importAlias'],
        message: 'is true without importKeyId; it only says whether an imported key’s alias is imported too',
      });
    }
    return;
  }
  const reference = parseKeyReference(key.importKeyId);
  if (!key.preventDestroy) {
    ctx.addIssue({
      code: 'custom',
      path: ['preventDestroy'],
      message:
        'is false with importKeyId; an imported key is one you already use, so the plan must never be able to destroy it: keep preventDestroy true',
    });
  }
  if (reference && reference.multiRegion !== key.multiRegion) {
    ctx.addIssue({
      code: 'custom',
      path: ['multiRegion'],
      message: reference.multiRegion
        ? `is false, but importKeyId "${reference.keyId}" is a multi-Region key (mrk-...); set multiRegion to true (it cannot change on an existing key, and Terraform would plan a replacement)`
        : `is true, but importKeyId "${reference.keyId}" is a single-Region key (multi-Region key ids start with mrk-); set multiRegion to false`,
    });
  }
}

type ParsedKey = z.output<z.ZodObject<typeof keyShape>>;

/** The grant rules that need only the key's own settings (partition and app roles: the config). */
function checkKmsGrants(key: ParsedKey, ctx: z.RefinementCtx): void {
  for (const problem of kmsGrantProblems(key, key.kmsGrants))
    ctx.addIssue({ code: 'custom', path: ['kmsGrants', ...problem.path], message: problem.message });
}

/** Replica regions and aliases: the rules that need only the key's own settings. */
function checkReplicasAndAliases(key: ParsedKey, ctx: z.RefinementCtx): void {
  if (key.replicaRegions.length > 0 && !key.multiRegion) {
    ctx.addIssue({
      code: 'custom',
      path: ['replicaRegions'],
      message: 'need multiRegion: true; only a multi-Region primary key can have replicas',
    });
  }
  key.replicaRegions.forEach((region, index) => {
    if (key.replicaRegions.indexOf(region) !== index)
      ctx.addIssue({ code: 'custom', path: ['replicaRegions', index], message: `"${region}" is listed twice` });
  });
  const seen = new Map<string, string>([[aliasAddressSuffix(key.alias), key.alias]]);
  key.additionalAliases.forEach((alias, index) => {
    const first = seen.get(aliasAddressSuffix(alias));
    if (first === undefined) seen.set(aliasAddressSuffix(alias), alias);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['additionalAliases', index],
        message:
          first === alias
            ? `"${alias}" is ${alias === key.alias ? 'the key’s alias already' : 'listed twice'}`
            : `"${alias}" and "${first}" both become one Terraform address (aws_kms_alias.key_alias_${aliasAddressSuffix(alias)}); rename one`,
      });
    }
  });
}

/** The part of an additional alias's Terraform address that comes from its name. */
export function aliasAddressSuffix(alias: string): string {
  return alias.replace(/^alias\//, '').replace(/[^A-Za-z0-9_]/g, '_');
}

/** The key settings schema: field checks, then the checks that involve several fields. */
export const keySchema = typed<ResolvedKeySettings, KeySettings>()(
  strictObject(keyShape)
    .superRefine((key, ctx) => {
      const allowedUsages = USAGES_BY_SPEC[key.keySpec];
      if (!allowedUsages.includes(key.keyUsage)) {
        ctx.addIssue({
          code: 'custom',
          path: ['keyUsage'],
          message: `"${key.keyUsage}" is not allowed for key spec ${key.keySpec}; allowed: ${allowedUsages.join(', ')}`,
        });
      }
      const rotatable = isSymmetricEncryption(key.keySpec, key.keyUsage);
      if (key.enableKeyRotation === true && !rotatable) {
        ctx.addIssue({
          code: 'custom',
          path: ['enableKeyRotation'],
          message: `true is not allowed for a ${key.keySpec}/${key.keyUsage} key; KMS rotates only SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys automatically`,
        });
      }
      if (key.rotationPeriodInDays !== undefined && (key.enableKeyRotation === false || !rotatable)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rotationPeriodInDays'],
          message: `${key.rotationPeriodInDays} is set but rotation is off; remove it or enable rotation on a symmetric encryption key`,
        });
      }
      checkImport(key, ctx);
      checkKmsGrants(key, ctx);
      checkReplicasAndAliases(key, ctx);
      if (!key.enableIamUserPermissions && key.administrators.length === 0) {
        ctx.addIssue({
          code: 'custom',
          path: ['administrators'],
          message:
            'is empty while enableIamUserPermissions is false: nobody could manage the key (KMS would refuse the policy as a lockout); name at least one administrator or enable IAM user permissions',
        });
      }
    })
    .transform((key): ResolvedKeySettings => {
      const rotation = key.enableKeyRotation ?? isSymmetricEncryption(key.keySpec, key.keyUsage);
      return {
        ...key,
        importKeyId: key.importKeyId,
        importAlias: key.importKeyId !== undefined && (key.importAlias ?? true),
        description: key.description ?? `Customer managed key ${key.alias}`,
        enableKeyRotation: rotation,
        rotationPeriodInDays: rotation ? (key.rotationPeriodInDays ?? period.default) : undefined,
      };
    }),
);

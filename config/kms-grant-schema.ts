/**
 * KMS grants on the key (`key.kmsGrants`): temporary access that does not change the key policy,
 * as the walk-through advises. Each becomes an `aws_kms_grant`. These are KMS grants; the
 * constructs' `grant*` methods, which add key-policy statements, keep their meaning.
 */
import { z } from 'zod';
import { typed } from './errors';
import { GRANT_OPERATIONS, type GrantOperation, grantOperationsFor } from '../policy/grant-operations';
import { isSymmetricEncryption, type KeySpec, type KeyUsage } from '../policy/key-spec';
import { expected, matching, show, stringMap, strictObject } from './fields';

/** Limits KMS sets on grants (and this project's rule of at most one constraint). */
export const KMS_GRANT_LIMITS = {
  nameLength: 256,
  constraintPairs: 8,
  constraintValueLength: 384,
} as const;

/** A KMS grant, as written in the config or passed to `CustomerManagedKey.addKmsGrant`. */
export interface KmsGrantSettings {
  /** 1-256 of letters, digits and `:/_-`; unique per key. */
  readonly name: string;
  /** The IAM role or user that receives the grant, in the key's partition. */
  readonly granteePrincipal: string;
  /**
   * What the grantee may do, as KMS grant operations suited to the key (`Decrypt`, `Encrypt`,
   * `GenerateDataKey`, ... for a symmetric encryption key; `Sign`, `Verify`, `GetPublicKey` for a
   * signing key; `GenerateMac`, `VerifyMac` for an HMAC key). At least one; `CreateGrant` is refused
   * (a grantee must not re-delegate).
   */
  readonly operations: readonly GrantOperation[];
  /**
   * An IAM role or user that may retire the grant, in the key's partition.
   * @default none: the grantee may retire it only if `RetireGrant` is among its operations
   */
  readonly retiringPrincipal?: string;
  /**
   * Allow the operations only when the request's encryption context is exactly this map (at most 8
   * pairs, values up to 384 characters, keys not differing only in case). Symmetric encryption keys
   * only; at most one of the two constraints.
   * @default none
   */
  readonly encryptionContextEquals?: Readonly<Record<string, string>>;
  /**
   * Allow the operations only when the request's encryption context includes this map. As above.
   * @default none
   */
  readonly encryptionContextSubset?: Readonly<Record<string, string>>;
}

/** A grant with its defaults applied. */
export type ResolvedKmsGrantSettings = KmsGrantSettings;

/** An IAM role or user ARN (a grant names one principal; an account or a wildcard is refused). */
const ROLE_OR_USER_ARN = /^arn:[a-z-]+:iam::\d{12}:(role|user)(\/[\x21-\x29\x2B-\x2E\x30-\x7E]+)*\/[\w+=,.@-]{1,64}$/;

const roleOrUserArn = () =>
  matching(
    ROLE_OR_USER_ARN,
    'is not an IAM role or user ARN; expected arn:<partition>:iam::<account>:role/<path/>name or :user/<path/>name',
  );

/** An encryption-context constraint. */
const encryptionContext = () =>
  stringMap({
    what: 'an object of encryption-context keys to values',
    maxEntries: KMS_GRANT_LIMITS.constraintPairs,
    tooMany: (count) => `${count} pairs; a grant constraint holds at most ${KMS_GRANT_LIMITS.constraintPairs}`,
    entryProblem: (key, value) => {
      if (key.length === 0) return 'encryption-context keys must not be empty';
      if (typeof value !== 'string') return `values must be strings, got ${show(value)}`;
      if (value.length > KMS_GRANT_LIMITS.constraintValueLength) {
        return `${show(value)} is longer than ${KMS_GRANT_LIMITS.constraintValueLength} characters`;
      }
      return undefined;
    },
    caseTwin: (key, twin) => `key ${show(key)} differs from ${show(twin)} only in case; grant constraints compare keys without case`,
  });

/** One grant. */
export const kmsGrantSchema = typed<ResolvedKmsGrantSettings, KmsGrantSettings>()(
  strictObject({
    name: matching(/^[a-zA-Z0-9:/_-]{1,256}$/, 'is not a valid grant name; allowed: 1-256 letters, digits and :/_-'),
    granteePrincipal: roleOrUserArn(),
    operations: z
      .array(
        z.enum(GRANT_OPERATIONS, {
          error: (issue) => `${show(issue.input)} is not a KMS grant operation; allowed: ${GRANT_OPERATIONS.join(', ')}`,
        }),
        { error: expected('a list of grant operations') },
      )
      .superRefine((operations, ctx) => {
        if (operations.length === 0) ctx.addIssue({ code: 'custom', message: 'is empty; a grant gives at least one operation' });
        if (operations.includes('CreateGrant')) {
          ctx.addIssue({
            code: 'custom',
            message: 'includes "CreateGrant", which would let the grantee re-delegate its access; this project refuses it',
          });
        }
        const twice = operations.find((op, i) => operations.indexOf(op) !== i);
        if (twice) ctx.addIssue({ code: 'custom', message: `${show(twice)} is listed twice` });
      }),
    retiringPrincipal: roleOrUserArn().optional(),
    encryptionContextEquals: encryptionContext().optional(),
    encryptionContextSubset: encryptionContext().optional(),
  }).superRefine((grant, ctx) => {
    if (grant.encryptionContextEquals && grant.encryptionContextSubset) {
      ctx.addIssue({
        code: 'custom',
        path: ['encryptionContextSubset'],
        message:
          'is given with encryptionContextEquals; give at most one constraint (this project’s rule: KMS would apply both, which is seldom what was meant)',
      });
    }
  }),
);

/**
 * The Terraform address name of a grant: `<key>_grant_` and the name with every character other
 * than letters, digits and `_` made `_`. Two names that map to one address are refused.
 */
export function kmsGrantAddressName(keyName: string, grantName: string): string {
  return `${keyName}_grant_${grantName.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** What a key's grants depend on. */
export interface GrantingKey {
  readonly keySpec: KeySpec;
  readonly keyUsage: KeyUsage;
  readonly enableIamUserPermissions: boolean;
  readonly administrators: readonly string[];
}

/** A problem with one of a key's grants; `path` starts at the grant list (`[index, field]`). */
export interface KmsGrantProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * The rules a key's grants follow that need the key's settings: operations that suit the key,
 * constraints only on symmetric encryption keys, no grant to an administrator, names and addresses
 * unique, and IAM user permissions on (the identity that deploys creates grants through IAM).
 */
export function kmsGrantProblems(key: GrantingKey, grants: readonly ResolvedKmsGrantSettings[]): KmsGrantProblem[] {
  const problems: KmsGrantProblem[] = [];
  if (grants.length === 0) return problems;
  if (!key.enableIamUserPermissions) {
    problems.push({
      path: [],
      message:
        'need enableIamUserPermissions: the identity that deploys creates grants with kms:CreateGrant through its IAM policy (administrators do not have it, by design)',
    });
  }
  const allowed = grantOperationsFor(key.keySpec, key.keyUsage);
  const symmetric = isSymmetricEncryption(key.keySpec, key.keyUsage);
  const administrators = new Set(key.administrators);
  const byAddress = new Map<string, string>();
  grants.forEach((grant, index) => {
    const unfit = grant.operations.filter((op) => op !== 'CreateGrant' && !allowed.includes(op));
    if (unfit.length > 0) {
      problems.push({
        path: [index, 'operations'],
        message: `${unfit.map((op) => `"${op}"`).join(', ')} ${unfit.length === 1 ? 'does' : 'do'} not suit a ${key.keySpec}/${key.keyUsage} key; allowed: ${allowed.join(', ')}`,
      });
    }
    for (const field of ['encryptionContextEquals', 'encryptionContextSubset'] as const) {
      if (grant[field] !== undefined && !symmetric) {
        problems.push({
          path: [index, field],
          message: `is set on a ${key.keySpec}/${key.keyUsage} key; KMS supports grant constraints only on symmetric encryption keys`,
        });
      }
    }
    if (administrators.has(grant.granteePrincipal)) {
      problems.push({
        path: [index, 'granteePrincipal'],
        message: `"${grant.granteePrincipal}" is a key administrator; administrators manage the key and must not use it, so grant to another principal`,
      });
    }
    const address = kmsGrantAddressName('key', grant.name);
    const first = byAddress.get(address);
    if (first === undefined) byAddress.set(address, grant.name);
    else {
      problems.push({
        path: [index, 'name'],
        message:
          first === grant.name
            ? `"${grant.name}" is used twice; grant names are unique per key`
            : `"${grant.name}" and "${first}" both become the Terraform address aws_kms_grant.${address}; rename one`,
      });
    }
  });
  return problems;
}

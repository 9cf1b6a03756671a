/**
 * The settings of the IAM role that Lambda functions use to read secrets encrypted with the key.
 * `LambdaSecretsRole` validates its props with this schema and the config uses it for
 * `environments.<name>.lambdaRole`.
 */
import { z } from 'zod';
import { typed } from './errors';
import { PARTITION_ALTERNATION } from '../policy/regions';
import { bool, expected, matching, show, strictObject } from './fields';
import { secretNameProblem } from './secret-schema';

/** Settings of the Lambda execution role. */
export interface LambdaRoleSettings {
  /**
   * The role name: 1-64 characters of letters, digits and `+=,.@_-`. IAM role names are unique per
   * account across all regions, compared case-insensitively.
   */
  readonly name: string;
  /**
   * The role path: `/` or `/segment/.../` of printable ASCII, at most 512 characters, without `*`
   * or an empty segment (`//`). The console puts roles it creates for Lambda under `/service-role/`.
   * @default "/service-role/"
   */
  readonly path?: string;
  /**
   * ARNs of the Secrets Manager secrets the role may read, in the environment's partition: a full
   * ARN, or `arn:...:secret:<name>-??????` for "this secret, whatever the six characters Secrets
   * Manager appends". No other wildcard (`*` anywhere, `?` elsewhere) is accepted. The role reads
   * from exactly one of `secretArns`, `secretNames` and `secretNamePrefix` (an empty list counts as
   * not given).
   * @default none
   */
  readonly secretArns?: readonly string[];
  /**
   * Names of the secrets the role may read, in its account and region (declared in `secrets` or
   * elsewhere): each becomes `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-??????`.
   * Names as for `secrets[].name`.
   * @default the environment's `secrets` when none of the three is given, in the config
   */
  readonly secretNames?: readonly string[];
  /**
   * Name prefix of the secrets the role may read: letters, digits and `/_+=.@-`, 1-512 characters;
   * the role reads `secret:<prefix>*`.
   * @default "<environment>/" in the config when the environment declares no `secrets` and none of
   *   the three is given; the construct requires one of the three
   */
  readonly secretNamePrefix?: string;
  /**
   * Attach `AWSLambdaVPCAccessExecutionRole` as well, for functions that run in a VPC (such as the
   * walk-through's functions behind a VPC interface endpoint).
   * @default false
   */
  readonly vpcAccess?: boolean;
  /**
   * The role already exists (made in the console, say): import it (Terraform `import` by name)
   * instead of creating it. `npm run preflight` fails when the role exists and this is false.
   * @default false
   */
  readonly importExisting?: boolean;
}

/** Lambda role settings with defaults applied; at most one source of secrets is set. */
export interface ResolvedLambdaRoleSettings {
  readonly name: string;
  readonly path: string;
  readonly secretArns?: readonly string[];
  readonly secretNames?: readonly string[];
  readonly secretNamePrefix?: string;
  readonly vpcAccess: boolean;
  readonly importExisting: boolean;
}

/**
 * The shape of a secret ARN as `secretArns` takes it; `?` and `*` are matched here so that a
 * wildcard gets its own message (`secretArnWildcardProblem`).
 */
export const SECRET_ARN = new RegExp(
  String.raw`^arn:(${PARTITION_ALTERNATION}):secretsmanager:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@?*-]{1,512}$`,
);

/** The one wildcard `secretArns` allows: Secrets Manager's six random characters after the name. */
export const SECRET_SUFFIX_WILDCARD = '-??????';

/**
 * What is wrong with the wildcards of a secret ARN, if anything. Only a final `-??????` is
 * allowed ("this secret, whatever its suffix"); `*` anywhere or `?` elsewhere would let the role read
 * other secrets (`secret:*` is every secret in the account).
 */
export function secretArnWildcardProblem(arn: string): string | undefined {
  const at = arn.indexOf(':secret:') + ':secret:'.length;
  const [prefix, name] = [arn.slice(0, at), arn.slice(at)];
  const base = name.endsWith(SECRET_SUFFIX_WILDCARD) ? name.slice(0, -SECRET_SUFFIX_WILDCARD.length) : name;
  if (!/[*?]/.test(base)) {
    return base === '' ? `${show(arn)} has no secret name before "${SECRET_SUFFIX_WILDCARD}"` : undefined;
  }
  const stem = base.replace(/-?[*?]+$/, '');
  const suggestion =
    /[*?]/.test(stem) || stem === '' ? `${prefix}<name>${SECRET_SUFFIX_WILDCARD}` : `${prefix}${stem}${SECRET_SUFFIX_WILDCARD}`;
  return `${show(arn)} has a wildcard; the only one allowed is a final "${SECRET_SUFFIX_WILDCARD}" (Secrets Manager's six-character suffix), so write "${suggestion}", or use secretNamePrefix for a group of secrets`;
}

/** The Lambda role schema. */
export const lambdaRoleSchema = typed<ResolvedLambdaRoleSettings, LambdaRoleSettings>()(
  strictObject({
    name: matching(/^[\w+=,.@-]{1,64}$/, 'is not a valid IAM role name; allowed: 1-64 letters, digits and +=,.@_-'),
    path: matching(
      /^\/([\u0021-\u007E]*\/)?$/,
      'is not a valid IAM path; expected "/" or "/segment/.../" (printable ASCII, starting and ending with "/")',
    )
      .refine((path) => path.length <= 512, { error: (issue) => `${show(issue.input)} is longer than 512 characters` })
      .refine((path) => !path.includes('//'), { error: (issue) => `${show(issue.input)} has an empty segment ("//")` })
      .refine((path) => !path.includes('*'), {
        error: (issue) =>
          `${show(issue.input)} contains "*"; IAM allows it in a path, but the key policy names the role by ARN, and a principal ARN cannot hold a wildcard`,
      })
      .default('/service-role/'),
    secretArns: z
      .array(
        matching(
          SECRET_ARN,
          'is not a Secrets Manager secret ARN; expected arn:<partition>:secretsmanager:<region>:<account>:secret:<name>',
        ).superRefine((arn, ctx) => {
          const problem = secretArnWildcardProblem(arn);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
        { error: expected('a list of secret ARNs') },
      )
      .optional(),
    secretNames: z
      .array(
        z.string({ error: expected('a string') }).superRefine((name, ctx) => {
          const problem = secretNameProblem(name);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        }),
        { error: expected('a list of secret names') },
      )
      .optional(),
    secretNamePrefix: matching(
      /^[A-Za-z0-9/_+=.@-]{1,512}$/,
      'is not a valid secret name prefix; allowed: 1-512 letters, digits and /_+=.@-',
    ).optional(),
    vpcAccess: bool().default(false),
    importExisting: bool().default(false),
  })
    .superRefine((role, ctx) => {
      const given = secretSources(role);
      if (given.length > 1) {
        ctx.addIssue({
          code: 'custom',
          message: `gives ${given.join(' and ')}; give only one of secretArns, secretNames and secretNamePrefix, so that what the role reads is never decided silently`,
        });
      }
    })
    .transform((role): ResolvedLambdaRoleSettings => ({
      ...role,
      secretArns: role.secretArns?.length ? role.secretArns : undefined,
      secretNames: role.secretNames?.length ? role.secretNames : undefined,
    })),
);

/** Which of the three sources of secrets a role's settings give (empty lists count as not given). */
export function secretSources(
  role: Pick<LambdaRoleSettings, 'secretArns' | 'secretNames' | 'secretNamePrefix'>,
): ('secretArns' | 'secretNames' | 'secretNamePrefix')[] {
  return [
    ...(role.secretArns?.length ? (['secretArns'] as const) : []),
    ...(role.secretNames?.length ? (['secretNames'] as const) : []),
    ...(role.secretNamePrefix !== undefined ? (['secretNamePrefix'] as const) : []),
  ];
}

/**
 * The config file's schema: environments, each with a key, an optional Lambda role, tags and a
 * backend; then the checks across environments (aliases, role names and state locations that AWS
 * or Terraform require to be unique).
 */
import { z } from 'zod';
import { isSymmetricEncryption } from '../policy/key-spec';
import { parseIamPrincipalArn } from '../policy/arn';
import { extraStatementProblems } from '../policy/extra-statements';
import { KEY_POLICY_SIDS } from '../policy/key-policy';
import { keyReferenceMismatches, parseKeyReference } from '../policy/key-reference';
import { partitionForRegion, partitionOfKnownRegion } from '../policy/regions';
import { alertNames, MAX_ALERT_ENVIRONMENT_NAME } from '../policy/alerts';
import { auditSchema, type ResolvedAuditSettings, SNS_TOPIC_ARN } from './audit-schema';
import { backendSchema } from './backend-schema';
import { accountId, expected, matching, region, show, strictObject, tags } from './fields';
import { stateCollision } from './state-path';
import { keySchema, type ResolvedKeySettings } from './key-schema';
import { lambdaRoleSchema, type ResolvedLambdaRoleSettings, secretSources } from './lambda-role-schema';
import { type ResolvedSecretSettings, secretsSchema } from './secret-schema';

/** The most `expectedRequestsPerMonth` accepts: a trillion, beyond any KMS request quota, well inside exact arithmetic. */
export const MAX_REQUESTS_PER_MONTH = 1_000_000_000_000;

/** Environment names are stack ids and folder names. */
export const ENVIRONMENT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Backend settings with every default filled in. */
export type ResolvedBackend =
  | { readonly type: 'local'; readonly path: string }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly key: string;
      readonly region: string;
      readonly useLockfile: boolean;
      readonly encrypt: boolean;
    }
  | { readonly type: 'cloud'; readonly organization: string; readonly workspace: string; readonly hostname: string };

/** One environment, validated, with every default applied. */
export interface EnvironmentConfig {
  /** The environment's name: the stack id and `cdktf.out/stacks/<name>`. */
  readonly name: string;
  readonly region: string;
  /** Derived from the region. */
  readonly partition: string;
  /** When unset, the account of the credentials Terraform runs with (`aws_caller_identity`). */
  readonly accountId: string | undefined;
  readonly key: ResolvedKeySettings;
  /**
   * The Lambda role, reading exactly one source of secrets: the given one, else the environment's
   * `secrets` by name, else the prefix `<environment>/`.
   */
  readonly lambdaRole: ResolvedLambdaRoleSettings | undefined;
  /** Secrets encrypted with the key; their values are never part of the config. */
  readonly secrets: readonly ResolvedSecretSettings[];
  /** Alerts on risky changes to the key, when configured. */
  readonly audit: ResolvedAuditSettings | undefined;
  /** KMS requests to the key per month, for the cost estimate (`npm run cost`). */
  readonly expectedRequestsPerMonth: number;
  /** Default tags of every resource in the environment. */
  readonly tags: Readonly<Record<string, string>>;
  readonly backend: ResolvedBackend;
}

/** The whole config, validated. */
export interface AppConfig {
  readonly environments: readonly EnvironmentConfig[];
}

const environmentSchema = strictObject({
  region: region(),
  accountId: accountId().optional(),
  key: keySchema,
  lambdaRole: lambdaRoleSchema.optional(),
  secrets: secretsSchema.default([]),
  audit: auditSchema.optional(),
  expectedRequestsPerMonth: z
    .number({ error: expected('a whole number of requests') })
    .refine((n) => Number.isInteger(n), { error: (issue) => `${show(issue.input)} must be a whole number` })
    .refine((n) => n >= 0, { error: (issue) => `${show(issue.input)} is negative; give the expected KMS requests per month, 0 or more` })
    .refine((n) => n <= MAX_REQUESTS_PER_MONTH, {
      error: (issue) =>
        `${show(issue.input)} is more than ${MAX_REQUESTS_PER_MONTH} requests a month (KMS's quotas allow far fewer); give a realistic estimate`,
    })
    .default(0),
  tags: tags().default({}),
  backend: backendSchema.default({ type: 'local' }),
});

type ParsedEnvironment = z.output<typeof environmentSchema>;

function checkEnvironment(env: ParsedEnvironment, ctx: z.RefinementCtx): void {
  checkPrincipalRoles(env, ctx);
  if (env.secrets.length > 0 && !isSymmetricEncryption(env.key.keySpec, env.key.keyUsage)) {
    ctx.addIssue({
      code: 'custom',
      path: ['secrets'],
      message: `are declared, but the key is ${env.key.keySpec}/${env.key.keyUsage}; Secrets Manager encrypts only with SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, so remove secrets or change the key`,
    });
  }
  if (env.lambdaRole && !isSymmetricEncryption(env.key.keySpec, env.key.keyUsage)) {
    ctx.addIssue({
      code: 'custom',
      path: ['lambdaRole'],
      message: `is set, but the key is ${env.key.keySpec}/${env.key.keyUsage}; Secrets Manager only uses SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, so remove lambdaRole or change the key`,
    });
  }
  // zod runs this refinement even when region() refused the region (a failed check does not stop
  // it); that problem is reported already, and the checks below need the region's partition.
  const partition = partitionForRegion(env.region);
  if (partition !== undefined) checkPartition(env, partition, ctx);
}

/** Refuses ARNs in another partition than the region's, and key specs the partition lacks. */
function checkPartition(env: ParsedEnvironment, partition: string, ctx: z.RefinementCtx): void {
  const inOtherPartition = (arn: string, arnPartition: string | undefined, path: (string | number)[]) => {
    if (arnPartition !== undefined && arnPartition !== partition) {
      ctx.addIssue({
        code: 'custom',
        path,
        message: `"${arn}" is in partition ${arnPartition}, but region ${env.region} is in ${partition}`,
      });
    }
  };
  for (const field of ['administrators', 'users'] as const) {
    env.key[field].forEach((arn, index) => inOtherPartition(arn, parseIamPrincipalArn(arn)?.partition, ['key', field, index]));
  }
  env.key.kmsGrants.forEach((grant, index) => {
    for (const field of ['granteePrincipal', 'retiringPrincipal'] as const) {
      const arn = grant[field];
      if (arn !== undefined) inOtherPartition(arn, arn.split(':')[1], ['key', 'kmsGrants', index, field]);
    }
  });
  env.key.replicaRegions.forEach((region, index) => {
    const replicaPartition = partitionForRegion(region);
    if (region === env.region) {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'replicaRegions', index],
        message: `"${region}" is the primary key's own region; a replica goes to another region`,
      });
    } else if (replicaPartition !== undefined && replicaPartition !== partition) {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'replicaRegions', index],
        message: `"${region}" is in partition ${replicaPartition}, but the primary key's region ${env.region} is in ${partition}; replicas stay in the primary's partition`,
      });
    }
  });
  for (const problem of extraStatementProblems(env.key.additionalStatements, {
    partition,
    accountId: env.accountId,
    administrators: env.key.administrators,
    takenSids: Object.values(KEY_POLICY_SIDS),
  })) {
    ctx.addIssue({ code: 'custom', path: ['key', 'additionalStatements', problem.index, ...problem.path], message: problem.message });
  }
  const imported = env.key.importKeyId === undefined ? undefined : parseKeyReference(env.key.importKeyId);
  const mismatches = imported ? keyReferenceMismatches(imported, { partition, region: env.region, accountId: env.accountId }) : [];
  if (mismatches.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['key', 'importKeyId'],
      message: `"${env.key.importKeyId}" ${mismatches.join(' and ')}; a key is imported into the environment's own partition, region and account`,
    });
  }
  env.lambdaRole?.secretArns?.forEach((arn, index) => inOtherPartition(arn, arn.split(':')[1], ['lambdaRole', 'secretArns', index]));
  const topic = env.audit?.snsTopicArn === undefined ? undefined : SNS_TOPIC_ARN.exec(env.audit.snsTopicArn);
  if (topic && (topic[1] !== partition || topic[2] !== env.region)) {
    ctx.addIssue({
      code: 'custom',
      path: ['audit', 'snsTopicArn'],
      message: `"${env.audit?.snsTopicArn}" is in ${topic[1]}/${topic[2]}, but the key is in ${partition}/${env.region}; EventBridge sends to a topic of the rule's own region`,
    });
  }
  if (env.audit?.snsTopicArn !== undefined && env.key.replicaRegions.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['audit', 'snsTopicArn'],
      message:
        'is given with key.replicaRegions; each region where a key lives needs a topic of its own region, so leave snsTopicArn out and the app creates one per region',
    });
  }
  if (env.key.keySpec === 'SM2' && partition !== 'aws-cn') {
    ctx.addIssue({
      code: 'custom',
      path: ['key', 'keySpec'],
      message: `"SM2" is only available in the China regions (cn-*), not in ${env.region}`,
    });
  }
}

/**
 * Refuses principals whose roles would break the key policy's promises: an administrator who is
 * also a key user (administrators must not be able to use the key), and the Lambda role this app
 * creates named as an administrator (it must reach the key only through Secrets Manager).
 */
function checkPrincipalRoles(env: ParsedEnvironment, ctx: z.RefinementCtx): void {
  const users = new Set(env.key.users);
  env.key.administrators.forEach((arn, index) => {
    if (users.has(arn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'administrators', index],
        message: `"${arn}" is also in key.users; administrators manage the key and must not use it, so name a different principal for each`,
      });
    }
    if (isAppLambdaRole(env, arn)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'administrators', index],
        message: `"${arn}" is the Lambda role this environment creates; that role may use the key only through Secrets Manager, so it must not be an administrator`,
      });
    }
  });
  env.key.kmsGrants.forEach((grant, index) => {
    if (isAppLambdaRole(env, grant.granteePrincipal)) {
      ctx.addIssue({
        code: 'custom',
        path: ['key', 'kmsGrants', index, 'granteePrincipal'],
        message: `"${grant.granteePrincipal}" is the Lambda role this environment creates; a grant would bypass its kms:ViaService and SecretARN conditions, so it must not receive one`,
      });
    }
  });
}

/**
 * Whether `arn` names the Lambda role this environment creates: same path and name (IAM compares
 * names without case), and the environment's account (any account when it has none: the role is
 * then created in the caller's account, which may be that one).
 */
function isAppLambdaRole(env: ParsedEnvironment, arn: string): boolean {
  const role = env.lambdaRole;
  const parsed = parseIamPrincipalArn(arn);
  if (!role || !parsed || (env.accountId !== undefined && parsed.accountId !== env.accountId)) return false;
  return parsed.resource.toLowerCase() === `role${role.path}${role.name}`.toLowerCase();
}

/** Reports each value that two environments share although it must be unique. */
function checkUnique(
  ctx: z.RefinementCtx,
  entries: readonly {
    readonly identity: string | undefined;
    readonly path: (string | number)[];
    readonly message: (first: string) => string;
    readonly env: string;
    /** A repeat within one environment is reported by the environment's own checks. */
    readonly acrossEnvironmentsOnly?: boolean;
  }[],
): void {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (entry.identity === undefined) continue;
    const first = seen.get(entry.identity);
    if (first === undefined) seen.set(entry.identity, entry.env);
    else if (!(entry.acrossEnvironmentsOnly && first === entry.env))
      ctx.addIssue({ code: 'custom', path: entry.path, message: entry.message(first) });
  }
}

const accountLabel = (id: string | undefined) => id ?? 'the caller’s account (no accountId)';

/** The config schema, resolving every environment's defaults. */
export const configSchema = strictObject({
  environments: z
    .record(
      matching(ENVIRONMENT_NAME, 'is not a valid environment name; expected ^[A-Za-z][A-Za-z0-9_-]{0,63}$'),
      environmentSchema.superRefine(checkEnvironment),
      {
        error: expected('an object of environment names to settings'),
      },
    )
    .refine((envs) => Object.keys(envs).length > 0, { error: 'must name at least one environment' }),
})
  .superRefine((config, ctx) => {
    const envs = Object.entries(config.environments);
    checkUnique(
      ctx,
      envs.flatMap(([name, env]) => {
        const aliases: [string, (string | number)[]][] = [
          [env.key.alias, ['environments', name, 'key', 'alias']],
          ...env.key.additionalAliases.map((alias, index): [string, (string | number)[]] => [
            alias,
            ['environments', name, 'key', 'additionalAliases', index],
          ]),
          // The key made only for alerts has an alias of its own (policy/alerts.ts).
          ...(env.audit && env.audit.snsTopicArn === undefined
            ? [[alertNames(name).alias, ['environments', name, 'audit']] as [string, (string | number)[]]]
            : []),
        ];
        return [env.region, ...env.key.replicaRegions].flatMap((region) =>
          aliases.map(([alias, path]) => ({
            env: name,
            acrossEnvironmentsOnly: true,
            identity: `${env.accountId ?? ''}|${region}|${alias}`,
            path,
            message: (first: string) =>
              `"${alias}" is already used by environment "${first}" in ${accountLabel(env.accountId)} and ${region}; aliases are unique per account and region`,
          })),
        );
      }),
    );
    checkUnique(
      ctx,
      envs.map(([name, env]) => ({
        env: name,
        identity: env.lambdaRole && `${env.accountId ?? ''}|${env.lambdaRole.name.toLowerCase()}`,
        path: ['environments', name, 'lambdaRole', 'name'],
        message: (first) =>
          `"${env.lambdaRole?.name}" is already used by environment "${first}" in ${accountLabel(env.accountId)}; IAM role names are unique per account across regions, ignoring case`,
      })),
    );
    checkUnique(
      ctx,
      envs.flatMap(([name, env]) =>
        env.secrets.map((secret, index) => ({
          env: name,
          identity: `${env.accountId ?? ''}|${env.region}|${secret.name}`,
          path: ['environments', name, 'secrets', index, 'name'],
          message: (first: string) =>
            first === name
              ? `"${secret.name}" is declared twice in this environment`
              : `"${secret.name}" is already declared by environment "${first}" in ${accountLabel(env.accountId)} and ${env.region}; secret names are unique per account and region`,
        })),
      ),
    );
    for (const [name, env] of envs) {
      if (env.audit && name.length > MAX_ALERT_ENVIRONMENT_NAME) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'audit'],
          message: `needs an environment name of at most ${MAX_ALERT_ENVIRONMENT_NAME} characters (this one has ${name.length}): the alert rules are named <environment>-kms-key-changes and EventBridge allows 64`,
        });
      }
    }
    checkStateLocations(ctx, envs);
    checkNameCase(
      ctx,
      envs.map(([name]) => name),
    );
  })
  .transform((config): AppConfig => ({
    environments: Object.entries(config.environments).map(([name, env]) => resolveEnvironment(name, env)),
  }));

function resolveBackend(name: string, env: ParsedEnvironment): ResolvedBackend {
  const backend = env.backend;
  switch (backend.type) {
    case 'local':
      return { type: 'local', path: backend.path ?? `terraform.${name}.tfstate` };
    case 's3':
      return { ...backend, key: backend.key ?? `${name}/terraform.tfstate`, region: backend.region ?? env.region };
    case 'cloud':
      return backend;
  }
}

/** Refuses two environments keeping state in one place (local paths compared as `stateCollision` does). */
function checkStateLocations(ctx: z.RefinementCtx, envs: readonly (readonly [string, ParsedEnvironment])[]): void {
  const seen: { readonly env: string; readonly backend: ResolvedBackend }[] = [];
  for (const [name, env] of envs) {
    const backend = resolveBackend(name, env);
    for (const earlier of seen) {
      const problem = sharedState(backend, earlier.backend);
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: ['environments', name, 'backend'],
          message: `${problem} of environment "${earlier.env}"; two stacks must not share a state`,
        });
        break;
      }
    }
    seen.push({ env: name, backend });
  }
}

/** How `backend` would share state with `other`, as the start of a message, or undefined. */
function sharedState(backend: ResolvedBackend, other: ResolvedBackend): string | undefined {
  if (backend.type === 'local' && other.type === 'local') {
    switch (stateCollision(backend.path, other.path)) {
      case 'same':
        return backend.path === other.path
          ? `keeps its state in "${backend.path}", the state file`
          : `keeps its state in "${backend.path}", which is "${other.path}" on file systems that ignore case (macOS, Windows), the state file`;
      case 'nested':
        return `keeps its state in "${backend.path}", which would need "${other.path}" to be both a file and a folder: the state file`;
      case 'backup':
        return `keeps its state in "${backend.path}", the name Terraform gives the backup of "${other.path}", the state file`;
      default:
        return undefined;
    }
  }
  if (backend.type === 's3' && other.type === 's3' && backend.bucket === other.bucket && backend.key === other.key) {
    return `keeps its state in s3://${backend.bucket}/${backend.key}, the state`;
  }
  if (
    backend.type === 'cloud' &&
    other.type === 'cloud' &&
    backend.hostname === other.hostname &&
    backend.organization === other.organization &&
    backend.workspace === other.workspace
  ) {
    return `uses the workspace ${backend.organization}/${backend.workspace}, the workspace`;
  }
  return undefined;
}

/**
 * Refuses environment names that differ only in case: on macOS and Windows their stack folders
 * (and default state files) would be one path.
 */
function checkNameCase(ctx: z.RefinementCtx, names: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const name of names) {
    const first = seen.get(name.toLowerCase());
    if (first === undefined) seen.set(name.toLowerCase(), name);
    else {
      ctx.addIssue({
        code: 'custom',
        path: ['environments', name],
        message: `differs from environment "${first}" only in case; on macOS and Windows both would use one stack folder and one state file, so rename one`,
      });
    }
  }
}

/**
 * The role's source of secrets when the config gives none: the environment's declared secrets by
 * name, else every secret named `<environment>/...`.
 */
function resolveLambdaRole(
  name: string,
  role: ResolvedLambdaRoleSettings,
  secrets: readonly ResolvedSecretSettings[],
): ResolvedLambdaRoleSettings {
  if (secretSources(role).length > 0) return role;
  if (secrets.length > 0) return { ...role, secretNames: secrets.map((s) => s.name) };
  return { ...role, secretNamePrefix: `${name}/` };
}

function resolveEnvironment(name: string, env: ParsedEnvironment): EnvironmentConfig {
  return {
    name,
    region: env.region,
    partition: partitionOfKnownRegion(env.region), // the transform runs only on a config without issues
    accountId: env.accountId,
    key: env.key,
    lambdaRole: env.lambdaRole && resolveLambdaRole(name, env.lambdaRole, env.secrets),
    secrets: env.secrets,
    audit: env.audit,
    expectedRequestsPerMonth: env.expectedRequestsPerMonth,
    tags: env.tags,
    backend: resolveBackend(name, env),
  };
}

/**
 * The config file's schema: environments, each with a key, an optional Lambda role, tags and a
 * backend; then the checks across environments (aliases, role names and state locations that AWS
 * or Terraform require to be unique).
 */
import { z } from 'zod';
import { isSymmetricEncryption } from '../policy/key-spec';
import { parseIamPrincipalArn, partitionForRegion } from '../policy/arn';
import { backendSchema } from './backend-schema';
import { accountId, matching, region, strictObject, tags } from './fields';
import { keySchema, type ResolvedKeySettings } from './key-schema';
import { lambdaRoleSchema, type ResolvedLambdaRoleSettings } from './lambda-role-schema';

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
  readonly lambdaRole: (ResolvedLambdaRoleSettings & { readonly secretNamePrefix: string }) | undefined;
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
  tags: tags().default({}),
  backend: backendSchema.default({ type: 'local' }),
});

type ParsedEnvironment = z.output<typeof environmentSchema>;

function checkEnvironment(env: ParsedEnvironment, ctx: z.RefinementCtx): void {
  const partition = partitionForRegion(env.region);
  const principalLists = [
    ['administrators', env.key.administrators],
    ['users', env.key.users],
  ] as const;
  for (const [field, arns] of principalLists) {
    arns.forEach((arn, index) => {
      const parsed = parseIamPrincipalArn(arn);
      if (parsed && parsed.partition !== partition) {
        ctx.addIssue({
          code: 'custom',
          path: ['key', field, index],
          message: `"${arn}" is in partition ${parsed.partition}, but region ${env.region} is in ${partition}`,
        });
      }
    });
  }
  if (env.key.keySpec === 'SM2' && partition !== 'aws-cn') {
    ctx.addIssue({
      code: 'custom',
      path: ['key', 'keySpec'],
      message: `"SM2" is only available in the China regions (cn-*), not in ${env.region}`,
    });
  }
  if (env.lambdaRole && !isSymmetricEncryption(env.key.keySpec, env.key.keyUsage)) {
    ctx.addIssue({
      code: 'custom',
      path: ['lambdaRole'],
      message: `is set, but the key is ${env.key.keySpec}/${env.key.keyUsage}; Secrets Manager only uses SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, so remove lambdaRole or change the key`,
    });
  }
}

/** Reports each value that two environments share although it must be unique. */
function checkUnique(
  ctx: z.RefinementCtx,
  entries: readonly { readonly identity: string | undefined; readonly path: (string | number)[]; readonly message: (first: string) => string; readonly env: string }[],
): void {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    if (entry.identity === undefined) continue;
    const first = seen.get(entry.identity);
    if (first === undefined) seen.set(entry.identity, entry.env);
    else ctx.addIssue({ code: 'custom', path: entry.path, message: entry.message(first) });
  }
}

const accountLabel = (id: string | undefined) => id ?? 'the caller’s account (no accountId)';

/** The config schema, resolving every environment's defaults. */
export const configSchema = strictObject({
  environments: z
    .record(matching(ENVIRONMENT_NAME, 'is not a valid environment name; expected ^[A-Za-z][A-Za-z0-9_-]{0,63}$'), environmentSchema.superRefine(checkEnvironment), {
      error: (issue) => `expected an object of environment names to settings, got ${JSON.stringify(issue.input)}`,
    })
    .refine((envs) => Object.keys(envs).length > 0, { error: 'must name at least one environment' }),
})
  .superRefine((config, ctx) => {
    const envs = Object.entries(config.environments);
    checkUnique(
      ctx,
      envs.map(([name, env]) => ({
        env: name,
        identity: `${env.accountId ?? ''}|${env.region}|${env.key.alias}`,
        path: ['environments', name, 'key', 'alias'],
        message: (first) =>
          `"${env.key.alias}" is already used by environment "${first}" in ${accountLabel(env.accountId)} and ${env.region}; aliases are unique per account and region`,
      })),
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
      envs.map(([name, env]) => ({
        env: name,
        identity: stateLocation(name, env),
        path: ['environments', name, 'backend'],
        message: (first) => `keeps its state where environment "${first}" does; two stacks must not share a state`,
      })),
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

function stateLocation(name: string, env: ParsedEnvironment): string {
  const backend = resolveBackend(name, env);
  switch (backend.type) {
    case 'local':
      return `local|${backend.path.replace(/^\.\//, '')}`;
    case 's3':
      return `s3|${backend.bucket}|${backend.key}`;
    case 'cloud':
      return `cloud|${backend.hostname}|${backend.organization}|${backend.workspace}`;
  }
}

function resolveEnvironment(name: string, env: ParsedEnvironment): EnvironmentConfig {
  return {
    name,
    region: env.region,
    partition: partitionForRegion(env.region),
    accountId: env.accountId,
    key: env.key,
    lambdaRole: env.lambdaRole && {
      ...env.lambdaRole,
      secretNamePrefix: env.lambdaRole.secretNamePrefix ?? `${name}/`,
    },
    tags: env.tags,
    backend: resolveBackend(name, env),
  };
}

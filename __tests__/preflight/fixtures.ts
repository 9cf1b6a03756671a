/**
 * Shared fixtures for the preflight tests. They build on verify's (the same config: a key
 * administrator, a key user and a Lambda role in account 111122223333), add a Secrets Manager
 * client, and fake IAM and Secrets Manager "worlds" in which given roles, users and secrets exist.
 * Every client is wrapped by aws-sdk-client-mock: no test reaches AWS.
 */
import { GetRoleCommand, GetUserCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import {
  DescribeSecretCommand,
  ListSecretsCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { EnvironmentConfig } from '../../config/schema';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import { preflightContext } from '../../tools/preflight/run-checks';
import type { Caller, PreflightClients, PreflightContext } from '../../tools/preflight/types';
import { synthesizeStack } from '../../tools/verify/expected-policy';
import {
  ACCOUNT,
  ADMIN_ROLE,
  config,
  credentials,
  KEY_ADMIN,
  mockedClients as verifyClients,
  rawConfig,
  REGION,
  USER_ROLE,
} from '../verify/fixtures';

/** verify's fixtures, which these build on. */
export {
  ACCOUNT,
  ADMIN_ROLE,
  ALIAS,
  AUDITOR,
  KEY_ADMIN,
  KEY_ARN,
  KEY_ID,
  KEY_USER,
  LAMBDA_ROLE,
  metadata,
  rawConfig,
  REGION,
  USER_ROLE,
} from '../verify/fixtures';
/** AWS errors in the shapes the SDK produces. */
export { iamAccessDenied, kmsAccessDenied, kmsError } from '../verify/fixtures';

/** The key settings of verify's config, with `extra` on top. */
export function keyWith(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { environments } = rawConfig() as { environments: { tutorial: { key: Record<string, unknown> } } };
  return { ...environments.tutorial.key, ...extra };
}

const stacks = new Map<string, { environment: EnvironmentConfig; stack: SynthesizedStack }>();
/** The config's environment and its synthesized stack, for environment-level overrides (synthesized once per distinct config). */
export function environmentAndStack(overrides: Record<string, unknown> = {}): { environment: EnvironmentConfig; stack: SynthesizedStack } {
  // undefined counts: `{ lambdaRole: undefined }` removes the role, unlike `{}`.
  const id = JSON.stringify(overrides, (_key, value: unknown) => (value === undefined ? '(undefined)' : value));
  let entry = stacks.get(id);
  if (!entry) {
    const appConfig = config(overrides);
    entry = { environment: appConfig.environments[0], stack: synthesizeStack(appConfig, 'tutorial') };
    stacks.set(id, entry);
  }
  return entry;
}

/** verify's mocked KMS, IAM and STS clients plus one Secrets Manager client that serves every region (recorded in `regions`). */
export function mockedClients() {
  const base = verifyClients();
  const secretsManager = new SecretsManagerClient({ region: REGION, credentials: credentials });
  const regions: string[] = [];
  // KMS in other regions (replicas): one mocked client per region, made on first use by the check
  // or by a test that sets up its answers first (`kmsIn(region)`).
  const regionalKms = new Map<string, { client: KMSClient; stub: ReturnType<typeof verifyClients>['kms'] }>();
  const kmsInRegion = (region: string) => {
    let entry = regionalKms.get(region);
    if (!entry) {
      const client = new KMSClient({ region, credentials: credentials });
      entry = { client, stub: mockClient(client) };
      regionalKms.set(region, entry);
    }
    return entry;
  };
  const clients: PreflightClients = {
    ...base.clients,
    secretsManager: (region) => {
      regions.push(region);
      return secretsManager;
    },
    kmsIn: (region) => kmsInRegion(region).client,
  };
  const secrets = mockClient(secretsManager);
  return { clients, kms: base.kms, iam: base.iam, sts: base.sts, secrets, regions, kmsIn: (region: string) => kmsInRegion(region).stub };
}

/** The mocks of `mockedClients()`. */
export type Mocks = ReturnType<typeof mockedClients>;

/** The context runPreflight builds, for `overrides` of the environment and `caller`. */
export function context(
  mocks: Mocks,
  overrides: Record<string, unknown> = {},
  caller: Caller = KEY_ADMIN,
  region = REGION,
): PreflightContext {
  const { environment, stack } = environmentAndStack(overrides);
  return preflightContext({ environment, region, clients: mocks.clients, stack }, caller);
}

/** A role as IAM's GetRole returns it. */
export function iamRole(arn: string) {
  const [, path, name] = /^arn:[a-z-]+:iam::\d{12}:role(\/(?:.*\/)?)([^/]+)$/.exec(arn)!;
  return { Arn: arn, Path: path, RoleName: name, RoleId: 'AROAEXAMPLEEXAMPLE', CreateDate: new Date('2026-01-01T00:00:00Z') };
}

/** A user as IAM's GetUser returns it. */
export function iamUser(arn: string) {
  const [, path, name] = /^arn:[a-z-]+:iam::\d{12}:user(\/(?:.*\/)?)([^/]+)$/.exec(arn)!;
  return { Arn: arn, Path: path, UserName: name, UserId: 'AIDAEXAMPLEEXAMPLE', CreateDate: new Date('2026-01-01T00:00:00Z') };
}

/** IAM in which exactly these roles and users exist (by ARN); GetRole/GetUser of anything else is NoSuchEntity. */
export function iamWorld(iam: Mocks['iam'], arns: readonly string[] = [ADMIN_ROLE, USER_ROLE]): void {
  const byName = (kind: 'role' | 'user', name: string | undefined) => arns.find((arn) => new RegExp(`:${kind}/(.*/)?${name}$`).test(arn));
  iam.on(GetRoleCommand).callsFake(({ RoleName }: { RoleName?: string }) => {
    const arn = byName('role', RoleName);
    if (!arn)
      throw new NoSuchEntityException({ message: `The role with name ${RoleName} cannot be found.`, $metadata: { httpStatusCode: 404 } });
    return { Role: iamRole(arn) };
  });
  iam.on(GetUserCommand).callsFake(({ UserName }: { UserName?: string }) => {
    const arn = byName('user', UserName);
    if (!arn)
      throw new NoSuchEntityException({ message: `The user with name ${UserName} cannot be found.`, $metadata: { httpStatusCode: 404 } });
    return { User: iamUser(arn) };
  });
}

/** A secret's ARN in the fixture's account and region, with Secrets Manager's six-character suffix. */
export function secretArn(name: string, suffix = 'Ab12Cd', region = REGION, account = ACCOUNT): string {
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/** Secrets Manager's "not found", as the SDK models it. */
export function secretNotFound(): ResourceNotFoundException {
  return new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", $metadata: { httpStatusCode: 400 } });
}

/** Secrets Manager's AccessDeniedException, which the SDK does not model. */
export function secretsAccessDenied(action: string, caller: Caller = KEY_ADMIN): SecretsManagerServiceException {
  return new SecretsManagerServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    message: `User: ${caller.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`,
  });
}

/**
 * Secrets Manager in which exactly these secrets exist (by ARN; `deleted` ones are scheduled for
 * deletion): DescribeSecret by name or full ARN, and ListSecrets with a name prefix filter.
 */
export function secretsWorld(secrets: Mocks['secrets'], arns: readonly string[], deleted: readonly string[] = []): void {
  const nameOf = (arn: string) => arn.slice(arn.indexOf(':secret:') + ':secret:'.length, -7);
  const describe = (arn: string) => ({
    ARN: arn,
    Name: nameOf(arn),
    ...(deleted.includes(arn) ? { DeletedDate: new Date('2026-12-20T00:00:00Z') } : {}),
  });
  secrets.on(DescribeSecretCommand).callsFake(({ SecretId }: { SecretId?: string }) => {
    const found = [...arns, ...deleted].find((arn) => arn === SecretId || nameOf(arn) === SecretId);
    if (!found) throw secretNotFound();
    return describe(found);
  });
  secrets
    .on(ListSecretsCommand)
    .callsFake(
      ({ Filters, IncludePlannedDeletion }: { Filters?: { Key?: string; Values?: string[] }[]; IncludePlannedDeletion?: boolean }) => {
        const prefix = Filters?.find((f) => f.Key === 'name')?.Values?.[0] ?? '';
        const listed = [...arns, ...(IncludePlannedDeletion ? deleted : [])].filter((arn) => nameOf(arn).startsWith(prefix));
        return { SecretList: listed.map(describe) };
      },
    );
}

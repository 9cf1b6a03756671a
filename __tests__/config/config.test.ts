import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../config';
import { problems } from './helpers';

type Json = Record<string, unknown>;

/** A valid environment in account 111122223333; each test changes one thing. */
function env(overrides: Json = {}): Json {
  return {
    region: 'eu-west-1',
    accountId: '111122223333',
    key: { alias: 'app-secrets' },
    lambdaRole: { name: 'app-reader' },
    ...overrides,
  };
}

const oneEnv = (overrides: Json = {}) => ({ environments: { prod: env(overrides) } });
const withKey = (key: Json) => oneEnv({ key: { alias: 'app-secrets', ...key } });
const withRole = (role: Json) => oneEnv({ lambdaRole: { name: 'app-reader', ...role } });

describe('defaults mirror the walk-through and are secure', () => {
  test('the embedded default config: alias, tags, a Lambda role under /service-role/', () => {
    const config = loadConfig({});
    expect(config.environments).toHaveLength(1);
    const [tutorial] = config.environments;
    expect(tutorial).toMatchObject({
      name: 'tutorial',
      region: 'us-east-1',
      partition: 'aws',
      accountId: undefined,
      tags: { Environment: 'tutorial', Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' },
      backend: { type: 'local', path: 'terraform.tutorial.tfstate' },
      lambdaRole: {
        name: 'lambda-secrets-role',
        path: '/service-role/',
        secretNamePrefix: 'tutorial/',
        vpcAccess: false,
        importExisting: false,
      },
      secrets: [],
      audit: undefined,
      expectedRequestsPerMonth: 0,
    });
    expect(tutorial.key).toEqual({
      alias: 'alias/secrets-manager-encryption-key',
      description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      multiRegion: false,
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: 30,
      isEnabled: true,
      administrators: [],
      allowAdministratorsToDeleteKey: true,
      users: [],
      enableIamUserPermissions: true,
      preventDestroy: true,
      importKeyId: undefined,
      importAlias: false,
      kmsGrants: [],
      replicaRegions: [],
      additionalAliases: [],
      additionalStatements: [],
    });
  });

  test('rotation defaults to off for keys KMS cannot rotate, with no period', () => {
    const [prod] = parseConfig({
      environments: { prod: env({ key: { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }, lambdaRole: undefined }) },
    }).environments;
    expect(prod.key.enableKeyRotation).toBe(false);
    expect(prod.key.rotationPeriodInDays).toBeUndefined();
    expect(prod.lambdaRole).toBeUndefined();
  });

  test('an alias given with alias/ keeps a single prefix; S3 backend defaults', () => {
    const [prod] = parseConfig(oneEnv({ key: { alias: 'alias/app' }, backend: { type: 's3', bucket: 'state-bucket' } })).environments;
    expect(prod.key.alias).toBe('alias/app');
    expect(prod.backend).toEqual({
      type: 's3',
      bucket: 'state-bucket',
      key: 'prod/terraform.tfstate',
      region: 'eu-west-1',
      useLockfile: true,
      encrypt: true,
    });
  });

  test('partition follows the region', () => {
    const config = parseConfig({
      environments: {
        cn: env({ region: 'cn-north-1', lambdaRole: undefined }),
        gov: env({ region: 'us-gov-west-1', lambdaRole: undefined, key: { alias: 'gov' } }),
      },
    });
    expect(config.environments.map((e) => e.partition)).toEqual(['aws-cn', 'aws-us-gov']);
  });
});

describe('every value AWS would reject is rejected, naming environment, field, value and what is allowed', () => {
  test.each<[string, unknown, string]>([
    [
      'alias with a bad character',
      withKey({ alias: 'my key' }),
      'environments.prod.key.alias: "my key" is not a valid alias; allowed: letters, digits, "/", "_" and "-", optionally after "alias/"',
    ],
    [
      'alias reserved for AWS',
      withKey({ alias: 'alias/aws/secretsmanager' }),
      'environments.prod.key.alias: "alias/aws/secretsmanager" starts with "alias/aws/" (in any case), which is reserved for AWS managed keys',
    ],
    [
      'alias too long',
      withKey({ alias: 'a'.repeat(251) }),
      `environments.prod.key.alias: "alias/${'a'.repeat(54)}"... (257 characters) is too long; an alias is at most 256 characters including "alias/"`,
    ],
    ['account id', oneEnv({ accountId: '1234' }), 'environments.prod.accountId: "1234" is not an AWS account id; expected 12 digits'],
    [
      'region',
      oneEnv({ region: 'Europe' }),
      'environments.prod.region: "Europe" is not an AWS region name; expected a name such as "eu-west-1"',
    ],
    [
      'administrator ARN',
      withKey({ administrators: ['arn:aws:iam::111122223333:group/admins'] }),
      'environments.prod.key.administrators[0]: "arn:aws:iam::111122223333:group/admins" is not an IAM principal ARN; expected arn:<partition>:iam::<12-digit account>:root, :user/<path/>name or :role/<path/>name',
    ],
    [
      'user ARN',
      withKey({ users: ['alice'] }),
      'environments.prod.key.users[0]: "alice" is not an IAM principal ARN; expected arn:<partition>:iam::<12-digit account>:root, :user/<path/>name or :role/<path/>name',
    ],
    [
      'ARN in another partition',
      withKey({ users: ['arn:aws-cn:iam::111122223333:user/alice'] }),
      'environments.prod.key.users[0]: "arn:aws-cn:iam::111122223333:user/alice" is in partition aws-cn, but region eu-west-1 is in aws',
    ],
    [
      'same administrator twice',
      withKey({ administrators: ['arn:aws:iam::111122223333:role/A', 'arn:aws:iam::111122223333:role/A'] }),
      'environments.prod.key.administrators: "arn:aws:iam::111122223333:role/A" is listed twice',
    ],
    [
      'deletion window too short',
      withKey({ deletionWindowInDays: 3 }),
      'environments.prod.key.deletionWindowInDays: 3 is out of range; KMS allows 7-30 days',
    ],
    [
      'deletion window too long',
      withKey({ deletionWindowInDays: 31 }),
      'environments.prod.key.deletionWindowInDays: 31 is out of range; KMS allows 7-30 days',
    ],
    [
      'deletion window not whole',
      withKey({ deletionWindowInDays: 7.5 }),
      'environments.prod.key.deletionWindowInDays: 7.5 must be a whole number; KMS allows 7-30 days',
    ],
    [
      'deletion window as text',
      withKey({ deletionWindowInDays: '30' }),
      'environments.prod.key.deletionWindowInDays: expected a whole number, got "30"',
    ],
    [
      'rotation period too short',
      withKey({ rotationPeriodInDays: 30 }),
      'environments.prod.key.rotationPeriodInDays: 30 is out of range; KMS allows 90-2560 days',
    ],
    [
      'rotation period too long',
      withKey({ rotationPeriodInDays: 3000 }),
      'environments.prod.key.rotationPeriodInDays: 3000 is out of range; KMS allows 90-2560 days',
    ],
    [
      'rotation period with rotation off',
      withKey({ enableKeyRotation: false, rotationPeriodInDays: 180 }),
      'environments.prod.key.rotationPeriodInDays: 180 is set but rotation is off; remove it or enable rotation on a symmetric encryption key',
    ],
    [
      'rotation on a key that cannot rotate',
      oneEnv({ key: { alias: 'sign', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', enableKeyRotation: true }, lambdaRole: undefined }),
      'environments.prod.key.enableKeyRotation: true is not allowed for a RSA_2048/SIGN_VERIFY key; KMS rotates only SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys automatically',
    ],
    [
      'key spec/usage pair',
      oneEnv({ key: { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'ENCRYPT_DECRYPT' }, lambdaRole: undefined }),
      'environments.prod.key.keyUsage: "ENCRYPT_DECRYPT" is not allowed for key spec HMAC_256; allowed: GENERATE_VERIFY_MAC',
    ],
    [
      'unknown key spec',
      withKey({ keySpec: 'ML_DSA_44' }),
      'environments.prod.key.keySpec: "ML_DSA_44" is not a valid key spec; allowed: SYMMETRIC_DEFAULT, RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2',
    ],
    [
      'SM2 outside China',
      oneEnv({ key: { alias: 'sm2', keySpec: 'SM2', keyUsage: 'SIGN_VERIFY' }, lambdaRole: undefined }),
      'environments.prod.key.keySpec: "SM2" is only available in the China regions (cn-*), not in eu-west-1',
    ],
    [
      'Lambda role on a signing key',
      oneEnv({ key: { alias: 'sign', keySpec: 'ECC_NIST_P256', keyUsage: 'SIGN_VERIFY' } }),
      'environments.prod.lambdaRole: is set, but the key is ECC_NIST_P256/SIGN_VERIFY; Secrets Manager only uses SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys, so remove lambdaRole or change the key',
    ],
    [
      'role name',
      withRole({ name: 'my role' }),
      'environments.prod.lambdaRole.name: "my role" is not a valid IAM role name; allowed: 1-64 letters, digits and +=,.@_-',
    ],
    [
      'role name too long',
      withRole({ name: 'r'.repeat(65) }),
      `environments.prod.lambdaRole.name: "${'r'.repeat(65)}" is not a valid IAM role name; allowed: 1-64 letters, digits and +=,.@_-`,
    ],
    [
      'role path',
      withRole({ path: 'service-role' }),
      'environments.prod.lambdaRole.path: "service-role" is not a valid IAM path; expected "/" or "/segment/.../" (printable ASCII, starting and ending with "/")',
    ],
    [
      'role path too long',
      withRole({ path: `/${'p'.repeat(511)}/` }),
      `environments.prod.lambdaRole.path: "/${'p'.repeat(59)}"... (513 characters) is longer than 512 characters`,
    ],
    [
      'secret ARN',
      withRole({ secretArns: ['arn:aws:s3:::bucket'] }),
      'environments.prod.lambdaRole.secretArns[0]: "arn:aws:s3:::bucket" is not a Secrets Manager secret ARN; expected arn:<partition>:secretsmanager:<region>:<account>:secret:<name>',
    ],
    [
      'secret prefix',
      withRole({ secretNamePrefix: 'has space' }),
      'environments.prod.lambdaRole.secretNamePrefix: "has space" is not a valid secret name prefix; allowed: 1-512 letters, digits and /_+=.@-',
    ],
    [
      'too many tags',
      oneEnv({ tags: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'v'])) }),
      'environments.prod.tags: 51 tags; AWS allows at most 50 per resource',
    ],
    [
      'tag key too long',
      oneEnv({ tags: { ['k'.repeat(129)]: 'v' } }),
      `environments.prod.tags.${'k'.repeat(129)}: tag key "${'k'.repeat(60)}"... (129 characters) is longer than 128 characters`,
    ],
    [
      'tag value too long',
      oneEnv({ tags: { Team: 'v'.repeat(257) } }),
      `environments.prod.tags.Team: tag value "${'v'.repeat(60)}"... (257 characters) is longer than 256 characters`,
    ],
    [
      'tag key reserved',
      oneEnv({ tags: { 'aws:owner': 'me' } }),
      'environments.prod.tags["aws:owner"]: tag key "aws:owner" starts with "aws:", which AWS reserves',
    ],
    [
      'tag character',
      oneEnv({ tags: { Team: 'a#b' } }),
      'environments.prod.tags.Team: tag value "a#b" has characters AWS does not allow; allowed: letters, digits, spaces and _ . : / = + - @',
    ],
    [
      'environment name',
      { environments: { '1prod': env() } },
      'environments["1prod"]: "1prod" is not a valid environment name; expected ^[A-Za-z][A-Za-z0-9_-]{0,63}$',
    ],
    ['no environments', { environments: {} }, 'environments: must name at least one environment'],
    [
      'lockout',
      withKey({ enableIamUserPermissions: false }),
      'environments.prod.key.administrators: is empty while enableIamUserPermissions is false: nobody could manage the key (KMS would refuse the policy as a lockout); name at least one administrator or enable IAM user permissions',
    ],
    [
      'unknown key in key',
      withKey({ rotation: true }),
      'environments.prod.key: unknown field "rotation"; allowed: alias, description, keySpec, keyUsage, multiRegion, enableKeyRotation, rotationPeriodInDays, deletionWindowInDays, isEnabled, administrators, allowAdministratorsToDeleteKey, users, enableIamUserPermissions, preventDestroy, importKeyId, importAlias, kmsGrants, replicaRegions, additionalAliases, additionalStatements',
    ],
    ['unknown key at top level', { environments: { prod: env() }, envs: {} }, 'unknown field "envs"; allowed: environments'],
    [
      'unknown key in environment',
      oneEnv({ acountId: '111122223333' }),
      'environments.prod: unknown field "acountId"; allowed: region, accountId, key, lambdaRole, secrets, audit, expectedRequestsPerMonth, tags, backend',
    ],
    [
      'unknown backend type',
      oneEnv({ backend: { type: 'gcs' } }),
      'environments.prod.backend.type: "gcs" is not a backend type; allowed: "local", "s3", "cloud"',
    ],
    [
      'absolute state path',
      oneEnv({ backend: { type: 'local', path: '/var/state.tfstate' } }),
      'environments.prod.backend.path: "/var/state.tfstate" is an absolute path; give a path relative to the project root',
    ],
    [
      'bucket name',
      oneEnv({ backend: { type: 's3', bucket: 'My_Bucket' } }),
      'environments.prod.backend.bucket: "My_Bucket" is not a valid S3 bucket name; allowed: lower-case letters, digits, "." and "-"',
    ],
    [
      'cloud without workspace',
      oneEnv({ backend: { type: 'cloud', organization: 'acme' } }),
      'environments.prod.backend.workspace: is required',
    ],
    ['boolean as text', withKey({ preventDestroy: 'false' }), 'environments.prod.key.preventDestroy: expected true or false, got "false"'],
  ])('%s', (_name, config, message) => {
    expect(problems(config)).toContain(message);
  });

  test('aliases are unique per account and region', () => {
    const config = {
      environments: {
        a: env({ lambdaRole: undefined }),
        b: env({ lambdaRole: undefined }),
        c: env({ region: 'eu-west-2', lambdaRole: undefined }),
      },
    };
    expect(problems(config)).toEqual([
      'environments.b.key.alias: "alias/app-secrets" is already used by environment "a" in 111122223333 and eu-west-1; aliases are unique per account and region',
    ]);
  });

  test('role names are unique per account across regions, ignoring case', () => {
    const config = {
      environments: {
        a: env({ key: { alias: 'a' } }),
        b: env({ region: 'us-east-1', key: { alias: 'b' }, lambdaRole: { name: 'APP-READER' } }),
        c: env({ accountId: '444455556666', key: { alias: 'c' } }),
      },
    };
    expect(problems(config)).toEqual([
      'environments.b.lambdaRole.name: "APP-READER" is already used by environment "a" in 111122223333; IAM role names are unique per account across regions, ignoring case',
    ]);
  });

  test('two environments may not share a state file', () => {
    const config = {
      environments: {
        a: env({ key: { alias: 'a' }, lambdaRole: undefined, backend: { type: 'local', path: 'state.tfstate' } }),
        b: env({ key: { alias: 'b' }, lambdaRole: undefined, backend: { type: 'local', path: './state.tfstate' } }),
      },
    };
    expect(problems(config)).toEqual([
      'environments.b.backend: keeps its state in "state.tfstate", the state file of environment "a"; two stacks must not share a state',
    ]);
  });

  test('all problems are reported at once', () => {
    const config = {
      environments: {
        prod: env({ accountId: 'x', key: { alias: 'alias/aws/x', deletionWindowInDays: 1 } }),
        dev: env({ region: 'nowhere' }),
      },
    };
    expect(problems(config)).toHaveLength(4);
  });
});

describe('KMS_CONFIG', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('is read relative to the working directory', () => {
    writeFileSync(join(dir, 'kms.json'), JSON.stringify(oneEnv()));
    expect(loadConfig({ KMS_CONFIG: 'kms.json' }, dir).environments.map((e) => e.name)).toEqual(['prod']);
  });

  test('a missing file is a config error', () => {
    expect(() => loadConfig({ KMS_CONFIG: 'nope.json' }, dir)).toThrow(
      expect.objectContaining({ problems: ['cannot read the config file: no such file'] }),
    );
  });

  test('malformed JSON is a config error naming the file', () => {
    writeFileSync(join(dir, 'bad.json'), '{ "environments": ');
    let caught: unknown;
    try {
      loadConfig({ KMS_CONFIG: 'bad.json' }, dir);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).source).toBe(join(dir, 'bad.json'));
    expect((caught as ConfigError).problems[0]).toMatch(/^not valid JSON at line 1, column 19: Unexpected end of input found\.$/);
  });
});

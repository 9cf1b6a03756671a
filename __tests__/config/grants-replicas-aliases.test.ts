/**
 * `key.kmsGrants`, `key.replicaRegions` and `key.additionalAliases`: what is accepted and every
 * rejection with its message.
 */
import { parseConfig } from '../../config';
import { problems } from './helpers';

type Json = Record<string, unknown>;

const ROLE = 'arn:aws:iam::111122223333:role/batch';
const env = (key: Json, overrides: Json = {}): Json => ({
  region: 'eu-west-1',
  accountId: '111122223333',
  key: { alias: 'app', ...key },
  ...overrides,
});
const config = (key: Json, overrides: Json = {}) => ({ environments: { prod: env(key, overrides) } });
const grant = (overrides: Json = {}): Json => ({ name: 'batch', granteePrincipal: ROLE, operations: ['Decrypt'], ...overrides });
const withGrant = (g: Json, key: Json = {}) => config({ kmsGrants: [g], ...key });

describe('KMS grants', () => {
  test('accepted, with one constraint', () => {
    const [prod] = parseConfig(
      withGrant(
        grant({
          operations: ['Decrypt', 'GenerateDataKey'],
          encryptionContextSubset: { Department: '10' },
          retiringPrincipal: 'arn:aws:iam::111122223333:user/ops',
        }),
      ),
    ).environments;
    expect(prod.key.kmsGrants).toEqual([
      {
        name: 'batch',
        granteePrincipal: ROLE,
        operations: ['Decrypt', 'GenerateDataKey'],
        encryptionContextSubset: { Department: '10' },
        retiringPrincipal: 'arn:aws:iam::111122223333:user/ops',
      },
    ]);
  });

  test.each<[string, Json, Json, string]>([
    [
      'an operation that does not suit the key',
      grant({ operations: ['Sign'] }),
      {},
      'environments.prod.key.kmsGrants[0].operations: "Sign" does not suit a SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT key; allowed: Decrypt, DescribeKey, Encrypt, GenerateDataKey, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, ReEncryptTo, RetireGrant',
    ],
    [
      'CreateGrant',
      grant({ operations: ['Decrypt', 'CreateGrant'] }),
      {},
      'environments.prod.key.kmsGrants[0].operations: includes "CreateGrant", which would let the grantee re-delegate its access; this project refuses it',
    ],
    [
      'no operations',
      grant({ operations: [] }),
      {},
      'environments.prod.key.kmsGrants[0].operations: is empty; a grant gives at least one operation',
    ],
    [
      'an unknown operation',
      grant({ operations: ['Decrypts'] }),
      {},
      'environments.prod.key.kmsGrants[0].operations[0]: "Decrypts" is not a KMS grant operation; allowed: Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, ReEncryptFrom, ReEncryptTo, Sign, Verify, GetPublicKey, GenerateMac, VerifyMac, DeriveSharedSecret, DescribeKey, RetireGrant, CreateGrant',
    ],
    [
      'both constraints',
      grant({ encryptionContextEquals: { a: '1' }, encryptionContextSubset: { b: '2' } }),
      {},
      'environments.prod.key.kmsGrants[0].encryptionContextSubset: is given with encryptionContextEquals; give at most one constraint (this project’s rule: KMS would apply both, which is seldom what was meant)',
    ],
    [
      'more than 8 pairs',
      grant({ encryptionContextSubset: Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v'])) }),
      {},
      'environments.prod.key.kmsGrants[0].encryptionContextSubset: 9 pairs; a grant constraint holds at most 8',
    ],
    [
      'a value over 384 characters',
      grant({ encryptionContextEquals: { k: 'v'.repeat(385) } }),
      {},
      `environments.prod.key.kmsGrants[0].encryptionContextEquals.k: "${'v'.repeat(60)}"... (385 characters) is longer than 384 characters`,
    ],
    [
      'keys that differ only in case',
      grant({ encryptionContextEquals: { Dept: '1', dept: '2' } }),
      {},
      'environments.prod.key.kmsGrants[0].encryptionContextEquals.dept: key "dept" differs from "Dept" only in case; grant constraints compare keys without case',
    ],
    [
      'a bad name',
      grant({ name: 'batch job' }),
      {},
      'environments.prod.key.kmsGrants[0].name: "batch job" is not a valid grant name; allowed: 1-256 letters, digits and :/_-',
    ],
    [
      'a grantee that is not a role or user',
      grant({ granteePrincipal: 'arn:aws:iam::111122223333:root' }),
      {},
      'environments.prod.key.kmsGrants[0].granteePrincipal: "arn:aws:iam::111122223333:root" is not an IAM role or user ARN; expected arn:<partition>:iam::<account>:role/<path/>name or :user/<path/>name',
    ],
    [
      'a retiring principal that is not a role or user',
      grant({ retiringPrincipal: '*' }),
      {},
      'environments.prod.key.kmsGrants[0].retiringPrincipal: "*" is not an IAM role or user ARN; expected arn:<partition>:iam::<account>:role/<path/>name or :user/<path/>name',
    ],
    [
      'a grantee in another partition',
      grant({ granteePrincipal: 'arn:aws-cn:iam::111122223333:role/batch' }),
      {},
      'environments.prod.key.kmsGrants[0].granteePrincipal: "arn:aws-cn:iam::111122223333:role/batch" is in partition aws-cn, but region eu-west-1 is in aws',
    ],
    [
      'a grant to an administrator',
      grant(),
      { administrators: [ROLE] },
      `environments.prod.key.kmsGrants[0].granteePrincipal: "${ROLE}" is a key administrator; administrators manage the key and must not use it, so grant to another principal`,
    ],
    [
      'grants without IAM user permissions',
      grant(),
      { enableIamUserPermissions: false, administrators: ['arn:aws:iam::111122223333:role/admin'] },
      'environments.prod.key.kmsGrants: need enableIamUserPermissions: the identity that deploys creates grants with kms:CreateGrant through its IAM policy (administrators do not have it, by design)',
    ],
  ])('%s is refused', (_label, g, key, message) => {
    expect(problems(withGrant(g, key))).toEqual([message]);
  });

  test('constraints on a key other than a symmetric encryption key', () => {
    const key = {
      alias: 'sign',
      keySpec: 'RSA_2048',
      keyUsage: 'SIGN_VERIFY',
      kmsGrants: [grant({ operations: ['Sign'], encryptionContextEquals: { a: '1' } })],
    };
    expect(problems(config(key))).toEqual([
      'environments.prod.key.kmsGrants[0].encryptionContextEquals: is set on a RSA_2048/SIGN_VERIFY key; KMS supports grant constraints only on symmetric encryption keys',
    ]);
  });

  test('operations follow the key usage: signing and MAC keys', () => {
    expect(() =>
      parseConfig(
        config({
          alias: 'sign',
          keySpec: 'ECC_NIST_P256',
          keyUsage: 'SIGN_VERIFY',
          kmsGrants: [grant({ operations: ['Sign', 'Verify', 'GetPublicKey'] })],
        }),
      ),
    ).not.toThrow();
    expect(
      problems(
        config({
          alias: 'mac',
          keySpec: 'HMAC_256',
          keyUsage: 'GENERATE_VERIFY_MAC',
          kmsGrants: [grant({ operations: ['GenerateMac', 'Decrypt'] })],
        }),
      ),
    ).toEqual([
      'environments.prod.key.kmsGrants[0].operations: "Decrypt" does not suit a HMAC_256/GENERATE_VERIFY_MAC key; allowed: DescribeKey, GenerateMac, RetireGrant, VerifyMac',
    ]);
  });

  test('duplicate names, and names that map to one address', () => {
    expect(problems(config({ kmsGrants: [grant(), grant(), grant({ name: 'a:b' }), grant({ name: 'a/b' })] }))).toEqual([
      'environments.prod.key.kmsGrants[1].name: "batch" is used twice; grant names are unique per key',
      'environments.prod.key.kmsGrants[3].name: "a/b" and "a:b" both become the Terraform address aws_kms_grant.key_grant_a_b; rename one',
    ]);
  });

  test('a grant to the Lambda role this environment creates (it would bypass kms:ViaService)', () => {
    const role = 'arn:aws:iam::111122223333:role/service-role/reader';
    expect(problems(config({ kmsGrants: [grant({ granteePrincipal: role })] }, { lambdaRole: { name: 'reader' } }))).toEqual([
      `environments.prod.key.kmsGrants[0].granteePrincipal: "${role}" is the Lambda role this environment creates; a grant would bypass its kms:ViaService and SecretARN conditions, so it must not receive one`,
    ]);
  });
});

describe('replica regions', () => {
  test('accepted on a multi-Region key', () => {
    expect(
      parseConfig(config({ multiRegion: true, replicaRegions: ['us-west-2', 'eu-central-1'] })).environments[0].key.replicaRegions,
    ).toEqual(['us-west-2', 'eu-central-1']);
  });

  test.each<[string, Json, string[]]>([
    [
      'without multiRegion',
      { replicaRegions: ['us-west-2'] },
      ['environments.prod.key.replicaRegions: need multiRegion: true; only a multi-Region primary key can have replicas'],
    ],
    [
      'the primary’s region',
      { multiRegion: true, replicaRegions: ['eu-west-1'] },
      ['environments.prod.key.replicaRegions[0]: "eu-west-1" is the primary key\'s own region; a replica goes to another region'],
    ],
    [
      'another partition',
      { multiRegion: true, replicaRegions: ['cn-north-1'] },
      [
        'environments.prod.key.replicaRegions[0]: "cn-north-1" is in partition aws-cn, but the primary key\'s region eu-west-1 is in aws; replicas stay in the primary\'s partition',
      ],
    ],
    [
      'a duplicate',
      { multiRegion: true, replicaRegions: ['us-west-2', 'us-west-2'] },
      ['environments.prod.key.replicaRegions[1]: "us-west-2" is listed twice'],
    ],
    [
      'an unknown region',
      { multiRegion: true, replicaRegions: ['us-west-9'] },
      [
        'environments.prod.key.replicaRegions[0]: "us-west-9" is not an AWS region that hashicorp/aws 5.100.0 knows; expected a region such as "eu-west-1" (see policy/regions.ts)',
      ],
    ],
  ])('%s is refused', (_label, key, expected) => {
    expect(problems(config(key))).toEqual(expected);
  });
});

describe('additional aliases', () => {
  test('accepted with or without alias/', () => {
    expect(parseConfig(config({ additionalAliases: ['legacy', 'alias/team/app'] })).environments[0].key.additionalAliases).toEqual([
      'alias/legacy',
      'alias/team/app',
    ]);
  });

  test.each<[string, Json, string]>([
    [
      'a duplicate of alias',
      { additionalAliases: ['app'] },
      'environments.prod.key.additionalAliases[0]: "alias/app" is the key’s alias already',
    ],
    [
      'a duplicate of each other',
      { additionalAliases: ['x', 'alias/x'] },
      'environments.prod.key.additionalAliases[1]: "alias/x" is listed twice',
    ],
    [
      'two that map to one address',
      { additionalAliases: ['a-b', 'a_b'] },
      'environments.prod.key.additionalAliases[1]: "alias/a_b" and "alias/a-b" both become one Terraform address (aws_kms_alias.key_alias_a_b); rename one',
    ],
    [
      'a reserved one',
      { additionalAliases: ['aws/x'] },
      'environments.prod.key.additionalAliases[0]: "alias/aws/x" starts with "alias/aws/" (in any case), which is reserved for AWS managed keys',
    ],
  ])('%s is refused', (_label, key, message) => {
    expect(problems(config(key))).toEqual([message]);
  });

  test('unique per account and region across environments, replica regions included', () => {
    const both = {
      environments: {
        a: env({ alias: 'a', multiRegion: true, replicaRegions: ['us-west-2'], additionalAliases: ['shared'] }),
        b: env({ alias: 'b', additionalAliases: ['shared'] }, { region: 'us-west-2' }),
        c: env({ alias: 'c', additionalAliases: ['shared'] }, { region: 'eu-central-1' }),
      },
    };
    expect(problems(both)).toEqual([
      'environments.b.key.additionalAliases[0]: "alias/shared" is already used by environment "a" in 111122223333 and us-west-2; aliases are unique per account and region',
    ]);
  });
});

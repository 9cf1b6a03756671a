/**
 * Extra key-policy statements (`key.additionalStatements`, `addToResourcePolicy`): accepted ones reach
 * the policy with `Resource: "*"`, count in the size limit, and every rule refuses with its message.
 */
import { parseConfig } from '../../config';
import { CustomerManagedKey } from '../../constructs';
import type { ExtraStatement } from '../../policy/extra-statements';
import { AWS, newStack } from '../constructs/helpers';
import { problems } from './helpers';

type Json = Record<string, unknown>;

const ACCOUNT = '111122223333';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/admin`;
const READER = `arn:aws:iam::${ACCOUNT}:role/reader`;
/** A statement for the constructs' props; `statement` is the same as config input, any field overridden. */
const extra = (overrides: Partial<ExtraStatement> = {}): ExtraStatement => ({
  sid: 'AllowReader',
  effect: 'Allow',
  principals: [{ type: 'AWS', identifiers: [READER] }],
  actions: ['kms:DescribeKey'],
  ...overrides,
});
const statement = (overrides: Json = {}): Json => ({ ...extra(), ...overrides });
const config = (statements: Json[], key: Json = {}) => ({
  environments: {
    prod: {
      region: 'eu-west-1',
      accountId: ACCOUNT,
      key: { alias: 'app', administrators: [ADMIN], additionalStatements: statements, ...key },
    },
  },
});
const at = (index: number, rest: string) => `environments.prod.key.additionalStatements[${index}]${rest}`;

describe('accepted', () => {
  test('a statement reaches the key policy after the others, with Resource "*"', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS, additionalStatements: [extra()] });
    expect(key.policyStatements().at(-1)).toEqual({
      sid: 'AllowReader',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: [READER] }],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
    });
  });

  test('"*" pinned to the organization; kms:* to the account root; a Deny of Decrypt outside the organization', () => {
    const org = { test: 'StringEquals', variable: 'aws:PrincipalOrgID', values: ['o-abc123'] };
    expect(() =>
      parseConfig(
        config([
          statement({ sid: 'OrgDescribe', principals: [{ type: 'AWS', identifiers: ['*'] }], conditions: [org] }),
          statement({ sid: 'RootAgain', principals: [{ type: 'AWS', identifiers: [ROOT] }], actions: ['kms:*'] }),
          statement({
            sid: 'DenyOutsideOrg',
            effect: 'Deny',
            principals: [{ type: 'AWS', identifiers: ['*'] }],
            actions: ['kms:Decrypt'],
            conditions: [{ test: 'StringNotEquals', variable: 'aws:PrincipalOrgID', values: ['o-abc123'] }],
          }),
        ]),
      ),
    ).not.toThrow();
  });

  test('addToResourcePolicy adds after construction, and a grant made later avoids its Sid', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    key.addToResourcePolicy(extra({ sid: 'GrantReader' }));
    key.grantDecrypt(READER);
    expect(key.policyStatements().map((s) => s.sid)).toEqual(['EnableIamUserPermissions', 'GrantReader2', 'GrantReader']);
  });
});

describe('refused, with the field named', () => {
  test.each<[string, Json, string]>([
    [
      'kms:* to anyone but the account root',
      statement({ actions: ['kms:*'] }),
      at(0, `.actions: gives kms:*, which only the account root ${ROOT} may have; list the actions`),
    ],
    [
      'a service principal',
      statement({ principals: [{ type: 'Service', identifiers: ['secretsmanager.amazonaws.com'] }] }),
      at(
        0,
        '.principals[0].type: "Service" principals are refused: the key policy names no service (Secrets Manager and others use the key with their callers\' permissions)',
      ),
    ],
    [
      '"*" without a pinning condition',
      statement({ principals: [{ type: 'AWS', identifiers: ['*'] }] }),
      at(
        0,
        '.principals: "*" is allowed only with a StringEquals condition on kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalOrgID with literal values',
      ),
    ],
    [
      '"*" pinned with a wildcard value',
      statement({
        principals: [{ type: 'AWS', identifiers: ['*'] }],
        conditions: [{ test: 'StringEquals', variable: 'kms:CallerAccount', values: ['*'] }],
      }),
      at(
        0,
        '.principals: "*" is allowed only with a StringEquals condition on kms:CallerAccount, aws:PrincipalAccount or aws:PrincipalOrgID with literal values',
      ),
    ],
    [
      'a Deny of PutKeyPolicy to an administrator',
      statement({ effect: 'Deny', principals: [{ type: 'AWS', identifiers: [ADMIN] }], actions: ['kms:Put*'] }),
      at(
        0,
        `.effect: denies kms:PutKeyPolicy to ${ADMIN}: KMS's lockout safety check would refuse the policy at apply, and nobody could change it afterwards`,
      ),
    ],
    [
      'a Deny of PutKeyPolicy to the account',
      statement({ effect: 'Deny', principals: [{ type: 'AWS', identifiers: [ROOT] }], actions: ['kms:*'] }),
      at(
        0,
        `.effect: denies kms:PutKeyPolicy to ${ROOT}: KMS's lockout safety check would refuse the policy at apply, and nobody could change it afterwards`,
      ),
    ],
    [
      'a built-in Sid',
      statement({ sid: 'KeyAdministrators' }),
      at(0, '.sid: "KeyAdministrators" is already a Sid of the key policy; Sids are unique'),
    ],
    ['a Sid with other characters', statement({ sid: 'allow-reader' }), at(0, '.sid: "allow-reader" must be 1-128 letters and digits')],
    [
      'an action that is not KMS',
      statement({ actions: ['s3:GetObject'] }),
      at(0, '.actions[0]: "s3:GetObject" is not a KMS action (kms:...)'),
    ],
    [
      'a principal of another partition',
      statement({ principals: [{ type: 'AWS', identifiers: ['arn:aws-cn:iam::111122223333:role/x'] }] }),
      at(0, '.principals: "arn:aws-cn:iam::111122223333:role/x" is not in the key\'s partition aws'),
    ],
    [
      'a principal that is no ARN',
      statement({ principals: [{ type: 'AWS', identifiers: ['reader'] }] }),
      at(0, '.principals: "reader" is neither an IAM principal ARN nor "*"'),
    ],
    [
      'an unknown field',
      statement({ resources: ['*'] }),
      at(0, ': unknown field "resources"; allowed: sid, effect, principals, actions, conditions'),
    ],
  ])('%s', (_label, s, message) => {
    expect(problems(config([s]))).toEqual([message]);
  });

  test('two statements with one Sid', () => {
    expect(problems(config([statement(), statement()]))).toEqual([
      at(1, '.sid: "AllowReader" is already a Sid of the key policy; Sids are unique'),
    ]);
  });

  test('kms:* with no accountId says to list the actions', () => {
    const noAccount = {
      environments: {
        prod: {
          region: 'eu-west-1',
          key: {
            alias: 'app',
            additionalStatements: [statement({ principals: [{ type: 'AWS', identifiers: [ROOT] }], actions: ['kms:*'] })],
          },
        },
      },
    };
    expect(problems(noAccount)).toEqual([
      at(0, '.actions: gives kms:*, which only the account root may have; with no accountId, list the actions'),
    ]);
  });

  test('addToResourcePolicy refuses a Sid a grant already has', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    key.grantDecrypt(READER);
    expect(() => key.addToResourcePolicy(extra({ sid: 'GrantReader' }))).toThrow(
      'additionalStatements[0].sid: "GrantReader" is already a Sid of the key policy; Sids are unique',
    );
  });

  test('extra statements count in the 32,768-byte limit', () => {
    const big = Array.from({ length: 40 }, (_, i) =>
      extra({
        sid: `S${i}`,
        principals: [
          { type: 'AWS', identifiers: Array.from({ length: 15 }, (_x, j) => `arn:aws:iam::${ACCOUNT}:role/some-long-role-name-${i}-${j}`) },
        ],
      }),
    );
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS, additionalStatements: big });
    expect(key.keyPolicyBytes()).toBeGreaterThan(32_768);
  });
});

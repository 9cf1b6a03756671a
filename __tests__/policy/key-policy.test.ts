import {
  ADMIN_ACTIONS,
  addGrant,
  adminActions,
  grantableActions,
  keyPolicyStatements,
  normalizePolicy,
  renderPolicy,
  userActions,
  viaServiceConditions,
  type KeyPolicyInput,
} from '../../policy';

const base: KeyPolicyInput = {
  partition: 'aws',
  accountId: '111122223333',
  keySpec: 'SYMMETRIC_DEFAULT',
  keyUsage: 'ENCRYPT_DECRYPT',
  multiRegion: false,
  enableIamUserPermissions: true,
  administrators: [],
  allowAdministratorsToDeleteKey: true,
  users: [],
  grants: [],
};
const admin = 'arn:aws:iam::111122223333:role/KeyAdmin';
const user = 'arn:aws:iam::111122223333:user/alice';

describe('the key policy names each principal with a fixed Sid', () => {
  test('default: only the account-root statement, which delegates kms:* to IAM', () => {
    expect(renderPolicy(keyPolicyStatements(base))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EnableIamUserPermissions',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111122223333:root'] },
          Action: ['kms:*'],
          Resource: ['*'],
        },
      ],
    });
  });

  test('without IAM user permissions there is no account-root statement', () => {
    const sids = keyPolicyStatements({ ...base, enableIamUserPermissions: false, administrators: [admin] }).map((s) => s.sid);
    expect(sids).toEqual(['KeyAdministrators']);
  });

  test('administrators, users and grants each get their own statement, in that order', () => {
    const statements = keyPolicyStatements({
      ...base,
      administrators: [admin],
      users: [user],
      grants: [{ sid: 'GrantApp', principalArn: 'arn:aws:iam::111122223333:role/app', actions: ['kms:Decrypt'], conditions: [] }],
    });
    expect(statements.map((s) => s.sid)).toEqual(['EnableIamUserPermissions', 'KeyAdministrators', 'KeyUsers', 'GrantApp']);
    expect(statements[1].principals).toEqual([{ type: 'AWS', identifiers: [admin] }]);
    expect(statements[2].actions).toEqual(['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']);
    expect(statements[3].conditions).toBeUndefined();
  });

  test('no statement but the account root grants kms:*', () => {
    const statements = keyPolicyStatements({ ...base, administrators: [admin], users: [user] });
    for (const s of statements.filter((st) => st.sid !== 'EnableIamUserPermissions')) {
      expect(s.actions).not.toContain('kms:*');
    }
  });
});

describe('administrators manage the key and cannot use it', () => {
  const actions = adminActions({ rotatable: true, multiRegion: false });

  test('the list is explicit: no wildcard patterns', () => {
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
  });

  test('no cryptographic action and no CreateGrant (which would let an admin grant itself Decrypt)', () => {
    for (const forbidden of ['kms:CreateGrant', 'kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:ReEncryptFrom', 'kms:Sign']) {
      expect(actions).not.toContain(forbidden);
    }
  });

  test('includes the management the walk-through needs, with on-demand rotation', () => {
    expect(actions).toEqual(
      expect.arrayContaining([
        'kms:PutKeyPolicy',
        'kms:EnableKey',
        'kms:DisableKey',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:EnableKeyRotation',
        'kms:RotateKeyOnDemand',
        'kms:TagResource',
        'kms:DescribeKey',
      ]),
    );
  });

  test('rotation actions only for keys that rotate; replication only for multi-Region keys', () => {
    const hmac = adminActions({ rotatable: false, multiRegion: false });
    expect(hmac).not.toContain('kms:RotateKeyOnDemand');
    expect(hmac).toEqual([...ADMIN_ACTIONS, 'kms:CancelKeyDeletion', 'kms:ScheduleKeyDeletion'].sort());
    expect(adminActions({ rotatable: false, multiRegion: true })).toEqual(
      expect.arrayContaining(['kms:ReplicateKey', 'kms:UpdatePrimaryRegion']),
    );
  });
});

describe('"Allow key administrators to delete this key"', () => {
  const admins = (allowAdministratorsToDeleteKey: boolean) =>
    keyPolicyStatements({ ...base, administrators: [admin], allowAdministratorsToDeleteKey }).find((s) => s.sid === 'KeyAdministrators')!
      .actions;

  test('on: administrators may schedule and cancel deletion', () => {
    expect(admins(true)).toEqual(expect.arrayContaining(['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion']));
  });

  test('off: neither, and nothing else changes', () => {
    expect(admins(false)).not.toContain('kms:ScheduleKeyDeletion');
    expect(admins(false)).not.toContain('kms:CancelKeyDeletion');
    expect(admins(true).filter((a) => !admins(false).includes(a))).toEqual(['kms:CancelKeyDeletion', 'kms:ScheduleKeyDeletion']);
  });
});

describe('users get the actions that fit the key type', () => {
  test.each([
    ['SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']],
    ['RSA_2048', 'ENCRYPT_DECRYPT', ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GetPublicKey']],
    ['ECC_NIST_P256', 'SIGN_VERIFY', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify']],
    ['HMAC_256', 'GENERATE_VERIFY_MAC', ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac']],
    ['ECC_NIST_P384', 'KEY_AGREEMENT', ['kms:DeriveSharedSecret', 'kms:DescribeKey', 'kms:GetPublicKey']],
  ] as const)('%s/%s', (spec, usage, expected) => {
    expect(userActions(spec, usage)).toEqual(expected);
    for (const action of expected) expect(grantableActions(spec, usage)).toContain(action);
  });

  test('a signing key cannot be granted decryption', () => {
    expect(grantableActions('RSA_2048', 'SIGN_VERIFY')).not.toContain('kms:Decrypt');
  });
});

describe('grants', () => {
  const role = 'arn:aws:iam::111122223333:role/service-role/lambda-secrets-role';
  const via = viaServiceConditions('secretsmanager', 'eu-west-1', '111122223333');

  test('via a service: kms:ViaService for the region plus kms:CallerAccount', () => {
    expect(via).toEqual([
      { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
      { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-west-1.amazonaws.com'] },
    ]);
  });

  test('a second grant to the same principal under the same conditions widens one statement', () => {
    const first = addGrant([], { principalArn: role, actions: ['kms:Decrypt'], conditions: via });
    const second = addGrant(first.grants, { principalArn: role, actions: ['kms:GenerateDataKey'], conditions: via });
    expect(second.grants).toHaveLength(1);
    expect(second.grant).toEqual({
      sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
      principalArn: role,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      conditions: via,
    });
  });

  test('different conditions make a separate statement with a unique Sid', () => {
    const first = addGrant([], { principalArn: role, actions: ['kms:Decrypt'], conditions: [] });
    const second = addGrant(first.grants, {
      principalArn: 'arn:aws:iam::111122223333:role/other/lambda-secrets-role',
      actions: ['kms:Decrypt'],
      conditions: [],
    });
    expect(second.grants.map((g) => g.sid)).toEqual(['GrantLambdaSecretsRole', 'GrantLambdaSecretsRole2']);
  });

  test('an explicit Sid that is already taken is refused', () => {
    expect(() => addGrant([], { principalArn: role, actions: ['kms:Decrypt'], conditions: [], sid: 'KeyUsers' })).toThrow(
      'Sid "KeyUsers" is already used in this key policy; choose another',
    );
  });
});

describe('normalizePolicy makes equal policies compare equal', () => {
  test('single values become lists, lists and keys are sorted, Principal "*" is AWS "*"', () => {
    const fromTerraform = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A',
          Effect: 'Allow' as const,
          Principal: '*' as const,
          Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:CallerAccount': '111122223333' } },
        },
      ],
    };
    const fromModel = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'A',
          Effect: 'Allow' as const,
          Principal: { AWS: ['*'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Resource: ['*'],
          Condition: {
            StringEquals: { 'kms:CallerAccount': ['111122223333'], 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'] },
          },
        },
      ],
    };
    expect(normalizePolicy(JSON.stringify(fromTerraform))).toEqual(normalizePolicy(fromModel));
  });

  test('a different action is still a difference', () => {
    const a = renderPolicy(keyPolicyStatements(base));
    const b = renderPolicy(keyPolicyStatements({ ...base, users: [user] }));
    expect(normalizePolicy(a)).not.toEqual(normalizePolicy(b));
  });
});

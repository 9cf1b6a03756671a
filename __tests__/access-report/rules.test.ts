/** Each risk rule on its own: which cells it flags and which it leaves alone. */
import { KEY_USE_GRANT_OPERATIONS } from '../../policy/grant-operations';
import type { AwsStatement } from '../../policy/render';
import {
  ALERT_KEY_POLICY_RULES,
  ALERT_KEY_RISK_RULES,
  KMS_GRANT_RULES,
  type KmsGrantRuleContext,
  RISK_RULES,
  SECRET_CELL_RULES,
  SECRETS_KEY_POLICY_RULES,
} from '../../tools/access-report/rules';
import type { Cell, KmsGrant, PrincipalKind, PrincipalRow, SecretCell, SecretKind } from '../../tools/access-report/types';

const ACCOUNT = '111122223333';
const context = { accountId: ACCOUNT, strict: false };
const row = (kind: PrincipalKind, accountId: string | undefined = ACCOUNT): PrincipalRow => ({
  label: kind,
  kind,
  arn: accountId && `arn:aws:iam::${accountId}:role/r`,
  accountId,
  identityPolicies: [],
});
const cell = (action: string, cellContext: Cell['context'] = 'direct', grantPath: Cell['grantPath'] = 'key-policy'): Cell => ({
  principal: 'x',
  action,
  context: cellContext,
  decision: 'Allowed',
  grantPath,
  why: '',
});

describe('risk rules', () => {
  it('non-administrator-controls-key: policy, grants, disable and delete, for anyone but administrators', () => {
    const rule = RISK_RULES['non-administrator-controls-key'];
    for (const action of ['kms:PutKeyPolicy', 'kms:CreateGrant', 'kms:DisableKey', 'kms:ScheduleKeyDeletion']) {
      expect(rule(cell(action), row('user'), context)).toBeDefined();
      expect(rule(cell(action), row('administrator'), context)).toBeUndefined();
    }
    expect(rule(cell('kms:TagResource'), row('user'), context)).toBeUndefined();
  });

  it('administrator-uses-key: cryptography and CreateGrant, for administrators only', () => {
    const rule = RISK_RULES['administrator-uses-key'];
    for (const action of [
      'kms:Decrypt',
      'kms:Encrypt',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:ReEncryptFrom',
      'kms:CreateGrant',
    ]) {
      expect(rule(cell(action), row('administrator'), context)).toBeDefined();
      expect(rule(cell(action), row('user'), context)).toBeUndefined();
    }
    expect(rule(cell('kms:PutKeyPolicy'), row('administrator'), context)).toBeUndefined();
  });

  it('outside-account: anything for a principal of another account', () => {
    const rule = RISK_RULES['outside-account'];
    expect(rule(cell('kms:DescribeKey'), row('other-account', '444455556666'), context)).toMatch(/outside 111122223333/);
    expect(rule(cell('kms:DescribeKey'), row('user'), context)).toBeUndefined();
    expect(rule(cell('kms:DescribeKey'), row('anonymous', undefined), context)).toBeUndefined();
  });

  it('app-role-outside-secrets-manager: any direct call by a role this app creates', () => {
    const rule = RISK_RULES['app-role-outside-secrets-manager'];
    expect(rule(cell('kms:DescribeKey', 'direct'), row('app-role'), context)).toBeDefined();
    expect(rule(cell('kms:Decrypt', 'via-secretsmanager'), row('app-role'), context)).toBeUndefined();
    expect(rule(cell('kms:Decrypt', 'direct'), row('user'), context)).toBeUndefined();
  });

  it('anonymous-allowed: anything for the anonymous caller', () => {
    expect(RISK_RULES['anonymous-allowed'](cell('kms:DescribeKey'), row('anonymous', undefined), context)).toBeDefined();
    expect(RISK_RULES['anonymous-allowed'](cell('kms:DescribeKey'), row('user'), context)).toBeUndefined();
  });

  it('iam-delegation: delegated cells, only with --strict', () => {
    const rule = RISK_RULES['iam-delegation'];
    const delegated = cell('kms:Decrypt', 'direct', 'iam-delegation');
    expect(rule(delegated, row('unnamed-role-with-iam'), context)).toBeUndefined();
    expect(rule(delegated, row('unnamed-role-with-iam'), { ...context, strict: true })).toBeDefined();
    expect(rule(cell('kms:Decrypt'), row('user'), { ...context, strict: true })).toBeUndefined();
  });
});

describe('rules on cells by secret', () => {
  const rule = SECRET_CELL_RULES['secrets-manager-use-without-secret-arn'];
  const secretArn = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf';
  const secretCell = (secret: SecretKind): SecretCell => ({
    ...cell('kms:Decrypt', 'via-secretsmanager'),
    context: 'via-secretsmanager',
    why: 'key policy GrantX',
    secret,
    secretArn,
    encryptionContext: { SecretARN: secretArn, SecretVersionId: 'v' },
  });

  it('secrets-manager-use-without-secret-arn: a risk for an app role or a grantee allowed a secret of no config', () => {
    for (const kind of ['app-role', 'secrets-manager-grantee', 'administrator'] as const) {
      expect(rule(secretCell('no-config'), row(kind))).toEqual({
        severity: 'risk',
        message: expect.stringContaining(
          `${kind} may call kms:Decrypt via Secrets Manager for ${secretArn}, a secret of no config (key policy GrantX): its access does not depend on kms:EncryptionContext:SecretARN; allowed are`,
        ),
      });
    }
  });

  it('secrets-manager-use-without-secret-arn: only a note for a key user, and nothing for an own secret', () => {
    expect(rule(secretCell('no-config'), row('user'))).toEqual({
      severity: 'note',
      message: expect.stringContaining('key.users are not bound to secrets'),
    });
    expect(rule(secretCell('own'), row('app-role'))).toBeUndefined();
    expect(rule(secretCell('own'), row('user'))).toBeUndefined();
  });
});

describe('rules on KMS grants', () => {
  const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';
  const LAMBDA = 'arn:aws:iam::111122223333:role/service-role/lambda-secrets-role';
  const grantContext: KmsGrantRuleContext = { administrators: [ADMIN], appRoles: [{ label: 'role lambda-secrets-role', arn: LAMBDA }] };
  const grant = (granteePrincipal: string, operations: string[]): KmsGrant => ({
    address: 'aws_kms_grant.key_grant_g',
    name: 'g',
    key: 'aws_kms_key.key',
    granteePrincipal,
    operations,
    constraints: [],
  });

  it('are the two cell rules of the same id, applied to grants, and grant-re-delegates', () => {
    expect(Object.keys(KMS_GRANT_RULES)).toEqual(['administrator-uses-key', 'app-role-outside-secrets-manager', 'grant-re-delegates']);
  });

  it('administrator-uses-key: a key-use operation (or CreateGrant) granted to an administrator', () => {
    const rule = KMS_GRANT_RULES['administrator-uses-key'];
    for (const op of [...KEY_USE_GRANT_OPERATIONS, 'CreateGrant'])
      expect(rule(grant(ADMIN, ['DescribeKey', op]), grantContext)).toBeDefined();
    expect(rule(grant(ADMIN, ['Decrypt']), grantContext)).toBe(
      `grant g (aws_kms_grant.key_grant_g) gives key administrator ${ADMIN} Decrypt; administrators manage the key and must not use it; allowed: no key-use operation (${KEY_USE_GRANT_OPERATIONS.join(', ')}) and no CreateGrant for an administrator, so grant to another principal`,
    );
    // IAM names are unique without case: the same role written in another case is still the administrator.
    expect(rule(grant(ADMIN.toLowerCase(), ['Encrypt']), grantContext)).toBeDefined();
    expect(rule(grant(ADMIN, ['DescribeKey', 'RetireGrant', 'Verify', 'GetPublicKey', 'VerifyMac']), grantContext)).toBeUndefined();
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt']), grantContext)).toBeUndefined();
  });

  it('app-role-outside-secrets-manager: any grant to a role this app creates', () => {
    const rule = KMS_GRANT_RULES['app-role-outside-secrets-manager'];
    expect(rule(grant(LAMBDA, ['DescribeKey']), grantContext)).toBe(
      'grant g (aws_kms_grant.key_grant_g) gives role lambda-secrets-role DescribeKey: a grant bypasses the kms:ViaService and kms:EncryptionContext:SecretARN conditions, so the role could call them directly, for any secret; allowed: no KMS grant to a role this app creates (it uses the key via Secrets Manager only)',
    );
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt']), grantContext)).toBeUndefined();
  });

  it('grant-re-delegates: CreateGrant among any grant’s operations', () => {
    const rule = KMS_GRANT_RULES['grant-re-delegates'];
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt', 'CreateGrant']), grantContext)).toMatch(
      /gives arn:aws:iam::111122223333:role\/batch CreateGrant, so it could re-delegate/,
    );
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt', 'RetireGrant']), grantContext)).toBeUndefined();
  });
});

describe('rules on the alert key’s cells', () => {
  const rule = ALERT_KEY_RISK_RULES['service-beyond-alert-publishing'];
  const service: PrincipalRow = {
    label: 'service events.amazonaws.com',
    kind: 'service-principal',
    arn: 'events.amazonaws.com',
    accountId: undefined,
    identityPolicies: [],
  };

  it('are the cell rules of the secrets key, and service-beyond-alert-publishing', () => {
    expect(Object.keys(ALERT_KEY_RISK_RULES)).toEqual([...Object.keys(RISK_RULES), 'service-beyond-alert-publishing']);
  });

  it('service-beyond-alert-publishing: a service may Decrypt and GenerateDataKey*, nothing else', () => {
    for (const action of ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'])
      expect(rule(cell(action), service, context)).toBeUndefined();
    for (const action of [
      'kms:Encrypt',
      'kms:DescribeKey',
      'kms:CreateGrant',
      'kms:PutKeyPolicy',
      'kms:ScheduleKeyDeletion',
      'kms:DisableKey',
    ]) {
      expect(rule(cell(action), service, context)).toBe(
        `service events.amazonaws.com may call ${action}; publishing alerts to the encrypted topic needs kms:Decrypt and kms:GenerateDataKey* only`,
      );
    }
    expect(rule(cell('kms:Encrypt'), row('user'), context)).toBeUndefined();
  });

  it('non-administrator-controls-key counts a service as a non-administrator', () => {
    expect(ALERT_KEY_RISK_RULES['non-administrator-controls-key'](cell('kms:PutKeyPolicy'), service, context)).toBe(
      'service events.amazonaws.com is not an administrator but may call kms:PutKeyPolicy',
    );
  });
});

describe('rules on key-policy statements', () => {
  const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';
  const policyContext = { partition: 'aws', accountId: ACCOUNT, administrators: [ADMIN] };
  const statement = (principal: AwsStatement['Principal'], extra: Partial<AwsStatement> = {}) => ({
    label: 'S',
    statement: { Sid: 'S', Effect: 'Allow' as const, Principal: principal, Action: ['kms:Decrypt'], Resource: ['*'], ...extra },
  });

  describe('secrets-key-service-principal', () => {
    const rule = SECRETS_KEY_POLICY_RULES['secrets-key-service-principal'];

    it('flags a service principal, naming the statement and the service', () => {
      expect(rule(statement({ Service: ['secretsmanager.amazonaws.com'] }, { Action: 'kms:*' }), policyContext)).toBe(
        "statement S names the service principal secretsmanager.amazonaws.com (kms:*): Secrets Manager uses the key with the permissions of whoever calls it, so the secrets key's policy names no service; allowed: IAM principals of account 111122223333, via Secrets Manager (grantSecretsManagerUse)",
      );
      expect(rule(statement({ AWS: [ADMIN], Service: 'events.amazonaws.com' }), policyContext)).toMatch(
        /^statement S names the service principal events\.amazonaws\.com \(kms:Decrypt\)/,
      );
    });

    it('flags "*" unless a condition holds the caller to the account or an organization', () => {
      const anyone = (condition?: AwsStatement['Condition']) =>
        rule(statement('*', condition ? { Condition: condition } : {}), policyContext);
      expect(anyone()).toMatch(
        /^statement S allows "\*" \(kms:Decrypt\), which names every principal, services included, and no condition holds the caller to account 111122223333 or an organization/,
      );
      expect(rule(statement({ AWS: '*' }), policyContext)).toBeDefined();
      expect(
        anyone({ StringEquals: { 'kms:CallerAccount': ACCOUNT, 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } }),
      ).toBeUndefined();
      expect(anyone({ StringEquals: { 'aws:PrincipalAccount': [ACCOUNT] } })).toBeUndefined();
      expect(anyone({ ArnLike: { 'aws:PrincipalArn': [`arn:aws:iam::${ACCOUNT}:role/*`] } })).toBeUndefined();
      // As key.additionalStatements accepts it: a service principal carries no organization id.
      expect(anyone({ StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } })).toBeUndefined();
      expect(anyone({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } })).toBeDefined();
      // Another account, a key that may be missing (IfExists), a negation, or a source rather than a caller: not held.
      expect(anyone({ StringEquals: { 'kms:CallerAccount': '444455556666' } })).toBeDefined();
      expect(anyone({ StringEquals: { 'kms:CallerAccount': [ACCOUNT, '444455556666'] } })).toBeDefined();
      expect(anyone({ StringEqualsIfExists: { 'kms:CallerAccount': ACCOUNT } })).toBeDefined();
      expect(anyone({ StringNotEquals: { 'kms:CallerAccount': '444455556666' } })).toBeDefined();
      expect(anyone({ StringEquals: { 'aws:SourceAccount': ACCOUNT } })).toBeDefined();
      expect(anyone({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/x'] } })).toBeDefined();
    });

    it('leaves IAM principals and Deny statements alone', () => {
      expect(rule(statement({ AWS: [ADMIN, `arn:aws:iam::${ACCOUNT}:root`] }), policyContext)).toBeUndefined();
      expect(rule(statement({ Service: ['secretsmanager.amazonaws.com'] }, { Effect: 'Deny' }), policyContext)).toBeUndefined();
      expect(rule(statement('*', { Effect: 'Deny' }), policyContext)).toBeUndefined();
    });
  });

  describe('alert-key-names-other-principal', () => {
    const rule = ALERT_KEY_POLICY_RULES['alert-key-names-other-principal'];

    it('accepts the account root, the administrators (in any case) and EventBridge', () => {
      expect(
        rule(
          statement({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, ACCOUNT, ADMIN.toLowerCase()], Service: ['events.amazonaws.com'] }),
          policyContext,
        ),
      ).toBeUndefined();
    });

    it('flags anyone else: another role, another service, "*"; not in a Deny', () => {
      expect(rule(statement({ AWS: [ADMIN, `arn:aws:iam::${ACCOUNT}:role/batch`] }), policyContext)).toBe(
        `statement S names AWS arn:aws:iam::${ACCOUNT}:role/batch (kms:Decrypt): the key made only for alerts names the account root, the key's administrators and events.amazonaws.com, nobody else`,
      );
      expect(rule(statement({ Service: ['sns.amazonaws.com'] }), policyContext)).toMatch(/^statement S names Service sns\.amazonaws\.com /);
      expect(rule(statement('*'), policyContext)).toMatch(/^statement S names AWS \* /);
      expect(rule(statement({ AWS: ['arn:aws:iam::444455556666:root'] }), policyContext)).toBeDefined();
      expect(rule(statement('*', { Effect: 'Deny' }), policyContext)).toBeUndefined();
    });
  });
});

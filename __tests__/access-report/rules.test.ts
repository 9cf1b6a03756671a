/** Each risk rule on its own: which cells it flags and which it leaves alone. */
import { KEY_USE_GRANT_OPERATIONS } from '../../policy/grant-operations';
import { KMS_GRANT_RULES, type KmsGrantRuleContext, RISK_RULES, SECRET_CELL_RULES } from '../../tools/access-report/rules';
import type { Cell, KmsGrant, PrincipalKind, PrincipalRow, SecretCell, SecretKind } from '../../tools/access-report/types';

const ACCOUNT = '111122223333';
const context = { accountId: ACCOUNT, strict: false };
const row = (kind: PrincipalKind, accountId: string | undefined = ACCOUNT): PrincipalRow => ({ label: kind, kind, arn: accountId && `arn:aws:iam::${accountId}:role/r`, accountId, identityPolicies: [] });
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
    for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext', 'kms:ReEncryptFrom', 'kms:CreateGrant']) {
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
        message: expect.stringContaining(`${kind} may call kms:Decrypt via Secrets Manager for ${secretArn}, a secret of no config (key policy GrantX): its access does not depend on kms:EncryptionContext:SecretARN; allowed are`),
      });
    }
  });

  it('secrets-manager-use-without-secret-arn: only a note for a key user, and nothing for an own secret', () => {
    expect(rule(secretCell('no-config'), row('user'))).toEqual({ severity: 'note', message: expect.stringContaining('key.users are not bound to secrets') });
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
    for (const op of [...KEY_USE_GRANT_OPERATIONS, 'CreateGrant']) expect(rule(grant(ADMIN, ['DescribeKey', op]), grantContext)).toBeDefined();
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
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt', 'CreateGrant']), grantContext)).toMatch(/gives arn:aws:iam::111122223333:role\/batch CreateGrant, so it could re-delegate/);
    expect(rule(grant('arn:aws:iam::111122223333:role/batch', ['Decrypt', 'RetireGrant']), grantContext)).toBeUndefined();
  });
});

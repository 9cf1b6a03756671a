/** Each risk rule on its own: which cells it flags and which it leaves alone. */
import { RISK_RULES, SECRET_CELL_RULES } from '../../tools/access-report/rules';
import type { Cell, PrincipalKind, PrincipalRow, SecretCell, SecretKind } from '../../tools/access-report/types';

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

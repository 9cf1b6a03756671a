/**
 * The matrices, written by hand from intent (never from the code that builds the policies), pinned
 * cell by cell for the default environment and for fixture configs.
 */
import { decisions, type ExpectedMatrix, expectedDecisions, report, single } from './helpers';

/** The fourteen actions the issue asks about, by hand. */
const ACTIONS = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:DescribeKey',
  'kms:CreateGrant',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
];
const NOTHING = { direct: [], via: [] };
const EVERYTHING = { direct: ACTIONS, via: ACTIONS };
/** Secrets Manager reads and writes a secret with these two, and only on the caller's behalf. */
const SECRETS_MANAGER_ONLY = { direct: [], via: ['kms:Decrypt', 'kms:GenerateDataKey'] };
/** Administrators manage: no cryptography, no grants. */
const MANAGE = [
  'kms:DescribeKey',
  'kms:PutKeyPolicy',
  'kms:ScheduleKeyDeletion',
  'kms:DisableKey',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:TagResource',
];
/** Users encrypt and decrypt directly, like the walk-through's IAM user. */
const USE = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'];

describe('the default environment (tutorial)', () => {
  const expected: ExpectedMatrix = {
    'role lambda-secrets-role': SECRETS_MANAGER_ONLY,
    'unnamed role': NOTHING,
    // The account-root statement delegates everything to IAM: shown, not risky by default.
    'unnamed role + IAM kms:*': EVERYTHING,
    'other account + IAM kms:*': NOTHING,
    anonymous: NOTHING,
  };

  it('matches the hand-written matrix cell by cell and passes', async () => {
    const { environment, stack } = single();
    const result = await report(environment, stack);
    expect(result.rows.map((r) => r.label)).toEqual(Object.keys(expected));
    expect(result.lint).toEqual([]);
    expect(decisions(result)).toEqual(expectedDecisions(expected, ACTIONS));
    expect(result.riskyCells).toBe(0);
    expect(result.ok).toBe(true);
  });

  it('says why: the Lambda grant statement, and the delegation for the unnamed role', async () => {
    const { environment, stack } = single();
    const cells = (await report(environment, stack)).cells;
    const cell = (principal: string, action: string, context: string) => cells.find((c) => c.principal === principal && c.action === action && c.context === context)!;
    expect(cell('role lambda-secrets-role', 'kms:Decrypt', 'via-secretsmanager')).toMatchObject({ grantPath: 'key-policy', why: 'key policy GrantLambdaSecretsRoleViaSecretsmanager' });
    expect(cell('role lambda-secrets-role', 'kms:Decrypt', 'direct').why).toMatch(/GrantLambdaSecretsRoleViaSecretsmanager names it, but its condition is not met .*kms:ViaService secretsmanager\.us-east-1\.amazonaws\.com/);
    expect(cell('unnamed role + IAM kms:*', 'kms:PutKeyPolicy', 'direct')).toMatchObject({
      grantPath: 'iam-delegation',
      why: expect.stringContaining('delegated to IAM by the account-root statement EnableIamUserPermissions'),
      waived: true,
      risky: false,
    });
    expect(cell('unnamed role', 'kms:Decrypt', 'direct').why).toBe('the account-root statement EnableIamUserPermissions delegates to IAM, but no identity policy allows it');
  });

  it('counts the delegated cells as risky with --strict', async () => {
    const { environment, stack } = single();
    const result = await report(environment, stack, true);
    expect(result.ok).toBe(false);
    expect(result.riskyCells).toBe(ACTIONS.length * 2);
    expect(result.cells.filter((c) => c.risky).every((c) => c.principal === 'unnamed role + IAM kms:*')).toBe(true);
  });
});

describe('a fixture with administrators and users (access-admins-users.json)', () => {
  const expected: ExpectedMatrix = {
    'administrator KeyAdmin': { direct: MANAGE, via: MANAGE },
    'user alice': { direct: USE, via: USE },
    'role prod-secrets-reader': SECRETS_MANAGER_ONLY,
    'unnamed role': NOTHING,
    'unnamed role + IAM kms:*': EVERYTHING,
    'other account + IAM kms:*': NOTHING,
    anonymous: NOTHING,
  };

  it('matches the hand-written matrix cell by cell and passes', async () => {
    const { environment, stack } = single('access-admins-users.json');
    const result = await report(environment, stack);
    expect(result.rows.map((r) => r.label)).toEqual(Object.keys(expected));
    expect(result.rows.find((r) => r.kind === 'app-role')?.arn).toBe('arn:aws:iam::123456789012:role/apps/prod-secrets-reader');
    expect(decisions(result)).toEqual(expectedDecisions(expected, ACTIONS));
    expect(result.ok).toBe(true);
  });

  it('explains administrator and user access by their own statements', async () => {
    const { environment, stack } = single('access-admins-users.json');
    const cells = (await report(environment, stack)).cells;
    expect(cells.find((c) => c.principal === 'administrator KeyAdmin' && c.action === 'kms:PutKeyPolicy' && c.context === 'direct')?.why).toBe('key policy KeyAdministrators');
    expect(cells.find((c) => c.principal === 'user alice' && c.action === 'kms:Encrypt' && c.context === 'direct')?.why).toBe('key policy KeyUsers');
  });
});

describe('a fixture without the account-root statement (access-no-iam-delegation.json)', () => {
  it('gives the unnamed role nothing, even with kms:* in IAM, and passes with --strict', async () => {
    const { environment, stack } = single('access-no-iam-delegation.json');
    const result = await report(environment, stack, true);
    const expected: ExpectedMatrix = {
      'administrator Admin': { direct: MANAGE, via: MANAGE },
      'role locked-reader': SECRETS_MANAGER_ONLY,
      'unnamed role': NOTHING,
      'unnamed role + IAM kms:*': NOTHING,
      'other account + IAM kms:*': NOTHING,
      anonymous: NOTHING,
    };
    expect(decisions(result)).toEqual(expectedDecisions(expected, ACTIONS));
    expect(result.ok).toBe(true);
  });
});

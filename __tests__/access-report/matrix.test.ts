/**
 * The matrices, written by hand from intent (never from the code that builds the policies), pinned
 * cell by cell for the default environment and for fixture configs.
 */
import { parseConfig } from '../../config/load';
import { decisions, type ExpectedMatrix, expectedDecisions, report, secretDecisions, single, synthesize } from './helpers';

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
/**
 * Secrets Manager reads and writes a secret with these two, only on the caller's behalf, and only
 * for the caller's own secrets: the grant (key policy and role policy alike) tests
 * kms:EncryptionContext:SecretARN. A matrix cell carries no encryption context, so these cells are
 * Conditional (allowed for some encryption contexts) where they were Allowed before the grant was
 * bound to secrets; the cells by secret below pin which contexts, exactly.
 */
const SECRETS_MANAGER_ONLY = { direct: [], via: [], viaForSomeSecrets: ['kms:Decrypt', 'kms:GenerateDataKey'] };
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
    const cell = (principal: string, action: string, context: string) =>
      cells.find((c) => c.principal === principal && c.action === action && c.context === context)!;
    expect(cell('role lambda-secrets-role', 'kms:Decrypt', 'via-secretsmanager')).toMatchObject({
      decision: 'Conditional',
      grantPath: 'key-policy',
      why: expect.stringMatching(/^key policy GrantLambdaSecretsRoleViaSecretsmanager, only for some encryption contexts/),
    });
    expect(cell('role lambda-secrets-role', 'kms:Decrypt', 'direct').why).toMatch(
      /GrantLambdaSecretsRoleViaSecretsmanager names it, but its condition is not met .*kms:ViaService secretsmanager\.us-east-1\.amazonaws\.com/,
    );
    expect(cell('unnamed role + IAM kms:*', 'kms:PutKeyPolicy', 'direct')).toMatchObject({
      grantPath: 'iam-delegation',
      why: expect.stringContaining('delegated to IAM by the account-root statement EnableIamUserPermissions'),
      waived: true,
      risky: false,
    });
    expect(cell('unnamed role', 'kms:Decrypt', 'direct').why).toBe(
      'the account-root statement EnableIamUserPermissions delegates to IAM, but no identity policy allows it',
    );
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
    expect(
      cells.find((c) => c.principal === 'administrator KeyAdmin' && c.action === 'kms:PutKeyPolicy' && c.context === 'direct')?.why,
    ).toBe('key policy KeyAdministrators');
    expect(cells.find((c) => c.principal === 'user alice' && c.action === 'kms:Encrypt' && c.context === 'direct')?.why).toBe(
      'key policy KeyUsers',
    );
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

/** What the cells by secret are asked with: Secrets Manager's encryption context for one secret. */
const context = (secretArn: string) => ({ SecretARN: secretArn, SecretVersionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111' });
const NO_CONFIG = '@=access-report-probe-AbCdEf';
/** A reader that decrypts its own secret via Secrets Manager, and no other. */
const OWN_ONLY = (row: string, own: readonly string[]) =>
  Object.fromEntries(
    [...own.map((name) => [name, 'Allowed']), [NO_CONFIG, 'Denied']].flatMap(([name, decision]) =>
      ['kms:Decrypt', 'kms:GenerateDataKey'].map((action) => [`${row}|${name}|${action}`, decision]),
    ),
  );

describe('the cells by secret (an encryption context, evaluated exactly)', () => {
  it('default: the Lambda role decrypts a secret under tutorial/, not a secret of no config', async () => {
    const { environment, stack } = single();
    const result = await report(environment, stack);
    expect(secretDecisions(result)).toEqual(OWN_ONLY('role lambda-secrets-role', ['tutorial/access-report-example-AbC123']));
    const own = result.secretCells.find((c) => c.secret === 'own' && c.action === 'kms:Decrypt')!;
    expect(own).toMatchObject({
      context: 'via-secretsmanager',
      encryptionContext: context('arn:aws:secretsmanager:us-east-1:111122223333:secret:tutorial/access-report-example-AbC123'),
      grantPath: 'key-policy',
      why: 'key policy GrantLambdaSecretsRoleViaSecretsmanager',
      risky: false,
    });
    const foreign = result.secretCells.find((c) => c.secret === 'no-config' && c.action === 'kms:Decrypt')!;
    expect(foreign.why).toMatch(
      /^not for this encryption context: key policy GrantLambdaSecretsRoleViaSecretsmanager would allow it, but StringLike kms:EncryptionContext:SecretARN arn:aws:secretsmanager:us-east-1:111122223333:secret:tutorial\/\* does not hold for SecretARN arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf/,
    );
    expect(result).toMatchObject({ riskySecretCells: 0, notes: [], ok: true });
  });

  it.each([
    [
      'declared secrets (secretNames by default)',
      { secrets: [{ name: 'tutorial/db' }, { name: 'tutorial/api' }] },
      ['tutorial/db-AbC123', 'tutorial/api-AbC123'],
    ],
    [
      'secretArns, a pattern and a full ARN',
      {
        lambdaRole: {
          name: 'reader',
          secretArns: [
            'arn:aws:secretsmanager:us-east-1:111122223333:secret:app/db-??????',
            'arn:aws:secretsmanager:us-east-1:111122223333:secret:app/api-Xy9876',
          ],
        },
      },
      ['app/db-AbC123', 'app/api-Xy9876'],
    ],
  ])('%s: the role decrypts each of its secrets and no other', async (_label, fields, own) => {
    const config = parseConfig({
      environments: {
        tutorial: {
          region: 'us-east-1',
          accountId: '111122223333',
          key: { alias: 'named-secrets' },
          lambdaRole: { name: 'reader' },
          ...fields,
        },
      },
    });
    const result = await report(config.environments[0], synthesize(config).get('tutorial')!);
    expect(secretDecisions(result)).toEqual(OWN_ONLY('role reader', own));
    expect(result.ok).toBe(true);
  });

  it('access-admins-users.json: the role is bound to prod/app/; the key user is not, which is a note, not a risk', async () => {
    const { environment, stack } = single('access-admins-users.json');
    const result = await report(environment, stack);
    expect(secretDecisions(result)).toEqual({
      'user alice|@=access-report-probe-AbCdEf|kms:Decrypt': 'Allowed',
      'user alice|@=access-report-probe-AbCdEf|kms:GenerateDataKey': 'Allowed',
      ...OWN_ONLY('role prod-secrets-reader', ['prod/app/access-report-example-AbC123']),
    });
    const alice = result.secretCells.filter((c) => c.principal === 'user alice');
    expect(alice.every((c) => c.why === 'key policy KeyUsers' && !c.risky && c.findings.length === 0)).toBe(true);
    expect(result.notes).toEqual([
      {
        rule: 'secrets-manager-use-without-secret-arn',
        message: expect.stringMatching(
          /^user alice may call kms:Decrypt via Secrets Manager for any secret encrypted with the key \(key policy KeyUsers\): key.users are not bound to secrets/,
        ),
      },
      { rule: 'secrets-manager-use-without-secret-arn', message: expect.stringContaining('user alice may call kms:GenerateDataKey') },
    ]);
    expect(result).toMatchObject({ riskySecretCells: 0, ok: true });
  });

  it('access-no-iam-delegation.json: the role decrypts a secret under locked/ and no other', async () => {
    const { environment, stack } = single('access-no-iam-delegation.json');
    const result = await report(environment, stack, true);
    expect(secretDecisions(result)).toEqual(OWN_ONLY('role locked-reader', ['locked/access-report-example-AbC123']));
    expect(result.ok).toBe(true);
  });
});

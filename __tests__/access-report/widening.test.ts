/**
 * Changes that widen access make the report fail: each test edits the synthesized JSON the way a
 * bug between the model and the constructs would, then runs the report on it (and the CLI on a
 * written copy, which must exit 1).
 */
import { runAccessReport } from '../../tools/access-report/run';
import type { SynthesizedStack } from '../../tools/lib/synthesized';
import { copy, fixture, report, secretDecisions, single, statementsOf, writeOutdir } from './helpers';

const GRANT = 'GrantLambdaSecretsRoleViaSecretsmanager';

function grantIn(stack: SynthesizedStack, block: string) {
  const statement = statementsOf(stack, block).find((s) => s.sid === GRANT);
  if (!statement) throw new Error(`no ${GRANT} in ${block}`);
  return statement;
}

async function cliExitCode(stack: SynthesizedStack, env: string, configFile?: string): Promise<number> {
  const { dir, cleanup } = writeOutdir(new Map([[env, stack]]));
  try {
    return await runAccessReport(['--outdir', dir], configFile ? { KMS_CONFIG: fixture(configFile) } : {}, {
      out: () => {},
      err: () => {},
    });
  } finally {
    cleanup();
  }
}

describe('the unchanged stack', () => {
  it('exits 0 from --outdir (the baseline the edits below break)', async () => {
    const { stack } = single();
    await expect(cliExitCode(stack, 'tutorial')).resolves.toBe(0);
  });
});

describe('giving the Lambda role kms:*', () => {
  it('in its identity policy (reaching the key through the account-root delegation) fails the report', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    grantIn(edited, 'lambda_role_permissions').actions = ['kms:*'];
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const put = result.cells.find(
      (c) => c.principal === 'role lambda-secrets-role' && c.action === 'kms:PutKeyPolicy' && c.context === 'via-secretsmanager',
    )!;
    // The edited statement keeps its kms:EncryptionContext:SecretARN condition and a matrix cell
    // carries no encryption context, so the cell is Conditional (allowed for some contexts), which
    // the rules count as allowed: still risky.
    expect(put).toMatchObject({ decision: 'Conditional', grantPath: 'iam-delegation', risky: true });
    expect(put.findings.map((f) => f.rule)).toEqual(['non-administrator-controls-key']);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });

  it('in the key policy fails the report', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    grantIn(edited, 'key_policy').actions = ['kms:*'];
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const risky = result.cells.filter((c) => c.risky && c.principal === 'role lambda-secrets-role');
    expect(risky.map((c) => c.action)).toEqual(['kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey']);
    expect(risky.every((c) => c.context === 'via-secretsmanager' && c.grantPath === 'key-policy')).toBe(true);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });
});

describe('dropping the kms:ViaService condition', () => {
  const dropVia = (statement: { condition?: { variable: string }[] }) => {
    statement.condition = statement.condition!.filter((c) => c.variable !== 'kms:ViaService');
  };

  it('from the key policy lets the Lambda role decrypt directly, and fails the report', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    dropVia(grantIn(edited, 'key_policy'));
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const direct = result.cells.filter((c) => c.risky).map((c) => `${c.action} ${c.context} ${c.findings.map((f) => f.rule).join()}`);
    expect(direct).toEqual([
      'kms:Decrypt direct app-role-outside-secrets-manager',
      'kms:GenerateDataKey direct app-role-outside-secrets-manager',
    ]);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });

  it('from the identity policy alone also fails it: the account-root statement delegates to that policy', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    dropVia(grantIn(edited, 'lambda_role_permissions'));
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const decrypt = result.cells.find(
      (c) => c.principal === 'role lambda-secrets-role' && c.action === 'kms:Decrypt' && c.context === 'direct',
    )!;
    // Conditional, not Allowed: the statement still tests kms:EncryptionContext:SecretARN, which a
    // matrix cell cannot decide. The rules count Conditional as allowed, so the cell is risky.
    expect(decrypt).toMatchObject({ decision: 'Conditional', grantPath: 'iam-delegation', risky: true });
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });
});

describe('giving administrators kms:Create*', () => {
  it('lets them create grants (and so decrypt), and fails the report', async () => {
    const { environment, stack } = single('access-admins-users.json');
    const edited = copy(stack);
    const admins = statementsOf(edited, 'key_policy').find((s) => s.sid === 'KeyAdministrators')!;
    admins.actions = [...admins.actions!, 'kms:Create*'];
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const risky = result.cells.filter((c) => c.risky);
    expect(risky.map((c) => `${c.principal} ${c.action} ${c.context}`)).toEqual([
      'administrator KeyAdmin kms:CreateGrant direct',
      'administrator KeyAdmin kms:CreateGrant via-secretsmanager',
    ]);
    expect(risky[0].findings.map((f) => f.rule)).toEqual(['administrator-uses-key']);
    await expect(cliExitCode(edited, 'prod', 'access-admins-users.json')).resolves.toBe(1);
  });
});

describe('letting the Lambda role read every secret', () => {
  const readSecrets = (stack: SynthesizedStack) => {
    const statement = statementsOf(stack, 'lambda_role_permissions').find((s) => s.sid === 'ReadSecrets');
    if (!statement) throw new Error('no ReadSecrets statement');
    return statement as { resources?: string[] };
  };

  it('the default role reads only its own secrets: every probe denied', async () => {
    const { environment, stack } = single();
    const result = await report(environment, stack);
    expect(result.secretProbes.map((p) => p.allowed)).toEqual([false, false]);
    expect(result.secretFindings).toEqual([]);
  });

  it.each([
    ['secret:*', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:*'],
    ['a * resource', '*'],
    ['secret:?*', 'arn:aws:secretsmanager:us-east-1:111122223333:secret:?*'],
  ])('with %s fails the report (app-role-reads-every-secret), and the CLI exits 1', async (_label, resource) => {
    const { environment, stack } = single();
    const edited = copy(stack);
    readSecrets(edited).resources = [resource];
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(result.secretFindings).toEqual([
      expect.objectContaining({
        rule: 'app-role-reads-every-secret',
        message: expect.stringContaining(
          'lambda-secrets-role may read arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf, a secret of no config',
        ),
      }),
      expect.objectContaining({ rule: 'app-role-reads-every-secret' }),
    ]);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });
});

describe('dropping the kms:EncryptionContext:SecretARN condition', () => {
  const RULE = 'secrets-manager-use-without-secret-arn';
  const dropSecretArn = (statement: { condition?: { variable: string }[] }) => {
    const before = statement.condition!.length;
    statement.condition = statement.condition!.filter((c) => c.variable !== 'kms:EncryptionContext:SecretARN');
    expect(statement.condition).toHaveLength(before - 1);
  };
  const noConfig = (result: Awaited<ReturnType<typeof report>>) => result.secretCells.filter((c) => c.secret === 'no-config');

  it('from the key-policy grant lets the Lambda role decrypt a secret of no config, and fails the report', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    dropSecretArn(grantIn(edited, 'key_policy'));
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(result.riskyCells).toBe(0);
    expect(noConfig(result).map((c) => [c.action, c.decision, c.grantPath, c.risky, c.findings.map((f) => f.rule)])).toEqual([
      ['kms:Decrypt', 'Allowed', 'key-policy', true, [RULE]],
      ['kms:GenerateDataKey', 'Allowed', 'key-policy', true, [RULE]],
    ]);
    expect(noConfig(result)[0].findings[0].message).toBe(
      'role lambda-secrets-role may call kms:Decrypt via Secrets Manager for arn:aws:secretsmanager:us-east-1:111122223333:secret:@=access-report-probe-AbCdEf, a secret of no config (key policy GrantLambdaSecretsRoleViaSecretsmanager): its access does not depend on kms:EncryptionContext:SecretARN; allowed are grants with a StringLike kms:EncryptionContext:SecretARN condition naming its own secrets only (grantSecretsManagerUse with secretArnPatterns; for the Lambda role, secretNames, secretNamePrefix or secretArns)',
    );
    expect(result.secretCells.filter((c) => c.secret === 'own').every((c) => c.decision === 'Allowed' && !c.risky)).toBe(true);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });

  it('from the role policy alone also fails it: the account-root statement delegates to that policy', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    dropSecretArn(grantIn(edited, 'lambda_role_permissions'));
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(noConfig(result).map((c) => [c.decision, c.grantPath, c.risky])).toEqual([
      ['Allowed', 'iam-delegation', true],
      ['Allowed', 'iam-delegation', true],
    ]);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });

  it('from the role policy alone is harmless without the account-root statement (access-no-iam-delegation.json)', async () => {
    const { environment, stack } = single('access-no-iam-delegation.json');
    const edited = copy(stack);
    dropSecretArn(statementsOf(edited, 'lambda_role_permissions').find((s) => s.sid === 'GrantLockedReaderViaSecretsmanager')!);
    const result = await report(environment, edited, true);
    expect(noConfig(result).map((c) => c.decision)).toEqual(['Denied', 'Denied']);
    expect(result.ok).toBe(true);
  });

  it('or widening it to every secret (secret:*) fails the report too', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    for (const block of ['key_policy', 'lambda_role_permissions']) {
      const condition = grantIn(edited, block).condition as unknown as { variable: string; values: string[] }[];
      condition.find((c) => c.variable === 'kms:EncryptionContext:SecretARN')!.values = [
        'arn:aws:secretsmanager:us-east-1:111122223333:secret:*',
      ];
    }
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(noConfig(result).every((c) => c.risky && c.findings[0].rule === RULE)).toBe(true);
  });
});

describe('a principal granted use via Secrets Manager in the key policy (a grantSecretsManagerUse grantee)', () => {
  const OTHER = 'arn:aws:iam::111122223333:role/other-reader';
  const grantOther = (stack: SynthesizedStack, secretArn?: string) => {
    statementsOf(stack, 'key_policy').push({
      sid: 'GrantOtherReaderViaSecretsmanager',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      principals: [{ type: 'AWS', identifiers: [OTHER] }],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] },
        { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
        ...(secretArn ? [{ test: 'StringLike', variable: 'kms:EncryptionContext:SecretARN', values: [secretArn] }] : []),
      ],
    } as never);
  };

  it('gets a row and cells by secret; bound to its secrets, it passes', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    grantOther(edited, 'arn:aws:secretsmanager:us-east-1:111122223333:secret:other/db-??????');
    const result = await report(environment, edited);
    expect(result.rows.find((r) => r.arn === OTHER)).toEqual({
      label: 'grantee other-reader',
      kind: 'secrets-manager-grantee',
      arn: OTHER,
    });
    expect(secretDecisions(result)).toMatchObject({
      'grantee other-reader|other/db-AbC123|kms:Decrypt': 'Allowed',
      'grantee other-reader|other/db-AbC123|kms:GenerateDataKey': 'Allowed',
      'grantee other-reader|@=access-report-probe-AbCdEf|kms:Decrypt': 'Denied',
      'grantee other-reader|@=access-report-probe-AbCdEf|kms:GenerateDataKey': 'Denied',
    });
    expect(result.ok).toBe(true);
  });

  it('without the SecretARN condition fails the report', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    grantOther(edited);
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    const risky = result.secretCells.filter((c) => c.risky);
    expect(risky.map((c) => `${c.principal} ${c.action} ${c.findings.map((f) => f.rule).join()}`)).toEqual([
      'grantee other-reader kms:Decrypt secrets-manager-use-without-secret-arn',
      'grantee other-reader kms:GenerateDataKey secrets-manager-use-without-secret-arn',
    ]);
    await expect(cliExitCode(edited, 'tutorial')).resolves.toBe(1);
  });
});

describe('KMS grants edited in the synthesized JSON (access-grants.json)', () => {
  const ADMIN = 'arn:aws:iam::123456789012:role/KeyAdmin';
  const addGrant = (stack: SynthesizedStack, name: string, fields: Record<string, unknown>) => {
    const grants = (stack.resource!.aws_kms_grant ??= {});
    grants[`key_grant_${name}`] = { name, key_id: '${aws_kms_key.key.key_id}', ...fields };
  };
  const grantRules = (result: Awaited<ReturnType<typeof report>>) =>
    result.kmsGrants.filter((g) => g.risky).map((g) => `${g.address} ${g.findings.map((f) => f.rule).join()}`);

  /** The CLI's exit code and text on a written copy of the stack. */
  async function cliText(stack: SynthesizedStack): Promise<{ code: number; out: string }> {
    const { dir, cleanup } = writeOutdir(new Map([['prod', stack]]));
    const out: string[] = [];
    try {
      const code = await runAccessReport(
        ['--outdir', dir],
        { KMS_CONFIG: fixture('access-grants.json') },
        { out: (t) => out.push(t), err: (t) => out.push(t) },
      );
      return { code, out: out.join('\n') };
    } finally {
      cleanup();
    }
  }

  it('a Decrypt grant to an administrator fails the report (administrator-uses-key)', async () => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    addGrant(edited, 'admin', { grantee_principal: ADMIN, operations: ['Decrypt'] });
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(result.riskyCells + result.riskySecretCells).toBe(0);
    expect(grantRules(result)).toEqual(['aws_kms_grant.key_grant_admin administrator-uses-key']);
    const { code, out } = await cliText(edited);
    expect(code).toBe(1);
    expect(out).toMatch(/^ {2}admin! +arn:aws:iam::123456789012:role\/KeyAdmin +Decrypt +none +none$/m);
    expect(out).toContain(
      `Risky KMS grants (1):\n  [administrator-uses-key] grant admin (aws_kms_grant.key_grant_admin) gives key administrator ${ADMIN} Decrypt; administrators manage the key and must not use it`,
    );
    expect(out).toMatch(/Result: FAILED$/);
  });

  it('counts an administrator that only the key policy’s KeyAdministrators statement names', async () => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    const other = 'arn:aws:iam::123456789012:role/OtherAdmin';
    const admins = statementsOf(edited, 'key_policy').find((s) => s.sid === 'KeyAdministrators') as {
      principals: { identifiers: string[] }[];
    };
    admins.principals[0].identifiers.push(other);
    addGrant(edited, 'other_admin', { grantee_principal: other, operations: ['DescribeKey', 'GenerateDataKey'] });
    const result = await report(environment, edited);
    expect(grantRules(result)).toEqual(['aws_kms_grant.key_grant_other_admin administrator-uses-key']);
    expect(result.kmsGrants.find((g) => g.risky)!.findings[0].message).toContain(`gives key administrator ${other} GenerateDataKey;`);
    expect(result.ok).toBe(false);
  });

  it.each([
    ['by reference', '${aws_iam_role.lambda_role.arn}'],
    ['by ARN', 'arn:aws:iam::123456789012:role/apps/prod-secrets-reader'],
  ])('a grant to the Lambda role (%s) fails the report (app-role-outside-secrets-manager)', async (_label, grantee) => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    addGrant(edited, 'lambda', { grantee_principal: grantee, operations: ['Decrypt'] });
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(grantRules(result)).toEqual(['aws_kms_grant.key_grant_lambda app-role-outside-secrets-manager']);
    expect(result.kmsGrants.find((g) => g.risky)!.granteePrincipal).toBe('arn:aws:iam::123456789012:role/apps/prod-secrets-reader');
    const { code, out } = await cliText(edited);
    expect(code).toBe(1);
    expect(out).toMatch(
      /^ {2}\[app-role-outside-secrets-manager\] grant lambda \(aws_kms_grant\.key_grant_lambda\) gives role prod-secrets-reader Decrypt: a grant bypasses the kms:ViaService/m,
    );
  });

  it('CreateGrant among a grant’s operations fails the report (grant-re-delegates)', async () => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    const batch = edited.resource!.aws_kms_grant.key_grant_batch_decrypt as { operations: string[] };
    batch.operations.push('CreateGrant');
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(grantRules(result)).toEqual(['aws_kms_grant.key_grant_batch_decrypt grant-re-delegates']);
    const { code, out } = await cliText(edited);
    expect(code).toBe(1);
    expect(out).toContain(
      '[grant-re-delegates] grant batch-decrypt (aws_kms_grant.key_grant_batch_decrypt) gives arn:aws:iam::123456789012:role/batch CreateGrant, so it could re-delegate its access to anyone',
    );
  });

  it('an operation KMS does not know (kms:Decrypt) is a lint problem, so the rules cannot miss it', async () => {
    const { environment, stack } = single('access-grants.json');
    const edited = copy(stack);
    addGrant(edited, 'admin', { grantee_principal: ADMIN, operations: ['kms:Decrypt'] });
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(result.lint).toEqual([
      expect.objectContaining({
        check: 'kms-grant-operations-exist',
        where: 'aws_kms_grant.key_grant_admin.operations[0]',
        message: expect.stringMatching(/^"kms:Decrypt" is not a KMS grant operation; allowed: Decrypt, /),
      }),
    ]);
    await expect(cliExitCode(edited, 'prod', 'access-grants.json')).resolves.toBe(1);
  });
});

describe('a service principal in the secrets key’s policy (secrets-key-service-principal)', () => {
  /** The walk-through's third console statement: the Secrets Manager service principal with kms:*. */
  const CONSOLE_STATEMENT = {
    sid: 'AllowSecretsManagerService',
    effect: 'Allow',
    actions: ['kms:*'],
    resources: ['*'],
    principals: [{ type: 'Service', identifiers: ['secretsmanager.amazonaws.com'] }],
  };

  async function cliText(stack: SynthesizedStack, env: string, configFile?: string): Promise<{ code: number; out: string }> {
    const { dir, cleanup } = writeOutdir(new Map([[env, stack]]));
    const out: string[] = [];
    try {
      const code = await runAccessReport(['--outdir', dir], configFile ? { KMS_CONFIG: fixture(configFile) } : {}, {
        out: (t) => out.push(t),
        err: (t) => out.push(t),
      });
      return { code, out: out.join('\n') };
    } finally {
      cleanup();
    }
  }

  it('the walk-through’s console statement (secretsmanager.amazonaws.com with kms:*) fails the report with exit 1, naming the Sid and the service', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    statementsOf(edited, 'key_policy').push(CONSOLE_STATEMENT);
    const result = await report(environment, edited);
    expect(result.ok).toBe(false);
    expect(result.keyPolicyFindings).toEqual([
      {
        rule: 'secrets-key-service-principal',
        where: 'aws_kms_key.key (data.aws_iam_policy_document.key_policy)',
        statement: 'AllowSecretsManagerService',
        message:
          "statement AllowSecretsManagerService names the service principal secretsmanager.amazonaws.com (kms:*): Secrets Manager uses the key with the permissions of whoever calls it, so the secrets key's policy names no service; allowed: IAM principals of account 111122223333, via Secrets Manager (grantSecretsManagerUse)",
      },
    ]);
    // No matrix row is a service, so no cell shows it: the rule reads the statement.
    expect(result.riskyCells).toBe(0);
    const { code, out } = await cliText(edited, 'tutorial');
    expect(code).toBe(1);
    expect(out).toMatch(
      /^Risky key-policy statements \(1\):\n {2}\[secrets-key-service-principal\] aws_kms_key\.key \(data\.aws_iam_policy_document\.key_policy\) AllowSecretsManagerService: statement AllowSecretsManagerService names the service principal secretsmanager\.amazonaws\.com/m,
    );
    expect(out).toMatch(/Result: FAILED$/);
  });

  it('in a replica’s policy only, fails it too (access-alerts.json), while the alert key’s EventBridge statement trips nothing', async () => {
    const { environment, stack } = single('access-alerts.json');
    expect((await report(environment, stack)).ok).toBe(true);
    const edited = copy(stack);
    statementsOf(edited, 'key_us_west_2_policy').push(CONSOLE_STATEMENT);
    const result = await report(environment, edited);
    expect(result.keyPolicyFindings.map((f) => [f.rule, f.where, f.statement])).toEqual([
      [
        'secrets-key-service-principal',
        'aws_kms_replica_key.key_us_west_2 (data.aws_iam_policy_document.key_us_west_2_policy)',
        'AllowSecretsManagerService',
      ],
    ]);
    expect(result.alertKey!.policyFindings).toEqual([]);
    expect((await cliText(edited, 'prod', 'access-alerts.json')).code).toBe(1);
  });

  it('"*" with no condition holding the caller to the account fails it, and is found even when lint stops the evaluation', async () => {
    const { environment, stack } = single();
    const edited = copy(stack);
    // An unknown action too, so that lint stops the evaluation.
    const anyone = { ...CONSOLE_STATEMENT, sid: 'Anyone', actions: ['kms:Decryp'], principals: [{ type: 'AWS', identifiers: ['*'] }] };
    statementsOf(edited, 'key_policy').push(anyone);
    const result = await report(environment, edited);
    expect(result.lint.map((p) => p.check)).toEqual(['actions-exist']);
    expect(result.keyPolicyFindings.map((f) => [f.statement, f.message])).toEqual([
      [
        'Anyone',
        expect.stringContaining(
          'statement Anyone allows "*" (kms:Decryp), which names every principal, services included, and no condition holds the caller to account 111122223333 or an organization',
        ),
      ],
    ]);
    const { code, out } = await cliText(edited, 'tutorial');
    expect(code).toBe(1);
    expect(out).toMatch(/^ {2}\[secrets-key-service-principal\] aws_kms_key\.key \(data\.aws_iam_policy_document\.key_policy\) Anyone: /m);
  });
});

/**
 * Bringing the console walk-through's key under this project, through real Terraform, offline: the
 * fixture `import-console-key.json` imports the key, its alias and the Lambda role, and one plan
 * runs against loopback stand-ins that answer the KMS and IAM calls the provider makes to read them
 * (tools/terraform/kms-stand-in.ts, iam-stand-in.ts). The plan must import all three, destroy and
 * replace nothing, and replace the console policy's `kms:*` statements with the least-privilege
 * ones, known at plan time.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import type { EnvironmentStack } from '../../app/environment-stack';
import { outputLayout } from '../../app/project';
import { parseConfig } from '../../config/load';
import { normalizePolicy, renderPolicy, statementsOf } from '../../policy/render';
import { OfflineHarness } from '../../tools/terraform/harness';
import { CONSOLE_LAMBDA_TRUST_POLICY, type IamStandIn, startIamStandIn } from '../../tools/terraform/iam-stand-in';
import { describeWithTerraform } from '../../tools/terraform/jest-support';
import { consoleKeyPolicy, type KmsStandIn, startKmsStandIn } from '../../tools/terraform/kms-stand-in';
import { offlineOverride } from '../../tools/terraform/offline-override';
import { isKnownAtPlan, type PlanJson, resourceChange } from '../../tools/terraform/plan-json';
import type { SynthStack } from '../constructs/helpers';

// One init, one plan, one show: about 10 s on two cores.
jest.setTimeout(120_000);

const ACCOUNT = '111122223333';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const ALIAS = 'alias/secrets-manager-encryption-key';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/service-role/lambda-secrets-role`;
/** The customer managed policy the Lambda console attaches to a role it creates. */
const CONSOLE_ROLE_POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/service-role/AWSLambdaBasicExecutionRole-0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d`;
/** The walk-through's "Step 6" policy: root, the Lambda role and Secrets Manager, each with kms:*. */
const CONSOLE_POLICY = consoleKeyPolicy({ accountId: ACCOUNT, lambdaRoleArn: ROLE_ARN });

/** The parts of a `resource_changes` entry this test reads beyond `plan-json.ts`'s. */
interface ImportingChange {
  readonly action_reason?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Record<string, unknown> | null;
    readonly after?: Record<string, unknown> | null;
    readonly importing?: { readonly id?: string };
  };
}

const changeOf = (plan: PlanJson, address: string) => resourceChange(plan, address) as unknown as ImportingChange;
const valuesOf = (side: Record<string, unknown> | null | undefined): Record<string, unknown> => side ?? {};

describeWithTerraform('importing the console walk-through’s key, alias and role (offline plan)', (tools) => {
  let root: string;
  let kms: KmsStandIn;
  let iam: IamStandIn;
  let harness: OfflineHarness;
  let stack: EnvironmentStack;
  let synthesized: SynthStack & { readonly import?: unknown };
  let plan: PlanJson;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tf-import-'));
    const outdir = join(root, 'cdktf.out');
    const config = parseConfig(
      JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'import-console-key.json'), 'utf8')),
      'import-console-key',
    );
    const built = buildApp(config, { layout: outputLayout(root, outdir) });
    built.app.synth();
    stack = built.stacks[0];
    const stackDir = join(outdir, 'stacks', 'tutorial');
    synthesized = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
    // The key and role as the walk-through leaves them: rotation never switched on, no description on the role.
    [kms, iam, harness] = await Promise.all([
      startKmsStandIn({
        keyId: KEY_ID,
        accountId: ACCOUNT,
        region: 'us-east-1',
        description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
        rotation: { enabled: false, periodInDays: 365 },
        tags: { Environment: 'tutorial', Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' },
        policy: CONSOLE_POLICY,
        aliases: [ALIAS],
      }),
      startIamStandIn({
        accountId: ACCOUNT,
        name: 'lambda-secrets-role',
        path: '/service-role/',
        assumeRolePolicy: CONSOLE_LAMBDA_TRUST_POLICY,
        attachedPolicies: [{ name: CONSOLE_ROLE_POLICY_ARN.split('/').pop()!, arn: CONSOLE_ROLE_POLICY_ARN }],
      }),
      OfflineHarness.start(tools),
    ]);
    const harnessStack = harness.addStack(stackDir, {
      name: 'tutorial',
      planDir: join(root, 'plans'),
      endpoints: { kms: kms.endpoint, iam: iam.endpoint },
    });
    plan = await harness.plan(harnessStack);
  });

  afterAll(async () => {
    await Promise.all([harness?.close(), kms?.close(), iam?.close()]);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe('what synth asks Terraform to import', () => {
    test('import blocks for the key (by id), the alias (by name) and the role (by name)', () => {
      expect(synthesized.import).toEqual([
        { to: 'aws_kms_key.key', id: KEY_ID },
        { to: 'aws_kms_alias.key', id: ALIAS },
        { to: 'aws_iam_role.lambda_role', id: 'lambda-secrets-role' },
      ]);
    });

    test('prevent_destroy stays on the imported key', () => {
      expect(synthesized.resource.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: true });
    });
  });

  describe('the plan', () => {
    test('imports the key, the alias and the role, and nothing else', () => {
      const imported = (plan.resource_changes ?? [])
        .map((c) => [c.address, (c as unknown as ImportingChange).change.importing?.id])
        .filter(([, id]) => id !== undefined);
      expect(Object.fromEntries(imported)).toEqual({
        'aws_kms_key.key': KEY_ID,
        'aws_kms_alias.key': ALIAS,
        'aws_iam_role.lambda_role': 'lambda-secrets-role',
      });
    });

    test('destroys and replaces nothing: the key and role are updated in place, the alias is unchanged', () => {
      const changes = plan.resource_changes ?? [];
      expect(changes.filter((c) => c.change.actions.includes('delete')).map((c) => c.address)).toEqual([]);
      expect(changes.filter((c) => (c as unknown as ImportingChange).action_reason?.startsWith('replace')).map((c) => c.address)).toEqual(
        [],
      );
      const actions = Object.fromEntries(changes.filter((c) => c.mode === 'managed').map((c) => [c.address, c.change.actions.join('+')]));
      expect(actions).toEqual({
        'aws_kms_key.key': 'update',
        'aws_kms_alias.key': 'no-op',
        'aws_iam_role.lambda_role': 'update',
        // This project's own policy on the role, and the AWS managed CloudWatch Logs policy.
        'aws_iam_role_policy.lambda_role': 'create',
        'aws_iam_role_policy_attachment.lambda_role_basic_execution': 'create',
      });
      expect(plan.errored).toBe(false);
    });

    test('the key keeps what cannot change on an existing key, and gets rotation switched on', () => {
      const { before, after } = changeOf(plan, 'aws_kms_key.key').change;
      for (const attribute of ['customer_master_key_spec', 'key_usage', 'multi_region', 'arn', 'key_id']) {
        expect({ attribute, value: valuesOf(after)[attribute] }).toEqual({ attribute, value: valuesOf(before)[attribute] });
      }
      expect([valuesOf(before).enable_key_rotation, valuesOf(after).enable_key_rotation]).toEqual([false, true]);
    });

    test('the alias keeps pointing at the imported key', () => {
      expect(valuesOf(changeOf(plan, 'aws_kms_alias.key').change.after)).toMatchObject({ name: ALIAS, target_key_id: KEY_ID });
    });
  });

  describe('the key policy: the console’s kms:* statements replaced by least privilege', () => {
    test('before: exactly the console policy KMS returned, with kms:* for the Lambda role and for secretsmanager.amazonaws.com', () => {
      const before = valuesOf(changeOf(plan, 'aws_kms_key.key').change.before).policy as string;
      expect(normalizePolicy(before)).toEqual(normalizePolicy(CONSOLE_POLICY));
      const statements = statementsOf(JSON.parse(before));
      expect(statements.find((s) => JSON.stringify(s.Principal) === JSON.stringify({ AWS: ROLE_ARN }))?.Action).toBe('kms:*');
      expect(
        statements.find((s) => JSON.stringify(s.Principal) === JSON.stringify({ Service: 'secretsmanager.amazonaws.com' }))?.Action,
      ).toBe('kms:*');
    });

    test('after: known at plan time and exactly this project’s statements', () => {
      expect(isKnownAtPlan(plan, 'aws_kms_key.key', 'policy')).toBe(true);
      const after = valuesOf(changeOf(plan, 'aws_kms_key.key').change.after).policy as string;
      expect(normalizePolicy(after)).toEqual(normalizePolicy(renderPolicy(stack.key.policyStatements())));
    });

    test('after: kms:* only for the account root, the role only Decrypt and GenerateDataKey via Secrets Manager, no service principal', () => {
      const statements = normalizePolicy(valuesOf(changeOf(plan, 'aws_kms_key.key').change.after).policy as string).Statement;
      expect(statements.filter((s) => (s.Action as string[]).includes('kms:*')).map((s) => s.Principal)).toEqual([
        { AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
      ]);
      expect(statements.some((s) => s.Principal !== '*' && s.Principal?.Service !== undefined)).toBe(false);
      expect(statements.find((s) => s.Sid === 'GrantLambdaSecretsRoleViaSecretsmanager')).toEqual({
        Sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
        Effect: 'Allow',
        Principal: { AWS: [ROLE_ARN] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['*'],
        Condition: {
          StringEquals: { 'kms:CallerAccount': [ACCOUNT], 'kms:ViaService': ['secretsmanager.us-east-1.amazonaws.com'] },
          StringLike: { 'kms:EncryptionContext:SecretARN': [`arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/*`] },
        },
      });
    });
  });

  describe('the imported role', () => {
    test('its trust policy gains the aws:SourceAccount condition; the console’s own managed policy stays attached, untouched', () => {
      const { before, after } = changeOf(plan, 'aws_iam_role.lambda_role').change;
      expect(normalizePolicy(valuesOf(before).assume_role_policy as string)).toEqual(normalizePolicy(CONSOLE_LAMBDA_TRUST_POLICY));
      expect(normalizePolicy(valuesOf(after).assume_role_policy as string).Statement[0].Condition).toEqual({
        StringEquals: { 'aws:SourceAccount': [ACCOUNT] },
      });
      expect(valuesOf(before).managed_policy_arns).toEqual([CONSOLE_ROLE_POLICY_ARN]);
      expect(valuesOf(after).managed_policy_arns).toEqual([CONSOLE_ROLE_POLICY_ARN]);
    });
  });

  describe('what the stand-ins were asked', () => {
    test('KMS: the four reads of the key and one ListAliases, each once, each about the imported key', () => {
      expect(kms.requestCounts()).toEqual({
        DescribeKey: 1,
        GetKeyPolicy: 1,
        GetKeyRotationStatus: 1,
        ListResourceTags: 1,
        ListAliases: 1,
      });
      // ListAliases lists the account's aliases and the provider picks the one it imports.
      expect(kms.requests.filter((r) => r.action !== 'ListAliases').map((r) => r.keyId)).toEqual([KEY_ID, KEY_ID, KEY_ID, KEY_ID]);
    });

    test('IAM: GetRole, ListRolePolicies and ListAttachedRolePolicies for the role, each once', () => {
      expect(iam.requestCounts()).toEqual({ GetRole: 1, ListRolePolicies: 1, ListAttachedRolePolicies: 1 });
      expect(iam.requests.every((r) => r.roleName === 'lambda-secrets-role')).toBe(true);
    });

    test('every request carried the stack’s offline credentials; STS saw only GetCallerIdentity', () => {
      expect([...kms.requests, ...iam.requests].every((r) => r.accessKeyId === `OFFLINE${ACCOUNT}`)).toBe(true);
      expect(harness.sts.requests.every((r) => r.action === 'GetCallerIdentity')).toBe(true);
    });
  });
});

describe('the stand-ins and the override, without Terraform', () => {
  const kmsCall = (endpoint: string, action: string, body: unknown) =>
    fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `TrentService.${action}` },
      body: JSON.stringify(body),
    });

  test('the KMS stand-in names an action it does not answer, and refuses keys it does not hold', async () => {
    const standIn = await startKmsStandIn({
      keyId: KEY_ID,
      accountId: ACCOUNT,
      region: 'us-east-1',
      description: 'd',
      rotation: { enabled: false, periodInDays: 365 },
      tags: {},
      policy: CONSOLE_POLICY,
      aliases: [ALIAS],
    });
    try {
      const unknown = await kmsCall(standIn.endpoint, 'ScheduleKeyDeletion', { KeyId: KEY_ID });
      expect(unknown.status).toBe(400);
      expect(await unknown.json()).toEqual({
        __type: 'UnknownOperationException',
        message: 'the offline KMS stand-in does not answer TrentService.ScheduleKeyDeletion',
      });
      const other = await kmsCall(standIn.endpoint, 'DescribeKey', { KeyId: '00000000-0000-4000-8000-000000000000' });
      expect(await other.json()).toMatchObject({ __type: 'NotFoundException' });
      const byAlias = await kmsCall(standIn.endpoint, 'DescribeKey', { KeyId: ALIAS });
      expect(await byAlias.json()).toMatchObject({
        KeyMetadata: { KeyId: KEY_ID, Arn: standIn.keyArn, KeyState: 'Enabled', MultiRegion: false },
      });
      expect(standIn.requestCounts()).toEqual({ ScheduleKeyDeletion: 1, DescribeKey: 2 });
    } finally {
      await standIn.close();
    }
  });

  test('the IAM stand-in names an action it does not answer', async () => {
    const standIn = await startIamStandIn({
      accountId: ACCOUNT,
      name: 'lambda-secrets-role',
      path: '/service-role/',
      assumeRolePolicy: CONSOLE_LAMBDA_TRUST_POLICY,
    });
    try {
      const response = await fetch(standIn.endpoint, {
        method: 'POST',
        body: 'Action=DeleteRole&RoleName=lambda-secrets-role&Version=2010-05-08',
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(
        /<Code>InvalidAction<\/Code><Message>the offline IAM stand-in only answers GetRole, ListRolePolicies, ListAttachedRolePolicies, not DeleteRole</,
      );
      expect(standIn.roleArn).toBe(ROLE_ARN);
    } finally {
      await standIn.close();
    }
  });

  test('extra endpoints join the STS one and must be loopback stand-ins', () => {
    const input = { stsEndpoint: 'http://127.0.0.1:4000', accessKeyId: 'x' };
    const aws = (override: Record<string, unknown>) => (override as { provider: { aws: { endpoints: unknown } } }).provider.aws;
    expect(aws(offlineOverride({ ...input, endpoints: { kms: 'http://127.0.0.1:4001' } })).endpoints).toEqual([
      { sts: 'http://127.0.0.1:4000', kms: 'http://127.0.0.1:4001' },
    ]);
    expect(aws(offlineOverride(input)).endpoints).toEqual([{ sts: 'http://127.0.0.1:4000' }]);
    expect(() => offlineOverride({ ...input, endpoints: { kms: 'https://kms.us-east-1.amazonaws.com' } })).toThrow(
      /kms endpoint must be a loopback address/,
    );
    expect(() => offlineOverride({ ...input, endpoints: { sts: 'http://127.0.0.1:4002' } })).toThrow(/give it as stsEndpoint/);
  });
});

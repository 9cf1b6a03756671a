/**
 * Fixture configs through real Terraform, offline: several environments in several accounts and
 * regions, an S3 backend and a Terraform Cloud backend. Every stack must plan; each key policy and
 * trust policy must be known at plan time and equal the statements the constructs meant. Also
 * cdktf's own `toBeValidTerraform` matcher on the default app. A slow suite (`npm run test:slow`):
 * ten plans cost about a minute of CPU; `npm test` plans the default environment and the import
 * fixture and validates the multi-feature fixture's HCL.
 */
import 'cdktf/lib/testing/adapters/jest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { outputLayout } from '../../app/project';
import type { EnvironmentStack } from '../../app/environment-stack';
import defaultConfig from '../../config/default-config.json';
import { parseConfig } from '../../config/load';
import { normalizePolicy, renderPolicy } from '../../policy/render';
import type { TerraformResult } from '../../tools/terraform/cli';
import { terraformSlots } from '../../tools/terraform/concurrency';
import { type HarnessStack, OfflineHarness } from '../../tools/terraform/harness';
import { describeWithTerraform } from '../../tools/terraform/jest-support';
import { OFFLINE_GOGC } from '../../tools/terraform/offline-env';
import { stateWithKey } from '../../tools/terraform/state';
import { createdResourceCounts, knownString, plannedResource, type PlanJson } from '../../tools/terraform/plan-json';
import type { SynthStack } from '../constructs/helpers';

// One shared init, then ten plans, as many at a time as the machine-wide limit allows.
jest.setTimeout(240_000);

const FIXTURES = ['multi-account', 's3-backend', 'cloud-backend', 'secrets', 'replicas-grants'] as const;

interface Planned {
  readonly fixture: (typeof FIXTURES)[number];
  readonly stack: EnvironmentStack;
  readonly synthesized: SynthStack;
  readonly harnessStack: HarnessStack;
  plan?: PlanJson;
}

describeWithTerraform('fixture configs through Terraform', (tools) => {
  let root: string;
  let harness: OfflineHarness;
  let foreignAccountError: Error | undefined;
  let devDestroy: TerraformResult;
  const planned: Planned[] = [];
  const find = (fixture: Planned['fixture'], env: string) => {
    const found = planned.find((p) => p.fixture === fixture && p.stack.environment.name === env);
    if (!found?.plan) throw new Error(`no plan for ${fixture}/${env}`);
    return found as Planned & { plan: PlanJson };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tf-fixtures-'));
    harness = await OfflineHarness.start(tools);
    for (const fixture of FIXTURES) {
      const config = parseConfig(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', `${fixture}.json`), 'utf8')), fixture);
      const outdir = join(root, fixture, 'cdktf.out');
      mkdirSync(outdir, { recursive: true });
      const { app, stacks } = buildApp(config, { layout: outputLayout(join(root, fixture), outdir) });
      app.synth();
      for (const stack of stacks) {
        const stackDir = join(outdir, 'stacks', stack.environment.name);
        planned.push({
          fixture,
          stack,
          synthesized: JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')),
          harnessStack: harness.addStack(stackDir, { name: stack.environment.name, planDir: join(root, fixture, 'plans') }),
        });
      }
    }
    // The two safety checks below run on their own copies of stacks, alongside the main plans.
    const multiAccount = join(root, 'multi-account', 'cdktf.out', 'stacks');
    const foreign = harness.addStack(join(multiAccount, 'prod'), {
      name: 'prod',
      planDir: join(root, 'foreign-account-plans'),
      callerAccountId: '999999999999',
    });
    const devCopy = harness.addStack(join(multiAccount, 'dev'), { name: 'dev', planDir: join(root, 'destroy-plans') });
    const [plans, foreignError, destroy] = await Promise.all([
      harness.planAll(planned.map((p) => p.harnessStack)),
      harness.plan(foreign).then(
        () => undefined,
        (error: Error) => error,
      ),
      harness.planDestroy(devCopy, stateWithKey('arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab')),
    ]);
    plans.forEach((plan, i) => (planned[i].plan = plan));
    foreignAccountError = foreignError;
    devDestroy = destroy;
  });

  afterAll(async () => {
    await harness?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  test('every environment of every fixture planned, each with its own account', () => {
    expect(planned.map((p) => `${p.fixture}/${p.stack.environment.name}`)).toEqual([
      'multi-account/dev',
      'multi-account/prod',
      'multi-account/audit',
      's3-backend/staging',
      'cloud-backend/prod',
      'secrets/app',
      'secrets/legacy',
      'replicas-grants/global',
    ]);
    expect(planned.map((p) => p.harnessStack.callerAccountId)).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
      '444444444444',
      '555555555555',
      '666666666666',
      '777777777777',
      '888888888888',
    ]);
    for (const p of planned) expect(p.plan?.errored).toBe(false);
  });

  describe('resources and key settings follow each environment’s config', () => {
    test.each([
      [
        'multi-account',
        'dev',
        { aws_kms_key: 1, aws_kms_alias: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_iam_role_policy_attachment: 1 },
      ],
      [
        'multi-account',
        'prod',
        { aws_kms_key: 1, aws_kms_alias: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_iam_role_policy_attachment: 2 },
      ],
      ['multi-account', 'audit', { aws_kms_key: 1, aws_kms_alias: 1 }],
      [
        's3-backend',
        'staging',
        { aws_kms_key: 1, aws_kms_alias: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_iam_role_policy_attachment: 1 },
      ],
      [
        'cloud-backend',
        'prod',
        { aws_kms_key: 1, aws_kms_alias: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_iam_role_policy_attachment: 1 },
      ],
      [
        'secrets',
        'app',
        {
          aws_kms_key: 1,
          aws_kms_alias: 1,
          aws_iam_role: 1,
          aws_iam_role_policy: 1,
          aws_iam_role_policy_attachment: 1,
          aws_secretsmanager_secret: 2,
        },
      ],
      [
        'secrets',
        'legacy',
        { aws_kms_key: 1, aws_kms_alias: 1, aws_iam_role: 1, aws_iam_role_policy: 1, aws_iam_role_policy_attachment: 1 },
      ],
      [
        'replicas-grants',
        'global',
        {
          // The secrets key and one key made only for alerts per region where a key lives.
          aws_kms_key: 4,
          aws_kms_replica_key: 2,
          aws_kms_alias: 12,
          aws_kms_grant: 2,
          aws_iam_role: 1,
          aws_iam_role_policy: 1,
          aws_iam_role_policy_attachment: 1,
          aws_secretsmanager_secret: 1,
          aws_sns_topic: 3,
          aws_sns_topic_policy: 3,
          aws_sns_topic_subscription: 6,
          aws_cloudwatch_event_rule: 6,
          aws_cloudwatch_event_target: 6,
        },
      ],
    ] as const)('%s/%s creates %j', (fixture, env, counts) => {
      expect(createdResourceCounts(find(fixture, env).plan)).toEqual(counts);
    });

    test.each([
      [
        'multi-account',
        'dev',
        { enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 7, multi_region: false },
      ],
      [
        'multi-account',
        'prod',
        { enable_key_rotation: true, rotation_period_in_days: 180, deletion_window_in_days: 30, multi_region: true },
      ],
      ['multi-account', 'audit', { enable_key_rotation: false, customer_master_key_spec: 'ECC_NIST_P256', key_usage: 'SIGN_VERIFY' }],
      ['s3-backend', 'staging', { enable_key_rotation: true, rotation_period_in_days: 365, deletion_window_in_days: 30 }],
      ['cloud-backend', 'prod', { enable_key_rotation: true, rotation_period_in_days: 90, deletion_window_in_days: 30 }],
    ] as const)('%s/%s key: %j', (fixture, env, values) => {
      expect(plannedResource(find(fixture, env).plan, 'aws_kms_key.key').values).toMatchObject(values);
    });

    test('a key that does not rotate has no rotation period', () => {
      expect(find('multi-account', 'audit').synthesized.resource.aws_kms_key.key).not.toHaveProperty('rotation_period_in_days');
    });

    test('the prod role is under its path and also gets VPC access', () => {
      const { plan } = find('multi-account', 'prod');
      expect(plannedResource(plan, 'aws_iam_role.lambda_role').values).toMatchObject({ name: 'app-secrets-reader', path: '/app/' });
      expect(plannedResource(plan, 'aws_iam_role_policy_attachment.lambda_role_vpc_access').values.policy_arn).toBe(
        'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
      );
      expect(plannedResource(plan, 'aws_kms_key.key').values.tags_all).toEqual({ Environment: 'prod', Owner: 'platform' });
    });

    test('the Lambda role carries the environment’s tags', () => {
      expect(plannedResource(find('multi-account', 'prod').plan, 'aws_iam_role.lambda_role').values.tags_all).toEqual({
        Environment: 'prod',
        Owner: 'platform',
      });
    });

    test('a __proto__ tag reaches every resource through default_tags', () => {
      const { plan } = find('s3-backend', 'staging');
      for (const address of ['aws_kms_key.key', 'aws_iam_role.lambda_role']) {
        expect(plannedResource(plan, address).values.tags_all).toEqual(JSON.parse('{"__proto__":"kept","Team":"payments"}'));
      }
    });
  });

  describe('policies are known at plan time', () => {
    test('each key policy equals the statements the construct built', () => {
      for (const p of planned) {
        const policy = knownString(p.plan!, 'aws_kms_key.key', 'policy');
        expect({ env: p.stack.environment.name, policy: normalizePolicy(policy) }).toEqual({
          env: p.stack.environment.name,
          policy: normalizePolicy(renderPolicy(p.stack.key.policyStatements())),
        });
      }
    });

    test('each trust policy equals the statement the construct built', () => {
      for (const p of planned.filter((q) => q.stack.lambdaRole)) {
        const trust = knownString(p.plan!, 'aws_iam_role.lambda_role', 'assume_role_policy');
        expect(normalizePolicy(trust)).toEqual(normalizePolicy(renderPolicy(p.stack.lambdaRole!.trustStatements())));
      }
    });

    test('prod: account root, the named administrator, and the reader role only via Secrets Manager in us-west-2', () => {
      const statements = normalizePolicy(knownString(find('multi-account', 'prod').plan, 'aws_kms_key.key', 'policy')).Statement;
      expect(statements.map((s) => s.Sid)).toEqual([
        'EnableIamUserPermissions',
        'KeyAdministrators',
        'GrantAppSecretsReaderViaSecretsmanager',
      ]);
      expect(statements[0]).toMatchObject({ Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: ['kms:*'] });
      expect(statements[1].Principal).toEqual({ AWS: ['arn:aws:iam::222222222222:role/kms-admin'] });
      expect(statements[1].Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ReplicateKey', 'kms:UpdatePrimaryRegion']));
      expect(statements[1].Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
      expect(statements[2]).toEqual({
        Sid: 'GrantAppSecretsReaderViaSecretsmanager',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::222222222222:role/app/app-secrets-reader'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['*'],
        Condition: {
          StringEquals: {
            'kms:CallerAccount': ['222222222222'],
            'kms:ViaService': ['secretsmanager.us-west-2.amazonaws.com'],
          },
          StringLike: { 'kms:EncryptionContext:SecretARN': ['arn:aws:secretsmanager:us-west-2:222222222222:secret:app/prod/db-??????'] },
        },
      });
    });

    test('secrets/app: the key policy (known at plan) binds the reader to exactly its two secrets; the role policy carries the same condition', () => {
      const { plan, synthesized } = find('secrets', 'app');
      const patterns = [
        'arn:aws:secretsmanager:eu-west-1:666666666666:secret:app/api-key-??????',
        'arn:aws:secretsmanager:eu-west-1:666666666666:secret:app/db-credentials-??????',
      ];
      const grant = normalizePolicy(knownString(plan, 'aws_kms_key.key', 'policy')).Statement.find(
        (s) => s.Sid === 'GrantAppReaderViaSecretsmanager',
      );
      expect(grant?.Condition).toEqual({
        StringEquals: { 'kms:CallerAccount': ['666666666666'], 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'] },
        StringLike: { 'kms:EncryptionContext:SecretARN': patterns },
      });
      // The role's policy names the key's ARN, known only after apply: check it in the synthesized JSON.
      const statements = synthesized.data.aws_iam_policy_document.lambda_role_permissions.statement;
      const roleKms = statements.find((s) => s.sid === 'GrantAppReaderViaSecretsmanager');
      expect(roleKms?.condition?.find((c) => c.variable === 'kms:EncryptionContext:SecretARN')?.values.sort()).toEqual(patterns);
      expect(statements[0].resources?.sort()).toEqual(patterns);
    });

    test('secrets/app: each secret is encrypted with the key, and no secret value is anywhere in the plan', () => {
      const { plan } = find('secrets', 'app');
      expect(plannedResource(plan, 'aws_secretsmanager_secret.secret_app_db_credentials').values).toMatchObject({
        name: 'app/db-credentials',
        description: 'Database credentials for the app',
        recovery_window_in_days: 30,
      });
      expect(plannedResource(plan, 'aws_secretsmanager_secret.secret_app_api_key').values.recovery_window_in_days).toBe(7);
      expect(JSON.stringify(plan)).not.toMatch(/secret_string|secret_binary|aws_secretsmanager_secret_version/);
    });

    test('secrets/legacy: a prefix role is bound to secret:legacy/* in the key policy', () => {
      const grant = normalizePolicy(knownString(find('secrets', 'legacy').plan, 'aws_kms_key.key', 'policy')).Statement.find(
        (s) => s.Sid === 'GrantLegacyReaderViaSecretsmanager',
      );
      expect(grant?.Condition?.StringLike).toEqual({
        'kms:EncryptionContext:SecretARN': ['arn:aws:secretsmanager:eu-west-1:777777777777:secret:legacy/*'],
      });
    });

    test('replicas-grants/global: each replica’s policy (known at plan) names its own region; aliases and grants as configured', () => {
      const { plan } = find('replicas-grants', 'global');
      for (const region of ['us-west-2', 'ap-southeast-2']) {
        const address = `aws_kms_replica_key.key_${region.replace(/-/g, '_')}`;
        const grant = normalizePolicy(knownString(plan, address, 'policy')).Statement.find(
          (s) => s.Sid === 'GrantGlobalReaderViaSecretsmanager',
        );
        expect(grant?.Condition).toEqual({
          StringEquals: { 'kms:CallerAccount': ['888888888888'], 'kms:ViaService': [`secretsmanager.${region}.amazonaws.com`] },
          StringLike: { 'kms:EncryptionContext:SecretARN': [`arn:aws:secretsmanager:${region}:888888888888:secret:global/db-??????`] },
        });
        expect(plannedResource(plan, address).values).toMatchObject({ deletion_window_in_days: 30, enabled: true });
        expect(plannedResource(plan, `aws_kms_alias.key_${region.replace(/-/g, '_')}_alias_team_global`).values.name).toBe(
          'alias/team/global',
        );
      }
      expect(plannedResource(plan, 'aws_kms_grant.key_grant_nightly_batch').values).toMatchObject({
        name: 'nightly-batch',
        grantee_principal: 'arn:aws:iam::888888888888:role/batch',
        constraints: [{ encryption_context_subset: { Department: 'finance' } }],
      });
      expect(plannedResource(plan, 'aws_kms_grant.key_grant_auditor').values.retiring_principal).toBe('arn:aws:iam::888888888888:role/ops');
    });

    test('replicas-grants/global: alerts in every region where a key lives, each topic encrypted with its region’s alert key', () => {
      const { plan } = find('replicas-grants', 'global');
      for (const [suffix, provider] of [
        ['', 'aws'],
        ['_us_west_2', 'aws.us_west_2'],
        ['_ap_southeast_2', 'aws.ap_southeast_2'],
      ]) {
        expect(plannedResource(plan, `aws_cloudwatch_event_rule.key_changes${suffix}`).values.name).toBe('global-kms-key-changes');
        expect(plannedResource(plan, `aws_cloudwatch_event_rule.key_deletion${suffix}`).values.name).toBe('global-kms-key-deletion');
        expect(plannedResource(plan, `aws_sns_topic.alerts${suffix}`).values.name).toBe('global-kms-key-alerts');
        expect(plannedResource(plan, `aws_kms_key.alert_key${suffix}`).values).toMatchObject({ enable_key_rotation: true });
        expect(plannedResource(plan, `aws_sns_topic_subscription.alerts${suffix}_email_0`).values).toMatchObject({
          protocol: 'email',
          endpoint: 'security@example.com',
        });
        expect(find('replicas-grants', 'global').synthesized.resource.aws_sns_topic[`alerts${suffix}`].provider ?? 'aws').toBe(provider);
      }
      // The alert key's policy is known at plan: EventBridge may use it, and only for the two actions an encrypted topic needs.
      const eventBridge = normalizePolicy(knownString(plan, 'aws_kms_key.alert_key_us_west_2', 'policy')).Statement.find(
        (s) => s.Sid === 'EventBridgePublishesAlerts',
      );
      expect(eventBridge).toMatchObject({
        Principal: { Service: ['events.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      });
    });

    test('replicas-grants/global: the secrets key’s policy names no service principal', () => {
      const { plan } = find('replicas-grants', 'global');
      for (const address of ['aws_kms_key.key', 'aws_kms_replica_key.key_us_west_2', 'aws_kms_replica_key.key_ap_southeast_2']) {
        expect(
          normalizePolicy(knownString(plan, address, 'policy')).Statement.filter(
            (s) => s.Principal !== '*' && s.Principal?.Service !== undefined,
          ),
        ).toEqual([]);
      }
    });

    test('replicas-grants/global: a description with ${...} reaches the key and its replicas as literal text', () => {
      const { plan } = find('replicas-grants', 'global');
      for (const address of ['aws_kms_key.key', 'aws_kms_replica_key.key_us_west_2', 'aws_kms_replica_key.key_ap_southeast_2']) {
        expect(plannedResource(plan, address).values.description).toBe('Replicated key; ${not a reference} stays literal');
      }
    });

    test('audit: no account-root delegation; the auditor may sign and verify, nothing else', () => {
      const statements = normalizePolicy(knownString(find('multi-account', 'audit').plan, 'aws_kms_key.key', 'policy')).Statement;
      expect(statements.map((s) => s.Sid)).toEqual(['KeyAdministrators', 'KeyUsers']);
      expect(statements[1]).toMatchObject({
        Principal: { AWS: ['arn:aws:iam::333333333333:role/auditor'] },
        Action: ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'],
      });
    });
  });

  describe('backends', () => {
    test('the S3 backend stays in the product output, with native locking, and the stack plans with local state', () => {
      const { synthesized, plan } = find('s3-backend', 'staging');
      expect(synthesized.terraform.backend).toEqual({
        s3: { bucket: 'acme-terraform-state', key: 'staging/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
      });
      expect(plannedResource(plan, 'aws_kms_alias.key').values.name).toBe('alias/secrets-staging');
    });

    test('the Terraform Cloud block stays in the product output and the stack plans with local state', () => {
      const { synthesized, plan } = find('cloud-backend', 'prod');
      expect(synthesized.terraform.cloud).toEqual({
        hostname: 'app.terraform.io',
        organization: 'acme',
        workspaces: { name: 'kms-secrets-prod' },
      });
      expect(synthesized.terraform.backend).toBeUndefined();
      expect(plannedResource(plan, 'aws_kms_alias.key').values.name).toBe('alias/secrets-prod');
    });
  });

  describe('cdktf’s toBeValidTerraform', () => {
    test('accepts the default app (init from the mirror, then validate)', async () => {
      const outdir = join(root, 'default', 'cdktf.out');
      mkdirSync(outdir, { recursive: true });
      buildApp(parseConfig(defaultConfig), { layout: outputLayout(join(root, 'default'), outdir) }).app.synth();
      const saved = { cli: process.env.TF_CLI_CONFIG_FILE, checkpoint: process.env.CHECKPOINT_DISABLE, gogc: process.env.GOGC };
      process.env.TF_CLI_CONFIG_FILE = harness.cliConfigFile;
      process.env.CHECKPOINT_DISABLE = '1';
      process.env.GOGC ??= OFFLINE_GOGC;
      try {
        // The matcher runs Terraform synchronously; it takes a machine-wide slot like the harness.
        await terraformSlots()(async () => expect(outdir).toBeValidTerraform());
      } finally {
        for (const [name, value] of [
          ['TF_CLI_CONFIG_FILE', saved.cli],
          ['CHECKPOINT_DISABLE', saved.checkpoint],
          ['GOGC', saved.gogc],
        ] as const) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      }
    });
  });

  describe('offline planning keeps the provider’s safety checks', () => {
    test('allowed_account_ids refuses credentials of another account', () => {
      expect(find('multi-account', 'prod').synthesized.provider.aws[0].allowed_account_ids).toEqual(['222222222222']);
      expect(foreignAccountError?.message).toMatch(/AWS account ID not allowed: 999999999999/);
    });

    test('without prevent_destroy (dev) the destroy plan that is refused for the default key goes through', () => {
      expect(find('multi-account', 'dev').synthesized.resource.aws_kms_key.key.lifecycle).toEqual({ prevent_destroy: false });
      expect(devDestroy.stderr).toBe('');
      expect(devDestroy.code).toBe(0);
      expect(devDestroy.stdout).toMatch(/Plan: 0 to add, 0 to change, 1 to destroy/);
    });
  });
});

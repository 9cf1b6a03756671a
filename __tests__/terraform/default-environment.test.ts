/**
 * The default environment (the console walk-through's key and Lambda role) through real Terraform:
 * an offline `plan` (which validates the configuration too) whose key policy and trust policy are
 * known values equal to what we mean, and `prevent_destroy` proven by a refused destroy plan.
 * cdktf's own `toBeValidTerraform` matcher on this app runs with the slow suites
 * (fixture-plans.slow.test.ts): its init and validate repeat what the plan here proves.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAccessReport } from '../../tools/access-report/run';
import { buildApp } from '../../app/build-app';
import { outputLayout } from '../../app/project';
import defaultConfig from '../../config/default-config.json';
import { parseConfig } from '../../config/load';
import { normalizePolicy, type PolicyDocument } from '../../policy/render';
import { policyDocumentBlock, renderPolicyDocumentBlock, type SynthesizedStack } from '../../tools/lib/synthesized';
import type { TerraformResult } from '../../tools/terraform/cli';
import { type HarnessStack, OfflineHarness } from '../../tools/terraform/harness';
import { describeWithTerraform } from '../../tools/terraform/jest-support';
import { stateWithKey } from '../../tools/terraform/state';
import { createdResourceCounts, isKnownAtPlan, knownString, plannedResource, type PlanJson } from '../../tools/terraform/plan-json';
import { DEFAULT_OFFLINE_ACCOUNT_ID } from '../../tools/terraform/sts-stand-in';

// init, plan + show, and a destroy plan.
jest.setTimeout(180_000);

/** The account the STS stand-in reports for a stack without accountId. */
const ACCOUNT = '111122223333';

/** What the walk-through asks for: the account may delegate to IAM; the Lambda role may use the key only through Secrets Manager. */
const INTENDED_KEY_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'EnableIamUserPermissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/service-role/lambda-secrets-role` },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'kms:CallerAccount': ACCOUNT,
          'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com',
        },
        // Only the secrets the role reads: Secrets Manager sends the secret's ARN as encryption context.
        StringLike: { 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/*` },
      },
    },
  ],
};

/** Only Lambda, and only on behalf of this account, may assume the role. */
const INTENDED_TRUST_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'LambdaAssumeRoleFromThisAccount',
      Effect: 'Allow',
      Principal: { Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    },
  ],
};

const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** Read the environment's secrets; decrypt and write them with the key, only through Secrets Manager. */
const INTENDED_PERMISSIONS_POLICY: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReadSecrets',
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/*`,
    },
    {
      Sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
      Effect: 'Allow',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
      Resource: KEY_ARN,
      Condition: {
        StringEquals: {
          'kms:CallerAccount': ACCOUNT,
          'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com',
        },
        // Only the secrets the role reads: Secrets Manager sends the secret's ARN as encryption context.
        StringLike: { 'kms:EncryptionContext:SecretARN': `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:tutorial/*` },
      },
    },
  ],
};

describeWithTerraform('default environment through Terraform', (tools) => {
  let root: string;
  let outdir: string;
  let harness: OfflineHarness;
  let stack: HarnessStack;
  let plan: PlanJson;
  let destroy: TerraformResult;
  let synthesized: SynthesizedStack;
  let measuredBytes: number;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'tf-default-'));
    outdir = join(root, 'cdktf.out');
    const app = buildApp(parseConfig(defaultConfig), { layout: outputLayout(root, outdir) });
    measuredBytes = app.stacks[0].key.keyPolicyBytes();
    app.app.synth();
    synthesized = JSON.parse(readFileSync(join(outdir, 'stacks', 'tutorial', 'cdk.tf.json'), 'utf8'));
    harness = await OfflineHarness.start(tools);
    stack = harness.addStack(join(outdir, 'stacks', 'tutorial'), { name: 'tutorial', planDir: join(root, 'plans') });
    // The destroy check runs on its own copy of the stack, alongside the plan.
    const destroyCopy = harness.addStack(join(outdir, 'stacks', 'tutorial'), { name: 'tutorial', planDir: join(root, 'destroy-plans') });
    [plan, destroy] = await Promise.all([harness.plan(stack), harness.planDestroy(destroyCopy, stateWithKey(KEY_ARN))]);
  });

  afterAll(async () => {
    await harness?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe('the key policy size synth checks', () => {
    test('equals the size of the policy Terraform computed, compacted as the provider sends it to KMS', () => {
      // The provider normalises with Go's json.Marshal: compact, object keys sorted.
      const sortKeys = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(sortKeys)
          : value !== null && typeof value === 'object'
            ? Object.fromEntries(
                Object.keys(value)
                  .sort()
                  .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
              )
            : value;
      const planned = JSON.stringify(sortKeys(JSON.parse(knownString(plan, 'aws_kms_key.key', 'policy'))));
      expect(measuredBytes).toBe(Buffer.byteLength(planned, 'utf8'));
    });
  });

  describe('the access report reads a real plan', () => {
    test('the key policy Terraform computed agrees with the report’s rendering of cdk.tf.json', async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await runAccessReport(
        ['--outdir', outdir, '--plan', join(root, 'plans')],
        {},
        { out: (t) => out.push(t), err: (t) => err.push(t) },
      );
      expect(err).toEqual([]);
      expect(out.join('\n')).toContain(
        `Plan: ${join(root, 'plans', 'tutorial.plan.json')}: the planned key policy agrees with the rendering.`,
      );
      expect(code).toBe(0);
    });
  });

  describe('offline plan', () => {
    test('the stand-in answers the account the expected policies are written for', () => {
      expect(DEFAULT_OFFLINE_ACCOUNT_ID).toBe(ACCOUNT);
      expect(stack.callerAccountId).toBe(ACCOUNT);
    });

    test('writes the plan as <dir>/tutorial.plan.json', () => {
      expect(existsSync(join(root, 'plans', 'tutorial.plan.json'))).toBe(true);
      expect(JSON.parse(readFileSync(join(root, 'plans', 'tutorial.plan.json'), 'utf8'))).toEqual(plan);
    });

    test('creates exactly the key, its alias, the role, its inline policy and the basic execution attachment', () => {
      expect(createdResourceCounts(plan)).toEqual({
        aws_kms_key: 1,
        aws_kms_alias: 1,
        aws_iam_role: 1,
        aws_iam_role_policy: 1,
        aws_iam_role_policy_attachment: 1,
      });
      expect(plan.resource_changes?.every((c) => c.change.actions.includes('create') || c.change.actions.includes('read'))).toBe(true);
    });

    test('the key rotates yearly, waits 30 days before deletion and is a symmetric encryption key', () => {
      expect(plannedResource(plan, 'aws_kms_key.key').values).toMatchObject({
        enable_key_rotation: true,
        rotation_period_in_days: 365,
        deletion_window_in_days: 30,
        customer_master_key_spec: 'SYMMETRIC_DEFAULT',
        key_usage: 'ENCRYPT_DECRYPT',
        is_enabled: true,
        multi_region: false,
        bypass_policy_lockout_safety_check: false,
        tags_all: { Environment: 'tutorial', Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' },
      });
      expect(plannedResource(plan, 'aws_kms_alias.key').values.name).toBe('alias/secrets-manager-encryption-key');
      expect(plannedResource(plan, 'aws_iam_role.lambda_role').values).toMatchObject({
        name: 'lambda-secrets-role',
        path: '/service-role/',
      });
    });

    test('the key policy is known at plan time and is exactly the intended statements', () => {
      expect(isKnownAtPlan(plan, 'aws_kms_key.key', 'policy')).toBe(true);
      const policy = knownString(plan, 'aws_kms_key.key', 'policy');
      expect(normalizePolicy(policy)).toEqual(normalizePolicy(INTENDED_KEY_POLICY));
    });

    test('the role’s trust policy is known at plan time and is exactly the intended statement', () => {
      const trust = knownString(plan, 'aws_iam_role.lambda_role', 'assume_role_policy');
      expect(normalizePolicy(trust)).toEqual(normalizePolicy(INTENDED_TRUST_POLICY));
    });

    test('the role’s permission policy waits for the key ARN, so it is checked in the synthesized JSON', () => {
      expect(isKnownAtPlan(plan, 'aws_iam_role_policy.lambda_role', 'policy')).toBe(false);
      const rendered = renderPolicyDocumentBlock(policyDocumentBlock(synthesized, 'lambda_role_permissions'), {
        'data.aws_caller_identity.current.account_id': ACCOUNT,
        'aws_kms_key.key.arn': KEY_ARN,
      });
      expect(normalizePolicy(rendered)).toEqual(normalizePolicy(INTENDED_PERMISSIONS_POLICY));
    });

    test('nothing but GetCallerIdentity was asked of the loopback STS stand-in', () => {
      expect(harness.sts.requests.length).toBeGreaterThan(0);
      expect(harness.sts.requests.every((r) => r.action === 'GetCallerIdentity')).toBe(true);
    });
  });

  describe('destroy protection', () => {
    test('cdk.tf.json sets prevent_destroy on the key (plan JSON never shows lifecycle settings)', () => {
      const key = synthesized.resource?.aws_kms_key?.key as { lifecycle?: { prevent_destroy?: boolean } };
      expect(key.lifecycle?.prevent_destroy).toBe(true);
    });

    test('plan -destroy -refresh=false against a state that holds the key fails with “cannot be destroyed”', () => {
      expect(destroy.code).not.toBe(0);
      expect(destroy.stderr).toMatch(/Instance cannot be destroyed/);
      expect(destroy.stderr).toMatch(/aws_kms_key\.key has lifecycle\.prevent_destroy set/);
    });
  });
});

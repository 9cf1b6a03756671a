import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { OUTPUT_NAMES } from '../../app/environment-stack';
import { outputLayout } from '../../app/project';
import { runSynth } from '../../app/synth';
import { type AppConfig, loadConfig, parseConfig } from '../../config';
import type { SynthStack } from '../constructs/helpers';

/** Builds the app as `npm run synth` would in a scratch project, its output in the default `cdktf.out`. */
function build(config: AppConfig) {
  const root = mkdtempSync(join(tmpdir(), 'unused-'));
  return buildApp(config, { layout: outputLayout(root, join(root, 'cdktf.out')) });
}

function synthEnvironment(config = loadConfig({}), index = 0): SynthStack {
  const { stacks } = build(config);
  return JSON.parse(Testing.synth(stacks[index])) as SynthStack;
}

describe('the default stack: the walk-through as code', () => {
  const json = synthEnvironment();
  const text = JSON.stringify(json);

  test('key with rotation on, a 30-day window and prevent_destroy; its alias', () => {
    expect(text).toHaveResourceWithProperties(KmsKey, {
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
      lifecycle: { prevent_destroy: true },
      policy: '${data.aws_iam_policy_document.key_policy.json}',
      depends_on: ['aws_iam_role.lambda_role'],
    });
    expect(text).toHaveResourceWithProperties(KmsAlias, { name: 'alias/secrets-manager-encryption-key' });
  });

  test('the key policy document: account root and the Lambda role via Secrets Manager, account from aws_caller_identity', () => {
    expect(text).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({ sid: 'EnableIamUserPermissions' }),
        expect.objectContaining({
          sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          principals: [
            {
              type: 'AWS',
              identifiers: ['arn:aws:iam::${data.aws_caller_identity.current.account_id}:role/service-role/lambda-secrets-role'],
            },
          ],
        }),
      ],
    });
    expect(json.data.aws_caller_identity).toHaveProperty('current');
  });

  test('the role with its separate policy on the secrets under tutorial/', () => {
    expect(text).toHaveResourceWithProperties(IamRole, { name: 'lambda-secrets-role', path: '/service-role/' });
    expect(text).toHaveResourceWithProperties(IamRolePolicy, { role: '${aws_iam_role.lambda_role.name}' });
    expect(json.data.aws_iam_policy_document.lambda_role_permissions.statement[0].resources).toEqual([
      'arn:aws:secretsmanager:us-east-1:${data.aws_caller_identity.current.account_id}:secret:tutorial/*',
    ]);
  });

  test('the walk-through’s outputs and alias_names, with fixed names (the others only with secrets, grants or replicas)', () => {
    expect(Object.keys(json.output).sort()).toEqual([
      'alias_arn',
      'alias_name',
      'alias_names',
      'key_arn',
      'key_id',
      'lambda_role_arn',
      'lambda_role_name',
    ]);
    expect(OUTPUT_NAMES).toEqual(expect.arrayContaining(Object.keys(json.output)));
    expect(json.output.key_arn.value).toBe('${aws_kms_key.key.arn}');
    expect(json.output.lambda_role_arn.value).toBe('${aws_iam_role.lambda_role.arn}');
  });

  test('tags go to the provider default_tags; no allowed_account_ids without an accountId', () => {
    expect(json.provider.aws[0]).toEqual({
      region: 'us-east-1',
      default_tags: [{ tags: { Environment: 'tutorial', Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' } }],
    });
  });

  test('local state outside cdktf.out, relative to the stack folder, never absolute', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.tutorial.tfstate' } });
  });

  test('the provider version is pinned to the one the bindings were generated for', () => {
    expect(json.terraform.required_providers.aws).toEqual({ source: 'aws', version: '5.100.0' });
  });
});

describe('environments', () => {
  const base = { region: 'eu-west-1', accountId: '111122223333', key: { alias: 'app' } };

  test('an accountId pins the provider to that account and is written into the policies', () => {
    const json = synthEnvironment(parseConfig({ environments: { prod: base } }));
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['111122223333']);
    expect(json.data).not.toHaveProperty('aws_caller_identity');
    expect(json.data.aws_iam_policy_document.key_policy.statement[0].principals?.[0].identifiers).toEqual([
      'arn:aws:iam::111122223333:root',
    ]);
  });

  test('an environment without a Lambda role has no role and no role outputs', () => {
    const json = synthEnvironment(parseConfig({ environments: { prod: base } }));
    expect(json.resource).not.toHaveProperty('aws_iam_role');
    expect(Object.keys(json.output).sort()).toEqual(['alias_arn', 'alias_name', 'alias_names', 'key_arn', 'key_id']);
  });

  test('S3 backend with native locking', () => {
    const json = synthEnvironment(parseConfig({ environments: { prod: { ...base, backend: { type: 's3', bucket: 'acme-state' } } } }));
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'acme-state', key: 'prod/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true },
    });
  });

  test('Terraform Cloud backend for remote runs', () => {
    const json = synthEnvironment(
      parseConfig({ environments: { prod: { ...base, backend: { type: 'cloud', organization: 'acme', workspace: 'kms-prod' } } } }),
    );
    expect(json.terraform.cloud).toEqual({ hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'kms-prod' } });
  });

  test('one stack per environment, each named after it', () => {
    const config = parseConfig({ environments: { dev: { ...base, key: { alias: 'dev' } }, prod: base } });
    expect(build(config).stacks.map((s) => s.node.id)).toEqual(['dev', 'prod']);
  });
});

describe('npm run synth', () => {
  let dir: string;
  const lines: string[] = [];
  const errors: string[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kms-synth-'));
    writeFileSync(join(dir, 'cdktf.json'), '{}');
    lines.length = 0;
    errors.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (env: Record<string, string> = {}) =>
    runSynth([], { cwd: dir, env, log: (line) => lines.push(line), error: (line) => errors.push(line) });

  test('writes one stack per environment and prints a summary', async () => {
    expect(await run()).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'tutorial', 'cdk.tf.json'))).toBe(true);
    expect(lines[0]).toBe('tutorial: us-east-1, account of the deploying credentials -> cdktf.out/stacks/tutorial');
    expect(lines).toContain(
      '    GrantLambdaSecretsRoleViaSecretsmanager: lambda-secrets-role -> kms:Decrypt, kms:GenerateDataKey (only via secretsmanager.us-east-1.amazonaws.com, only for secrets tutorial/*)',
    );
    expect(lines).toContain(
      '  cost     about $1.00/month now, $3.00/month from day 730 (rotation cap, about 24 months): 1 key, 0 requests/month (no accountId: no free tier)',
    );
    expect(errors).toEqual([]);
  });

  test('removes stacks of environments no longer in the config that hold only its own files; keeps state files', async () => {
    mkdirSync(join(dir, 'cdktf.out', 'stacks', 'old'), { recursive: true });
    writeFileSync(join(dir, 'cdktf.out', 'stacks', 'old', 'cdk.tf.json'), '{}');
    writeFileSync(join(dir, 'terraform.old.tfstate'), '{}');
    expect(await run()).toBe(0);
    expect(existsSync(join(dir, 'cdktf.out', 'stacks', 'old'))).toBe(false);
    expect(existsSync(join(dir, 'terraform.old.tfstate'))).toBe(true);
    expect(lines).toContain('removed stacks no longer in the config: old');
  });

  test('bad config: exit 2, every problem on stderr, an earlier cdktf.out left as it was', async () => {
    const stack = join(dir, 'cdktf.out', 'stacks', 'tutorial');
    mkdirSync(stack, { recursive: true });
    writeFileSync(join(stack, 'cdk.tf.json'), 'earlier');
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({ environments: { prod: { region: 'eu-west-1', key: { alias: 'x', deletionWindowInDays: 3 }, extra: 1 } } }),
    );
    expect(await run({ KMS_CONFIG: 'bad.json' })).toBe(2);
    expect(errors[0]).toBe(
      `${join(dir, 'bad.json')}: 2 problems:\n` +
        '  - environments.prod.key.deletionWindowInDays: 3 is out of range; KMS allows 7-30 days\n' +
        '  - environments.prod: unknown field "extra"; allowed: region, accountId, key, lambdaRole, secrets, audit, expectedRequestsPerMonth, tags, backend',
    );
    expect(readFileSync(join(stack, 'cdk.tf.json'), 'utf8')).toBe('earlier');
    expect(lines).toEqual([]);
  });
});

/**
 * The package as another cdktf app gets it: `npm pack` (which builds dist/ through `prepack`), the
 * tarball installed into a temporary copy of examples/consumer-app with `npm install --prefer-offline`,
 * type-checked with `strict` against the shipped declarations and synthesized. No Terraform: the
 * synthesized JSON is read with cdktf's Testing matchers.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsGrant } from '@cdktf/provider-aws/lib/kms-grant';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import type { SynthStack } from '../constructs/helpers';
import { PROJECT_ROOT, runOk } from './helpers';

// npm pack builds with tsc (about 10 s); npm install of cdktf and the provider bindings from the
// npm cache about 20 s on two cores; the app's own tsc and synth about 10 s.
jest.setTimeout(300_000);

const EXAMPLE = join(PROJECT_ROOT, 'examples', 'consumer-app');
const packageJson = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | Record<string, string>>;
  peerDependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let root: string;
let tarballFiles: string[];
let app: string;
let synthesized: string;
let stack: SynthStack;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kms-package-'));
  const packed = JSON.parse(runOk('npm', ['pack', '--json', '--pack-destination', root], PROJECT_ROOT).stdout) as {
    filename: string;
    files: { path: string }[];
  }[];
  const tarball = join(root, packed[0].filename);
  tarballFiles = packed[0].files.map((f) => f.path).sort();

  // The example as a user would have it, depending on the tarball just packed.
  app = join(root, 'consumer-app');
  cpSync(EXAMPLE, app, { recursive: true, filter: (source) => !/[/\\](node_modules|build|cdktf\.out)$/.test(source) });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  manifest.dependencies[packageJson.name] = `file:${tarball}`;
  writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  runOk('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], app);
  runOk('npm', ['run', 'synth'], app);
  synthesized = readFileSync(join(app, 'cdktf.out', 'stacks', 'payments', 'cdk.tf.json'), 'utf8');
  stack = JSON.parse(synthesized) as SynthStack;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('holds only built JavaScript, declarations, the README, the LICENSE and package.json', () => {
    const unexpected = tarballFiles.filter(
      (f) => !['package.json', 'README.md', 'LICENSE'].includes(f) && !/^dist\/.+\.(js|d\.ts)$/.test(f),
    );
    expect(unexpected).toEqual([]);
    expect(tarballFiles).toEqual(
      expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'dist/constructs/index.js', 'dist/constructs/index.d.ts']),
    );
  });

  test('has no tests, tools, CI files, docs, examples or TypeScript sources', () => {
    expect(tarballFiles.filter((f) => /(^|\/)(__tests__|tools|\.ci|docs|examples|app)\//.test(f) || /(?<!\.d)\.ts$/.test(f))).toEqual([]);
  });

  test('holds every file package.json exports', () => {
    const targets = Object.values(packageJson.exports).flatMap((target) => (typeof target === 'string' ? [target] : Object.values(target)));
    for (const target of targets) expect(tarballFiles).toContain(target.replace(/^\.\//, ''));
  });
});

describe('installed into a cdktf app of its own', () => {
  test('the app type-checks with strict against the shipped declarations (its synth runs tsc first)', () => {
    expect(JSON.parse(readFileSync(join(app, 'tsconfig.json'), 'utf8')).compilerOptions.strict).toBe(true);
    const installed = join(app, 'node_modules', packageJson.name);
    expect(existsSync(join(installed, 'dist', 'constructs', 'index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'constructs'))).toBe(false);
  });

  test('installs no AWS SDK client, IAM simulator or other development dependency of this project', () => {
    const modules = join(app, 'node_modules');
    expect(existsSync(join(modules, '@aws-sdk'))).toBe(false);
    expect(existsSync(join(modules, '@cloud-copilot'))).toBe(false);
    const devOnly = Object.keys(packageJson.devDependencies).filter((name) => !['typescript', '@types/node'].includes(name));
    expect(devOnly.filter((name) => existsSync(join(modules, name)))).toEqual([]);
  });

  test('cdktf, constructs and the provider bindings are the app’s own, one copy each (peer dependencies)', () => {
    const nested = join(app, 'node_modules', packageJson.name, 'node_modules');
    const copies = existsSync(nested) ? readdirSync(nested) : [];
    expect(copies.filter((name) => ['cdktf', 'constructs', '@cdktf'].includes(name))).toEqual([]);
    for (const peer of Object.keys(packageJson.peerDependencies)) expect(existsSync(join(app, 'node_modules', peer))).toBe(true);
  });

  test('synthesizes the key with a token alias and a token administrator', () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, {
      name: '${var.key_alias}',
      target_key_id: '${aws_kms_key.payments_key.key_id}',
    });
    const statements = stack.data.aws_iam_policy_document.payments_key_policy.statement;
    expect(statements.find((s) => s.sid === 'KeyAdministrators')?.principals).toEqual([
      { type: 'AWS', identifiers: ['${data.aws_iam_role.key_admins.arn}'] },
    ]);
  });

  test('synthesizes the secret, the Lambda role bound to it and the batch job’s grant, by encryption context', () => {
    const secretArn = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:payments/db-??????';
    const boundToSecret = { test: 'StringLike', variable: 'kms:EncryptionContext:SecretARN', values: [secretArn] };
    expect(synthesized).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: 'payments/db',
      kms_key_id: '${aws_kms_key.payments_key.arn}',
    });
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: 'payments-reader' });
    expect(synthesized).toHaveResourceWithProperties(IamRolePolicy, {
      role: '${aws_iam_role.payments_reader.name}',
      policy: '${data.aws_iam_policy_document.payments_reader_permissions.json}',
    });
    const reader = stack.data.aws_iam_policy_document.payments_reader_permissions.statement;
    expect(reader.find((s) => s.actions.includes('kms:Decrypt'))?.condition).toEqual(expect.arrayContaining([boundToSecret]));
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: expect.arrayContaining([
        expect.objectContaining({
          sid: 'GrantBatchJobViaSecretsmanager',
          actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
          condition: expect.arrayContaining([boundToSecret]),
        }),
      ]),
    });
  });

  test('synthesizes the KMS grant and the extra key-policy statement', () => {
    expect(synthesized).toHaveResourceWithProperties(KmsGrant, {
      name: 'nightly-report',
      grantee_principal: 'arn:aws:iam::111122223333:role/reporting',
      operations: ['DescribeKey'],
      key_id: '${aws_kms_key.payments_key.key_id}',
    });
    const statements = stack.data.aws_iam_policy_document.payments_key_policy.statement;
    expect(statements.find((s) => s.sid === 'AuditorsDescribe')).toEqual({
      sid: 'AuditorsDescribe',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/Auditors'] }],
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy'],
      resources: ['*'],
    });
  });

  test('a role given a key made elsewhere gets only its own policy, and the output names the key-policy statement it needs', () => {
    const sharedKey = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const permissions = stack.data.aws_iam_policy_document.reports_reader_permissions.statement;
    expect(permissions.find((s) => s.resources?.includes(sharedKey))?.actions).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.parse(stack.output.shared_key_policy_statements.value as string)).toEqual([
      {
        Sid: 'GrantReportsReaderViaSecretsmanager',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:role/service-role/reports-reader'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['*'],
        Condition: {
          StringEquals: { 'kms:CallerAccount': ['111122223333'], 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'] },
          StringLike: { 'kms:EncryptionContext:SecretARN': ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:reports/api-??????'] },
        },
      },
    ]);
    expect(Object.keys(stack.resource.aws_kms_key)).toEqual(['payments_key']);
  });
});

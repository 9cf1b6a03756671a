/**
 * Secrets encrypted with the key, and readers bound to their own secrets by encryption context:
 * the resources, the conditions in both policies, and no secret value anywhere in the output.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import { outputLayout } from '../../app/project';
import { parseConfig } from '../../config';
import { CustomerManagedKey, LambdaSecretsRole, SecretsManagerSecret } from '../../constructs';
import { AWS, newStack, synthObject } from './helpers';

const SECRET_ARN_CONDITION = 'kms:EncryptionContext:SecretARN';

describe('SecretsManagerSecret', () => {
  test('an aws_secretsmanager_secret with the key’s ARN and the recovery window, at an address from its name', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    const secret = new SecretsManagerSecret(stack, 'db', { name: 'prod/db-credentials', description: 'Database', key, aws: AWS });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SecretsmanagerSecret, {
      name: 'prod/db-credentials',
      description: 'Database',
      kms_key_id: '${aws_kms_key.key.arn}',
      recovery_window_in_days: 30,
    });
    expect(Object.keys(synthObject(stack).resource.aws_secretsmanager_secret)).toEqual(['secret_prod_db_credentials']);
    expect(secret.arnPattern).toBe('arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-credentials-??????');
  });

  test('no secret value: no aws_secretsmanager_secret_version and no value attribute', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    new SecretsManagerSecret(stack, 'db', { name: 'prod/db', key, aws: AWS });
    const json = synthObject(stack);
    expect(json.resource).not.toHaveProperty('aws_secretsmanager_secret_version');
    expect(Object.keys(json.resource.aws_secretsmanager_secret.secret_prod_db).sort()).toEqual([
      'kms_key_id',
      'name',
      'recovery_window_in_days',
    ]);
  });

  test('refused on a key Secrets Manager cannot use, and with bad settings', () => {
    const stack = newStack();
    const mac = new CustomerManagedKey(stack, 'mac', { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', aws: AWS });
    expect(() => new SecretsManagerSecret(stack, 's', { name: 'db', key: mac, aws: AWS })).toThrow(
      'SecretsManagerSecret test/s: key test/mac is HMAC_256/GENERATE_VERIFY_MAC; Secrets Manager encrypts only with SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys',
    );
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    expect(() => new SecretsManagerSecret(stack, 't', { name: 'db', recoveryWindowInDays: 5, key, aws: AWS })).toThrow(
      'recoveryWindowInDays: 5 is out of range; Secrets Manager allows 0 (no recovery) or 7-30 days',
    );
  });
});

describe('grantSecretsManagerUse binds a grantee to its secrets', () => {
  test('the key-policy statement carries StringLike kms:EncryptionContext:SecretARN with the patterns, beside ViaService and CallerAccount', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    const pattern = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:batch/*';
    key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/batch', { secretArnPatterns: [pattern] });
    const [grant] = key.grants;
    expect(grant.conditions.map((c) => [c.test, c.variable, c.values])).toEqual([
      ['StringEquals', 'kms:CallerAccount', ['111122223333']],
      ['StringEquals', 'kms:ViaService', ['secretsmanager.eu-west-1.amazonaws.com']],
      ['StringLike', SECRET_ARN_CONDITION, [pattern]],
    ]);
  });

  test('two grantees with different secrets stay two statements; one grantee with two sets of secrets too', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    const a = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:a-??????';
    const b = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:b-??????';
    key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/r', { secretArnPatterns: [a] });
    key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/r', { secretArnPatterns: [b] });
    expect(key.grants.map((g) => g.conditions.find((c) => c.variable === SECRET_ARN_CONDITION)?.values)).toEqual([[a], [b]]);
  });

  test.each([
    [{ secretArnPatterns: [] }, 'secretArnPatterns is empty'],
    [{ secretArnPatterns: ['arn:aws:s3:::bucket/*'] }, 'secretArnPatterns has "arn:aws:s3:::bucket/*"'],
  ])('bad patterns are refused: %j', (options, message) => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    expect(() => key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/r', options)).toThrow(message);
  });

  test('patterns only with Secrets Manager', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    expect(() =>
      key.grantDecrypt('arn:aws:iam::111122223333:role/r', {
        secretArnPatterns: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:x-??????'],
      }),
    ).toThrow('secretArnPatterns restrict grants via Secrets Manager; use grantSecretsManagerUse or viaService "secretsmanager"');
  });

  test('a Lambda role for two declared secrets: both policies carry exactly the two secrets’ patterns', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    new LambdaSecretsRole(stack, 'reader', { name: 'reader', secretNames: ['app/db', 'app/api'], key, aws: AWS });
    const json = synthObject(stack);
    const patterns = [
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/api-??????',
    ];
    const secretArnValues = (block: string) =>
      json.data.aws_iam_policy_document[block].statement
        .filter((s) => s.actions.includes('kms:Decrypt'))
        .map((s) => s.condition?.find((c) => c.variable === SECRET_ARN_CONDITION)?.values);
    expect(secretArnValues('key_policy')).toEqual([patterns]);
    expect(secretArnValues('reader_permissions')).toEqual([patterns]);
  });
});

describe('an environment with secrets', () => {
  const config = parseConfig({
    environments: {
      app: {
        region: 'eu-west-1',
        key: { alias: 'app' },
        lambdaRole: { name: 'reader' },
        secrets: [{ name: 'app/db' }, { name: 'app/api', recoveryWindowInDays: 7 }],
      },
    },
  });
  const root = mkdtempSync(join(tmpdir(), 'kms-secrets-'));
  const [stack] = buildApp(config, { layout: outputLayout(root, join(root, 'cdktf.out')) }).stacks;
  const json = JSON.parse(Testing.synth(stack));

  test('one aws_secretsmanager_secret per secret, each with the key', () => {
    expect(Object.keys(json.resource.aws_secretsmanager_secret).sort()).toEqual(['secret_app_api', 'secret_app_db']);
    expect(json.resource.aws_secretsmanager_secret.secret_app_api).toMatchObject({
      name: 'app/api',
      kms_key_id: '${aws_kms_key.key.arn}',
      recovery_window_in_days: 7,
    });
  });

  test('the role reads exactly those secrets, by pattern, with the account known at plan', () => {
    expect(json.data.aws_iam_policy_document.lambda_role_permissions.statement[0].resources).toEqual([
      'arn:aws:secretsmanager:eu-west-1:${data.aws_caller_identity.current.account_id}:secret:app/db-??????',
      'arn:aws:secretsmanager:eu-west-1:${data.aws_caller_identity.current.account_id}:secret:app/api-??????',
    ]);
  });

  test('output secret_arns: a map from secret name to ARN', () => {
    expect(json.output.secret_arns.value).toBe(
      '${tomap({"app/db" = aws_secretsmanager_secret.secret_app_db.arn, "app/api" = aws_secretsmanager_secret.secret_app_api.arn})}',
    );
  });
});

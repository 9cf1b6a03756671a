/**
 * A key made elsewhere, given to a reader this app creates: only the reader's identity statement is
 * written, with the same conditions as for a key this app creates, and the key's own policy
 * statement it needs is available for the docs.
 */
import { renderPolicy } from '../../policy/render';
import { CustomerManagedKey, LambdaSecretsRole } from '../../constructs';
import { AWS, newStack, synthObject } from './helpers';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('CustomerManagedKey.fromKeyArn', () => {
  test('a Lambda role on an existing key: its own KMS statement on that ARN, with ViaService, CallerAccount and SecretARN; no key resource', () => {
    const stack = newStack();
    const key = CustomerManagedKey.fromKeyArn(stack, 'console_key', KEY_ARN, AWS);
    new LambdaSecretsRole(stack, 'reader', { name: 'reader', secretNames: ['app/db'], key, aws: AWS });
    const json = synthObject(stack);
    expect(json.resource).not.toHaveProperty('aws_kms_key');
    const kms = json.data.aws_iam_policy_document.reader_permissions.statement.find((s) => s.sid === 'GrantReaderViaSecretsmanager');
    expect(kms).toEqual({
      sid: 'GrantReaderViaSecretsmanager',
      effect: 'Allow',
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [KEY_ARN],
      condition: [
        { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
        { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-west-1.amazonaws.com'] },
        {
          test: 'StringLike',
          variable: 'kms:EncryptionContext:SecretARN',
          values: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????'],
        },
      ],
    });
    expect(json.resource.aws_iam_role.reader.description).toBe(`Lambda execution role that reads secrets encrypted with ${KEY_ARN}`);
  });

  test('the statement the key’s own policy must contain names the reader with the same conditions', () => {
    const stack = newStack();
    const key = CustomerManagedKey.fromKeyArn(stack, 'console_key', KEY_ARN, AWS);
    new LambdaSecretsRole(stack, 'reader', { name: 'reader', secretNames: ['app/db'], key, aws: AWS });
    expect(renderPolicy(key.requiredKeyPolicyStatements()).Statement).toEqual([
      {
        Sid: 'GrantReaderViaSecretsmanager',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:role/service-role/reader'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: ['*'],
        Condition: {
          StringEquals: { 'kms:CallerAccount': ['111122223333'], 'kms:ViaService': ['secretsmanager.eu-west-1.amazonaws.com'] },
          StringLike: { 'kms:EncryptionContext:SecretARN': ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:app/db-??????'] },
        },
      },
    ]);
  });

  test.each([
    ['alias/secrets', '"alias/secrets" is not a KMS key ARN; expected arn:<partition>:kms:<region>:<account>:key/<id>'],
    [
      'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      'is in aws/us-east-1, but its readers are in aws/eu-west-1',
    ],
  ])('%s is refused', (arn, message) => {
    expect(() => CustomerManagedKey.fromKeyArn(newStack(), 'k', arn, AWS)).toThrow(message);
  });
});

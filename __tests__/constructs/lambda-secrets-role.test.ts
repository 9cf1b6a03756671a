import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Testing } from 'cdktf';
import 'cdktf/lib/testing/adapters/jest';
import { CustomerManagedKey, LambdaSecretsRole } from '../../constructs';
import { AWS, newStack, synthObject } from './helpers';

function roleStack(roleProps: Partial<ConstructorParameters<typeof LambdaSecretsRole>[2]> = {}) {
  const stack = newStack();
  const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
  const role = new LambdaSecretsRole(stack, 'lambda_role', { name: 'reader', secretNamePrefix: 'prod/', aws: AWS, key, ...roleProps });
  return { stack, key, role };
}

/** The conditions of the role's KMS statements: via Secrets Manager, this account, only its own secrets. */
const viaSecretsManager = (patterns: string[] = ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*']) => [
  { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
  { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-west-1.amazonaws.com'] },
  { test: 'StringLike', variable: 'kms:EncryptionContext:SecretARN', values: patterns },
];
const VIA_SECRETS_MANAGER = viaSecretsManager();

describe('the role Lambda assumes, only for this account', () => {
  test('role under /service-role/ by default, trust policy from a policy document', () => {
    const { stack } = roleStack();
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(IamRole, {
      name: 'reader',
      path: '/service-role/',
      assume_role_policy: '${data.aws_iam_policy_document.lambda_role_trust.json}',
    });
    expect(synthObject(stack).data.aws_iam_policy_document.lambda_role_trust.statement).toEqual([
      {
        sid: 'LambdaAssumeRoleFromThisAccount',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111122223333'] }],
      },
    ]);
  });

  test('AWSLambdaBasicExecutionRole always; the VPC access policy only when asked', () => {
    const plain = Testing.synth(roleStack().stack);
    expect(plain).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      role: '${aws_iam_role.lambda_role.name}',
    });
    expect(plain).not.toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
    });
    expect(Testing.synth(roleStack({ vpcAccess: true }).stack)).toHaveResourceWithProperties(IamRolePolicyAttachment, {
      policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole',
    });
  });
});

describe('least privilege: the role policy holds exactly the intended statements', () => {
  test('a separate aws_iam_role_policy, not the deprecated inline_policy', () => {
    const { stack } = roleStack();
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(IamRolePolicy, {
      role: '${aws_iam_role.lambda_role.name}',
      policy: '${data.aws_iam_policy_document.lambda_role_permissions.json}',
    });
    expect(synthObject(stack).resource.aws_iam_role.lambda_role).not.toHaveProperty('inline_policy');
  });

  test('GetSecretValue on the name prefix; Decrypt and GenerateDataKey on this key only via Secrets Manager, only for those secrets', () => {
    const { stack } = roleStack();
    expect(synthObject(stack).data.aws_iam_policy_document.lambda_role_permissions.statement).toEqual([
      {
        sid: 'ReadSecrets',
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue'],
        resources: ['arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/*'],
      },
      {
        sid: 'GrantReaderViaSecretsmanager',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['${aws_kms_key.key.arn}'],
        condition: VIA_SECRETS_MANAGER,
      },
    ]);
  });

  test.each([
    [
      'secret ARNs',
      {
        secretArns: [
          'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf',
          'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/api-??????',
        ],
      },
      [
        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf',
        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/api-??????',
      ],
    ],
    [
      'secret names',
      { secretNames: ['prod/db', 'prod/api'] },
      [
        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-??????',
        'arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/api-??????',
      ],
    ],
  ] as const)(
    '%s replace the prefix, in GetSecretValue and in the SecretARN condition of both policies alike',
    (_label, props, patterns) => {
      const { stack, role } = roleStack({ ...props, secretNamePrefix: undefined });
      const json = synthObject(stack);
      expect(role.secretArnPatterns).toEqual(patterns);
      expect(json.data.aws_iam_policy_document.lambda_role_permissions.statement[0].resources).toEqual(patterns);
      expect(json.data.aws_iam_policy_document.lambda_role_permissions.statement[1].condition).toEqual(viaSecretsManager([...patterns]));
      expect(json.data.aws_iam_policy_document.key_policy.statement[1].condition).toEqual(viaSecretsManager([...patterns]));
    },
  );

  test('two sources of secrets at once are refused: what the role reads is never decided silently', () => {
    expect(() => roleStack({ secretNames: ['prod/db'] })).toThrow(
      'LambdaSecretsRole test/lambda_role: 1 problem:\n  - gives secretNames and secretNamePrefix; give only one of secretArns, secretNames and secretNamePrefix, so that what the role reads is never decided silently',
    );
  });

  test('the key policy names the role by its plan-time ARN, with the same conditions, and the key is created after the role', () => {
    const { stack, role } = roleStack();
    const json = synthObject(stack);
    expect(role.principalArn).toBe('arn:aws:iam::111122223333:role/service-role/reader');
    expect(json.data.aws_iam_policy_document.key_policy.statement[1]).toEqual({
      sid: 'GrantReaderViaSecretsmanager',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/service-role/reader'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      condition: VIA_SECRETS_MANAGER,
    });
    expect(json.resource.aws_kms_key.key.depends_on).toEqual(['aws_iam_role.lambda_role']);
    expect(json.data.aws_iam_policy_document.key_policy).not.toHaveProperty('depends_on');
  });

  test('no kms:* and no Resource "*" in any KMS statement of the role', () => {
    const { role } = roleStack();
    for (const s of role.identityStatements().filter((st) => st.actions.some((a) => a.startsWith('kms:')))) {
      expect(s.actions).not.toContain('kms:*');
      expect(s.resources).not.toContain('*');
    }
  });
});

describe('bad props fail in the constructor', () => {
  test('role name and path are validated', () => {
    expect(() => roleStack({ name: 'bad name', path: 'x' })).toThrow(
      'LambdaSecretsRole test/lambda_role: 2 problems:\n' +
        '  - name: "bad name" is not a valid IAM role name; allowed: 1-64 letters, digits and +=,.@_-\n' +
        '  - path: "x" is not a valid IAM path; expected "/" or "/segment/.../" (printable ASCII, starting and ending with "/")',
    );
  });

  test('a role must be limited to named secrets or a prefix', () => {
    expect(() => roleStack({ secretNamePrefix: undefined })).toThrow(
      'LambdaSecretsRole test/lambda_role: give secretArns, secretNames or secretNamePrefix; the role must not read every secret in the account',
    );
  });

  test('Secrets Manager needs a symmetric encryption key', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'sign', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', aws: AWS });
    expect(() => new LambdaSecretsRole(stack, 'r', { name: 'r', secretNamePrefix: 'p/', aws: AWS, key })).toThrow(
      'LambdaSecretsRole test/r: key test/key is RSA_2048/SIGN_VERIFY; Secrets Manager only uses SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys',
    );
  });
});

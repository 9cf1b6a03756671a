import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from 'cdktf';
import { Construct } from 'constructs';
import 'cdktf/lib/testing/adapters/jest';
import { CustomerManagedKey } from '../../constructs';
import { AWS, newStack, synthObject } from './helpers';

const ADMIN = 'arn:aws:iam::111122223333:role/KeyAdmin';
const USER = 'arn:aws:iam::111122223333:user/alice';

describe('the key: secure defaults', () => {
  test('rotation on every 365 days, 30-day deletion window, prevent_destroy, lockout check kept', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    const synth = Testing.synth(stack);
    expect(synth).toHaveResourceWithProperties(KmsKey, {
      customer_master_key_spec: 'SYMMETRIC_DEFAULT',
      key_usage: 'ENCRYPT_DECRYPT',
      multi_region: false,
      enable_key_rotation: true,
      rotation_period_in_days: 365,
      deletion_window_in_days: 30,
      is_enabled: true,
      bypass_policy_lockout_safety_check: false,
      description: 'Customer managed key alias/app',
      policy: '${data.aws_iam_policy_document.key_policy.json}',
      lifecycle: { prevent_destroy: true },
    });
    expect(synth).toHaveResourceWithProperties(KmsAlias, { name: 'alias/app', target_key_id: '${aws_kms_key.key.key_id}' });
  });

  test('every setting reaches the resource', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'key', {
      alias: 'alias/app',
      description: 'Payments secrets',
      multiRegion: true,
      rotationPeriodInDays: 90,
      deletionWindowInDays: 7,
      isEnabled: false,
      preventDestroy: false,
      tags: { Team: 'payments' },
      aws: AWS,
    });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(KmsKey, {
      description: 'Payments secrets',
      multi_region: true,
      rotation_period_in_days: 90,
      deletion_window_in_days: 7,
      is_enabled: false,
      tags: { Team: 'payments' },
      lifecycle: { prevent_destroy: false },
    });
  });

  test('a key that cannot rotate has rotation off and no period', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'mac', { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', aws: AWS });
    const key = synthObject(stack).resource.aws_kms_key.mac;
    expect(key.enable_key_rotation).toBe(false);
    expect(key).not.toHaveProperty('rotation_period_in_days');
  });
});

describe('addresses are fixed from the construct id, wherever the construct sits', () => {
  test('nested in other constructs, the key keeps aws_kms_key.<id>', () => {
    const stack = newStack();
    const nested = new Construct(new Construct(stack, 'platform'), 'security');
    new CustomerManagedKey(nested, 'secrets-key', { alias: 'app', aws: AWS });
    const json = synthObject(stack);
    expect(Object.keys(json.resource.aws_kms_key)).toEqual(['secrets_key']);
    expect(Object.keys(json.resource.aws_kms_alias)).toEqual(['secrets_key']);
    expect(Object.keys(json.data.aws_iam_policy_document)).toEqual(['secrets_key_policy']);
  });
});

describe('the key policy is built with aws_iam_policy_document and fully known at plan time', () => {
  test('account root, administrators with an explicit list, users with exactly their four actions', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'key', { alias: 'app', administrators: [ADMIN], users: [USER], aws: AWS });
    const statements = synthObject(stack).data.aws_iam_policy_document.key_policy.statement;
    expect(statements.map((s) => s.sid)).toEqual(['EnableIamUserPermissions', 'KeyAdministrators', 'KeyUsers']);
    expect(statements[0]).toEqual({
      sid: 'EnableIamUserPermissions',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:root'] }],
      actions: ['kms:*'],
      resources: ['*'],
    });
    expect(statements[1].principals).toEqual([{ type: 'AWS', identifiers: [ADMIN] }]);
    expect(statements[1].actions).not.toContain('kms:CreateGrant');
    expect(statements[1].actions).toContain('kms:RotateKeyOnDemand');
    expect(statements[1].actions.some((a: string) => a.includes('*'))).toBe(false);
    expect(statements[2]).toEqual({
      sid: 'KeyUsers',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: [USER] }],
      actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
    });
  });

  test('the synthesized statements are the model statements, one to one', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', administrators: [ADMIN], aws: AWS });
    key.grantDecrypt('arn:aws:iam::111122223333:role/reader', { viaService: 'secretsmanager' });
    const synthesized = synthObject(stack).data.aws_iam_policy_document.key_policy.statement;
    expect(synthesized.map((s) => [s.sid, s.actions])).toEqual(key.policyStatements().map((s) => [s.sid, s.actions]));
  });

  test('no service principal statement, no kms:* except for the account root', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', administrators: [ADMIN], users: [USER], aws: AWS });
    key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/reader');
    for (const s of synthObject(stack).data.aws_iam_policy_document.key_policy.statement) {
      expect(s.principals?.map((p) => p.type)).toEqual(['AWS']);
      if (s.sid !== 'EnableIamUserPermissions') expect(s.actions).not.toContain('kms:*');
    }
  });

  test('the account may be a plan-time reference such as aws_caller_identity', () => {
    const stack = newStack();
    new CustomerManagedKey(stack, 'key', { alias: 'app', aws: { ...AWS, accountId: '${data.aws_caller_identity.current.account_id}' } });
    expect(Testing.synth(stack)).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [
        expect.objectContaining({
          principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::${data.aws_caller_identity.current.account_id}:root'] }],
        }),
      ],
    });
  });
});

describe('grants add a key-policy statement for the grantee', () => {
  test('viaService restricts to that service in the key region and account', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    const grant = key.grantSecretsManagerUse('arn:aws:iam::111122223333:role/reader');
    expect(grant.sid).toBe('GrantReaderViaSecretsmanager');
    const statement = synthObject(stack).data.aws_iam_policy_document.key_policy.statement[1];
    expect(statement).toEqual({
      sid: 'GrantReaderViaSecretsmanager',
      effect: 'Allow',
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111122223333:role/reader'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: ['*'],
      condition: [
        { test: 'StringEquals', variable: 'kms:CallerAccount', values: ['111122223333'] },
        { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.eu-west-1.amazonaws.com'] },
      ],
    });
  });

  test('grantDecrypt then grantGenerateDataKey to one principal make one statement', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    key.grantDecrypt('arn:aws:iam::111122223333:role/app');
    key.grantGenerateDataKey('arn:aws:iam::111122223333:role/app');
    expect(key.grants).toEqual([
      {
        sid: 'GrantApp',
        principalArn: 'arn:aws:iam::111122223333:role/app',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        conditions: [],
      },
    ]);
  });

  test('grants to one principal under different conditions stay separate: grantEncrypt then grantSecretsManagerUse never allows a direct Decrypt', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    const role = 'arn:aws:iam::111122223333:role/app';
    key.grantEncrypt(role);
    key.grantSecretsManagerUse(role);
    const forRole = key.policyStatements().filter((s) => s.principals?.some((p) => p.identifiers.includes(role)));
    expect(forRole.map((s) => [s.sid, s.actions, s.conditions?.map((c) => c.variable) ?? []])).toEqual([
      ['GrantApp', ['kms:Encrypt'], []],
      ['GrantAppViaSecretsmanager', ['kms:Decrypt', 'kms:GenerateDataKey'], ['kms:CallerAccount', 'kms:ViaService']],
    ]);
    // Whatever the order, no statement without kms:ViaService lets the role decrypt.
    const reversed = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    reversed.grantSecretsManagerUse(role);
    reversed.grantEncrypt(role);
    for (const k of [key, reversed]) {
      const direct = k
        .policyStatements()
        .filter(
          (s) => s.principals?.some((p) => p.identifiers.includes(role)) && !s.conditions?.some((c) => c.variable === 'kms:ViaService'),
        );
      expect(direct.flatMap((s) => s.actions)).toEqual(['kms:Encrypt']);
    }
  });

  test('a grantee this app owns gets the identity statement on the key ARN, and the key waits for it', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    const received: unknown[] = [];
    key.grantEncryptDecrypt({
      principalArn: 'arn:aws:iam::111122223333:role/app',
      addToPrincipalPolicy: (s) => received.push(s),
      dependable: { fqn: 'aws_iam_role.app' },
    });
    expect(received).toEqual([
      {
        sid: 'GrantApp',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'],
        resources: [expect.any(String)],
        conditions: undefined,
      },
    ]);
    // The resource is a reference to this key's ARN: put it in an output and read the synthesized reference.
    new TerraformOutput(stack, 'granted_resource', { value: (received[0] as { resources: string[] }).resources[0] });
    const json = synthObject(stack);
    expect(json.output.granted_resource.value).toBe('${aws_kms_key.key.arn}');
    expect(json.resource.aws_kms_key.key.depends_on).toEqual(['aws_iam_role.app']);
  });

  test('grantAdmin gives the administrator list', () => {
    const stack = newStack();
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    expect(key.grantAdmin(ADMIN).actions).toContain('kms:PutKeyPolicy');
  });

  test('sign and MAC grants on keys of that usage', () => {
    const stack = newStack();
    const signing = new CustomerManagedKey(stack, 'signing', { alias: 'sign', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', aws: AWS });
    expect(signing.grantSign(USER).actions).toEqual(['kms:Sign']);
    expect(signing.grantVerify(ADMIN).actions).toEqual(['kms:Verify']);
    const mac = new CustomerManagedKey(stack, 'mac', { alias: 'mac', keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC', aws: AWS });
    expect(mac.grantGenerateMac(USER).actions).toEqual(['kms:GenerateMac']);
    expect(mac.grantVerifyMac(ADMIN).actions).toEqual(['kms:VerifyMac']);
  });
});

describe('bad props fail in the constructor with the path, the value and what is allowed', () => {
  test('settings are validated with the config schema', () => {
    expect(() => new CustomerManagedKey(newStack(), 'key', { alias: 'alias/aws/x', deletionWindowInDays: 3, aws: AWS })).toThrow(
      'CustomerManagedKey test/key: 2 problems:\n' +
        '  - alias: "alias/aws/x" starts with "alias/aws/" (in any case), which is reserved for AWS managed keys\n' +
        '  - deletionWindowInDays: 3 is out of range; KMS allows 7-30 days',
    );
  });

  test('unknown props are refused', () => {
    expect(() => new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS, rotate: true } as never)).toThrow(
      /unknown field "rotate"/,
    );
  });

  test('tags are validated', () => {
    expect(() => new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS, tags: { 'aws:x': 'y' } })).toThrow(
      'tags["aws:x"]: tag key "aws:x" starts with "aws:", which AWS reserves',
    );
  });

  test('a grant that does not fit the key usage is refused', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'sign', keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY', aws: AWS });
    expect(() => key.grantDecrypt(USER)).toThrow('test/key: cannot grant kms:Decrypt on a RSA_2048/SIGN_VERIFY key; grantable: ');
  });

  test('kms:* and CreateGrant cannot be granted', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    expect(() => key.grant(USER, ['kms:*'])).toThrow(/cannot grant kms:\*/);
    expect(() => key.grant(USER, ['kms:CreateGrant'])).toThrow(/cannot grant kms:CreateGrant/);
    expect(() => key.grant(USER, [])).toThrow(/cannot grant no actions/);
  });

  test('a grantee must be an IAM principal ARN', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    expect(() => key.grantDecrypt('lambda-secrets-role')).toThrow(
      'test/key: cannot grant to "lambda-secrets-role"; expected an IAM principal ARN (arn:<partition>:iam::<account>:root, :user/<path/>name or :role/<path/>name)',
    );
  });

  test('a Sid must be letters and digits', () => {
    const key = new CustomerManagedKey(newStack(), 'key', { alias: 'app', aws: AWS });
    expect(() => key.grantDecrypt(USER, { sid: 'my sid' })).toThrow('test/key: sid "my sid" must contain only letters and digits');
  });
});

describe('fixed addresses never collide silently', () => {
  test('two keys with one id under different parents fail at synth, naming both construct paths', () => {
    const stack = newStack();
    new CustomerManagedKey(new Construct(stack, 'team_a'), 'key', { alias: 'a', aws: AWS });
    expect(() => new CustomerManagedKey(new Construct(stack, 'team_b'), 'key', { alias: 'b', aws: AWS })).toThrow(
      'test/team_b/key/policy: its Terraform address data.aws_iam_policy_document.key_policy is already taken by test/team_a/key/policy; give one of the two constructs another id',
    );
  });

  test('the same ids in two stacks are fine: addresses are per stack', () => {
    const app = Testing.app();
    expect(() => {
      new CustomerManagedKey(new TerraformStack(app, 'one'), 'key', { alias: 'a', aws: AWS });
      new CustomerManagedKey(new TerraformStack(app, 'two'), 'key', { alias: 'a', aws: AWS });
    }).not.toThrow();
  });
});

describe('Terraform references in props pass through; literals are validated', () => {
  test('a token alias (a variable holding the full alias/ name) and a token administrator (another role’s ARN) synthesize', () => {
    const stack = newStack();
    const aliasVariable = new TerraformVariable(stack, 'key_alias', { type: 'string' });
    const admins = new IamRole(stack, 'admins', { name: 'key-admins', assumeRolePolicy: '{}' });
    const alias = aliasVariable.stringValue;
    const key = new CustomerManagedKey(stack, 'key', { alias, administrators: [admins.arn], description: `Key of ${alias}`, aws: AWS });
    const json = synthObject(stack);
    expect(json.resource.aws_kms_alias.key.name).toBe('${var.key_alias}');
    expect(json.resource.aws_kms_key.key.description).toBe('Key of ${var.key_alias}');
    const admin = json.data.aws_iam_policy_document.key_policy.statement.find((s) => s.sid === 'KeyAdministrators');
    expect(admin?.principals).toEqual([{ type: 'AWS', identifiers: ['${aws_iam_role.admins.arn}'] }]);
    expect(key.settings.alias).toBe(alias);
  });

  test('a KMS grant to a token grantee and a token retiring principal synthesizes; a literal next to them is still checked', () => {
    const stack = newStack();
    const worker = new IamRole(stack, 'worker', { name: 'worker', assumeRolePolicy: '{}' });
    const operator = new IamRole(stack, 'operator', { name: 'operator', assumeRolePolicy: '{}' });
    const key = new CustomerManagedKey(stack, 'key', { alias: 'app', aws: AWS });
    key.addKmsGrant({ name: 'worker', granteePrincipal: worker.arn, retiringPrincipal: operator.arn, operations: ['Decrypt'] });
    expect(synthObject(stack).resource.aws_kms_grant.key_grant_worker).toEqual(
      expect.objectContaining({ grantee_principal: '${aws_iam_role.worker.arn}', retiring_principal: '${aws_iam_role.operator.arn}' }),
    );
    expect(() =>
      key.addKmsGrant({ name: 'other', granteePrincipal: worker.arn, retiringPrincipal: 'operator', operations: ['Decrypt'] }),
    ).toThrow('retiringPrincipal: "operator" is not an IAM role or user ARN');
  });

  test('literals next to tokens are still validated', () => {
    const stack = newStack();
    const admins = new IamRole(stack, 'admins', { name: 'key-admins', assumeRolePolicy: '{}' });
    expect(() => new CustomerManagedKey(stack, 'key', { alias: 'app', administrators: [admins.arn, 'not-an-arn'], aws: AWS })).toThrow(
      'administrators[1]: "not-an-arn" is not an IAM principal ARN',
    );
  });
});

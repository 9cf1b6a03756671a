/**
 * The floor: a bare cdktf app that creates what the default environment creates (provider with
 * default tags, local backend, caller identity, key, alias, key policy, Lambda role with its trust
 * and permission policies, managed-policy attachment, outputs) with literal values and no config
 * handling. The bench compiles it to JS and launches it through `npm run`, as the main job is.
 * `FLOOR_STACKS=<n>` makes n stacks named `env0000`, `env0001`, ... with their own alias and role
 * names, as the bench's generated scale configs do.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';

/** The condition pair that limits key use to Secrets Manager calls from this account. */
function viaSecretsManager(account: string) {
  return [
    { test: 'StringEquals', variable: 'kms:CallerAccount', values: [account] },
    { test: 'StringEquals', variable: 'kms:ViaService', values: ['secretsmanager.us-east-1.amazonaws.com'] },
  ];
}

/** One stack with the default environment's resources. */
function addStack(app: App, name: string, aliasName: string, roleName: string): void {
  const stack = new TerraformStack(app, name);
  new AwsProvider(stack, 'aws', {
    region: 'us-east-1',
    defaultTags: [{ tags: { Environment: name, Project: 'vpc-endpoints-tutorial', Purpose: 'secrets-encryption' } }],
  });
  new LocalBackend(stack, { path: `../../../terraform.${name}.tfstate` });
  const account = new DataAwsCallerIdentity(stack, 'current').accountId;
  const roleArn = `arn:aws:iam::${account}:role/service-role/${roleName}`;

  const trust = new DataAwsIamPolicyDocument(stack, 'lambda_role_trust', {
    statement: [
      {
        sid: 'LambdaAssumeRoleFromThisAccount',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account] }],
      },
    ],
  });
  const role = new IamRole(stack, 'lambda_role', {
    name: roleName,
    path: '/service-role/',
    description: `Lambda execution role that reads secrets encrypted with alias/${aliasName}`,
    assumeRolePolicy: trust.json,
  });
  const keyPolicy = new DataAwsIamPolicyDocument(stack, 'key_policy', {
    statement: [
      {
        sid: 'EnableIamUserPermissions',
        effect: 'Allow',
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [`arn:aws:iam::${account}:root`] }],
      },
      {
        sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [roleArn] }],
        condition: viaSecretsManager(account),
      },
    ],
  });
  const key = new KmsKey(stack, 'key', {
    description: 'Customer managed key for encrypting secrets in the VPC tutorial series',
    customerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    keyUsage: 'ENCRYPT_DECRYPT',
    multiRegion: false,
    enableKeyRotation: true,
    rotationPeriodInDays: 365,
    deletionWindowInDays: 30,
    isEnabled: true,
    bypassPolicyLockoutSafetyCheck: false,
    policy: keyPolicy.json,
    lifecycle: { preventDestroy: true },
    dependsOn: [role],
  });
  const alias = new KmsAlias(stack, 'alias', { name: `alias/${aliasName}`, targetKeyId: key.keyId });
  alias.overrideLogicalId('key');

  const permissions = new DataAwsIamPolicyDocument(stack, 'lambda_role_permissions', {
    statement: [
      {
        sid: 'ReadSecrets',
        effect: 'Allow',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [`arn:aws:secretsmanager:us-east-1:${account}:secret:${name}/*`],
      },
      {
        sid: 'GrantLambdaSecretsRoleViaSecretsmanager',
        effect: 'Allow',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: [key.arn],
        condition: viaSecretsManager(account),
      },
    ],
  });
  const rolePolicy = new IamRolePolicy(stack, 'lambda_role_policy', {
    name: 'secrets-access',
    role: role.name,
    policy: permissions.json,
  });
  rolePolicy.overrideLogicalId('lambda_role');
  new IamRolePolicyAttachment(stack, 'lambda_role_basic_execution', {
    role: role.name,
    policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  });

  new TerraformOutput(stack, 'key_id', { value: key.keyId, description: 'Id of the KMS key' });
  new TerraformOutput(stack, 'key_arn', { value: key.arn, description: 'ARN of the KMS key' });
  new TerraformOutput(stack, 'alias_name', { value: alias.name, description: 'Alias of the KMS key (alias/...)' });
  new TerraformOutput(stack, 'alias_arn', { value: alias.arn, description: 'ARN of the alias' });
  new TerraformOutput(stack, 'lambda_role_name', { value: role.name, description: 'Name of the Lambda execution role' });
  new TerraformOutput(stack, 'lambda_role_arn', { value: role.arn, description: 'ARN of the Lambda execution role' });
}

const app = new App({ stackTraces: false });
if (process.env.FLOOR_STACKS === undefined) {
  addStack(app, 'tutorial', 'secrets-manager-encryption-key', 'lambda-secrets-role');
} else {
  for (let i = 0; i < Number(process.env.FLOOR_STACKS); i++) {
    const name = `env${String(i).padStart(4, '0')}`;
    addStack(app, name, `secrets-key-${name}`, `lambda-secrets-role-${name}`);
  }
}
app.synth();

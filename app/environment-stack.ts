/** One environment's stack: provider, backend, the key, the Lambda role, the secrets and the outputs. */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { keyPolicySizeProblem } from '../policy/size';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { LambdaSecretsRole } from '../constructs/lambda-secrets-role';
import { SecretsManagerSecret } from '../constructs/secrets-manager-secret';
import { secretAddressName } from '../config/secret-schema';
import { terraformTags } from '../constructs/tag-map';
import { addBackend } from './backend';
import type { OutputLayout } from './project';

/** Names of the stack's outputs: the walk-through's "save your key information". */
export const OUTPUT_NAMES = ['key_id', 'key_arn', 'alias_name', 'alias_arn', 'lambda_role_name', 'lambda_role_arn', 'secret_arns'] as const;

/**
 * The stack of one environment. Its id is the environment's name, so its output lands in
 * `cdktf.out/stacks/<name>/cdk.tf.json`.
 */
export class EnvironmentStack extends TerraformStack {
  readonly key: CustomerManagedKey;
  readonly lambdaRole: LambdaSecretsRole | undefined;
  readonly secrets: readonly SecretsManagerSecret[];

  constructor(scope: Construct, readonly environment: EnvironmentConfig, layout: OutputLayout) {
    super(scope, environment.name);
    const { accountId, region, partition, tags } = environment;
    new AwsProvider(this, 'aws', {
      region,
      allowedAccountIds: accountId ? [accountId] : undefined,
      defaultTags: Object.keys(tags).length > 0 ? [{ tags: terraformTags(tags) }] : undefined,
    });
    addBackend(this, environment.name, environment.backend, layout);
    const aws = {
      partition,
      region,
      accountId: accountId ?? new DataAwsCallerIdentity(this, 'current').accountId,
    };

    this.key = new CustomerManagedKey(this, 'key', { ...environment.key, aws });
    this.lambdaRole =
      environment.lambdaRole && new LambdaSecretsRole(this, 'lambda_role', { ...environment.lambdaRole, aws, key: this.key });
    this.secrets = environment.secrets.map(
      (secret) => new SecretsManagerSecret(this, secretAddressName(secret.name), { ...secret, key: this.key, aws }),
    );

    const output = (name: (typeof OUTPUT_NAMES)[number], value: string, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output('key_id', this.key.keyId, 'Id of the KMS key');
    output('key_arn', this.key.keyArn, 'ARN of the KMS key');
    output('alias_name', this.key.aliasName, 'Alias of the KMS key (alias/...)');
    output('alias_arn', this.key.aliasArn, 'ARN of the alias');
    if (this.lambdaRole) {
      output('lambda_role_name', this.lambdaRole.roleName, 'Name of the Lambda execution role');
      output('lambda_role_arn', this.lambdaRole.roleArn, 'ARN of the Lambda execution role');
    }
    if (this.secrets.length > 0) output('secret_arns', secretArnsMap(this.secrets), 'ARN of each secret, by name');
  }

  /**
   * What AWS would refuse in this stack that only the built constructs can tell (the key policy's
   * size), one line per problem naming the config field.
   */
  problems(): string[] {
    const problem = keyPolicySizeProblem(this.key.keyPolicyBytes());
    return problem ? [`environments.${this.environment.name}.key: ${problem}; name fewer or shorter principals in administrators and users`] : [];
  }
}

/**
 * `secret_arns` as a Terraform map expression: built by cdktf from a JavaScript object, a secret
 * named `__proto__` would vanish. Secret names hold no quote, backslash, `$` or `%`, so JSON
 * quoting is valid HCL quoting.
 */
function secretArnsMap(secrets: readonly SecretsManagerSecret[]): string {
  const entries = secrets.map((s) => `${JSON.stringify(s.settings.name)} = ${s.secret.fqn}.arn`);
  return `\${tomap({${entries.join(', ')}})}`;
}

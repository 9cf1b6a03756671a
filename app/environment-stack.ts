/** One environment's stack: provider, backend, the key, the Lambda role, the secrets and the outputs. */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config/schema';
import { regionName } from '../policy/replica';
import { keyPolicySizeProblem } from '../policy/size';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { LambdaSecretsRole } from '../constructs/lambda-secrets-role';
import type { AwsContext } from '../constructs/aws-context';
import { KeyAlerts } from '../constructs/key-alerts';
import { SecretsManagerSecret } from '../constructs/secrets-manager-secret';
import { secretAddressName } from '../config/secret-schema';
import { terraformStringMap } from '../constructs/terraform-values';
import { addBackend } from './backend';
import { renderStackHcl, type StackHcl } from './hcl-render';
import type { OutputLayout } from './project';

/** Names of the stack's outputs: the walk-through's "save your key information". */
export const OUTPUT_NAMES = [
  'key_id',
  'key_arn',
  'alias_name',
  'alias_arn',
  'alias_names',
  'lambda_role_name',
  'lambda_role_arn',
  'secret_arns',
  'kms_grant_ids',
  'replica_key_arns',
] as const;

/**
 * The stack of one environment. Its id is the environment's name, so its output lands in
 * `cdktf.out/stacks/<name>/cdk.tf.json` (`cdk.tf` with `npm run synth -- --hcl`).
 */
export class EnvironmentStack extends TerraformStack {
  readonly key: CustomerManagedKey;
  readonly lambdaRole: LambdaSecretsRole | undefined;
  readonly secrets: readonly SecretsManagerSecret[];
  /** The alerts of each region where a key lives (primary first), when `audit` is set. */
  readonly alerts: readonly KeyAlerts[];

  constructor(
    scope: Construct,
    readonly environment: EnvironmentConfig,
    layout: OutputLayout,
  ) {
    super(scope, environment.name);
    const { accountId, region, partition, tags } = environment;
    const providerSettings = {
      allowedAccountIds: accountId ? [accountId] : undefined,
      defaultTags: Object.keys(tags).length > 0 ? [{ tags: terraformStringMap(tags) }] : undefined,
    };
    new AwsProvider(this, 'aws', { region, ...providerSettings });
    // One aliased provider per replica region (provider "aws" with alias "us_west_2").
    const replicaProviders = new Map(
      environment.key.replicaRegions.map((replicaRegion) => [
        replicaRegion,
        new AwsProvider(this, `aws_${regionName(replicaRegion)}`, {
          alias: regionName(replicaRegion),
          region: replicaRegion,
          ...providerSettings,
        }),
      ]),
    );
    addBackend(this, environment.name, environment.backend, layout);
    const aws = {
      partition,
      region,
      accountId: accountId ?? new DataAwsCallerIdentity(this, 'current').accountId,
    };

    this.key = new CustomerManagedKey(this, 'key', { ...environment.key, aws, replicaProviders });
    this.lambdaRole =
      environment.lambdaRole && new LambdaSecretsRole(this, 'lambda_role', { ...environment.lambdaRole, aws, key: this.key });
    this.alerts = environment.audit ? this.createAlerts(environment, aws, replicaProviders) : [];
    this.secrets = environment.secrets.map(
      (secret) => new SecretsManagerSecret(this, secretAddressName(secret.name), { ...secret, key: this.key, aws }),
    );

    const output = (name: (typeof OUTPUT_NAMES)[number], value: string | string[], description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    output('key_id', this.key.keyId, 'Id of the KMS key');
    output('key_arn', this.key.keyArn, 'ARN of the KMS key');
    output('alias_name', this.key.aliasName, 'Alias of the KMS key (alias/...)');
    output('alias_arn', this.key.aliasArn, 'ARN of the alias');
    if (this.lambdaRole) {
      output('lambda_role_name', this.lambdaRole.roleName, 'Name of the Lambda execution role');
      output('lambda_role_arn', this.lambdaRole.roleArn, 'ARN of the Lambda execution role');
    }
    if (this.secrets.length > 0) {
      output(
        'secret_arns',
        mapExpression(this.secrets.map((s) => [s.settings.name, `${s.secret.fqn}.arn`])),
        'ARN of each secret, by name',
      );
    }
    if (this.key.kmsGrants.length > 0) {
      output(
        'kms_grant_ids',
        mapExpression(this.key.kmsGrants.map((g) => [g.settings.name, `${g.resource.fqn}.grant_id`])),
        'Id of each KMS grant, by name',
      );
    }
    if (this.key.replicas.size > 0) {
      output(
        'replica_key_arns',
        mapExpression([...this.key.replicas].map(([r, replica]) => [r, `${replica.replica.fqn}.arn`])),
        'ARN of each replica key, by region',
      );
    }
    output(
      'alias_names',
      [environment.key.alias, ...environment.key.additionalAliases],
      'Every alias of the key (each replica has the same)',
    );
  }

  /** Alerts for the primary key and for each replica, each region's through its own provider. */
  private createAlerts(environment: EnvironmentConfig, aws: AwsContext, replicaProviders: ReadonlyMap<string, AwsProvider>): KeyAlerts[] {
    const audit = environment.audit!;
    const common = {
      environment: environment.name,
      events: audit.events,
      emails: audit.emails,
      snsTopicArn: audit.snsTopicArn,
      administrators: environment.key.administrators,
      preventDestroy: environment.key.preventDestroy,
    };
    return [
      new KeyAlerts(this, 'alerts', { ...common, keyArn: this.key.keyArn, aws, addressSuffix: '' }),
      ...[...this.key.replicas].map(
        ([region, replica]) =>
          new KeyAlerts(this, `alerts_${regionName(region)}`, {
            ...common,
            keyArn: replica.arn,
            aws: { ...aws, region },
            provider: replicaProviders.get(region),
            addressSuffix: `_${regionName(region)}`,
          }),
      ),
    ];
  }

  /**
   * What AWS would refuse in this stack that only the built constructs can tell (the key policy's
   * size), one line per problem naming the config field.
   */
  problems(): string[] {
    const problem = keyPolicySizeProblem(this.key.keyPolicyBytes());
    return problem
      ? [`environments.${this.environment.name}.key: ${problem}; name fewer or shorter principals in administrators and users`]
      : [];
  }

  /** cdktf's HCL with its string, override and `depends_on` faults fixed (`npm run synth -- --hcl`; hcl-render.ts). */
  override toHclTerraform(): StackHcl {
    return renderStackHcl(this, () => super.toHclTerraform() as StackHcl);
  }
}

/**
 * A map output as a Terraform expression (`tomap({"name" = <reference>, ...})`): built by cdktf
 * from a JavaScript object, a key named `__proto__` would vanish. The keys here (secret and grant
 * names, regions) hold no quote, backslash, `$` or `%`, so JSON quoting is valid HCL quoting.
 */
function mapExpression(entries: readonly (readonly [string, string])[]): string {
  return `\${tomap({${entries.map(([key, reference]) => `${JSON.stringify(key)} = ${reference}`).join(', ')}})}`;
}

/**
 * The IAM role Lambda functions use to read secrets encrypted with a customer managed key, with
 * nothing more: the key only via Secrets Manager, only the named secrets.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { tags as tagsSchema } from '../config/fields';
import { parseOrThrow } from '../config/errors';
import { lambdaRoleSchema, type LambdaRoleSettings, type ResolvedLambdaRoleSettings } from '../config/lambda-role-schema';
import { awsManagedPolicyArn, roleArn } from '../policy/arn';
import { regionalValue } from '../policy/replica';
import { secretArnPatterns, type SecretSource } from '../policy/secrets';
import { type PolicyStatement, servicePrincipal, stringEquals } from '../policy/statement';
import type { AwsContext } from './aws-context';
import type { KeyGrantee, SecretsKey } from './grants';
import { toPolicyDocumentStatements } from './policy-document';
import { terraformStringMap } from './terraform-values';
import { importExisting } from './imports';
import { fixAddress, terraformName } from './terraform-name';

/** Props of a LambdaSecretsRole. */
export interface LambdaSecretsRoleProps extends LambdaRoleSettings {
  /** Partition, region and account of the role and its secrets. */
  readonly aws: AwsContext;
  /** The key the secrets are encrypted with; the role is granted kms:Decrypt and kms:GenerateDataKey on it via Secrets Manager. */
  readonly key: SecretsKey;
  /**
   * Tags on the role (the provider's `default_tags` apply as well).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** AWS managed policies the role may carry. */
export const LAMBDA_MANAGED_POLICIES = {
  basicExecution: 'service-role/AWSLambdaBasicExecutionRole',
  vpcAccess: 'service-role/AWSLambdaVPCAccessExecutionRole',
} as const;

/** Sids of the role's own statements. */
export const LAMBDA_ROLE_SIDS = { trust: 'LambdaAssumeRoleFromThisAccount', readSecrets: 'ReadSecrets' } as const;

/**
 * `aws_iam_role` trusted by Lambda for this account only, `AWSLambdaBasicExecutionRole` (and
 * optionally `AWSLambdaVPCAccessExecutionRole`), and an `aws_iam_role_policy` allowing
 * `secretsmanager:GetSecretValue` on the configured secrets and, through the key's grant,
 * kms:Decrypt / kms:GenerateDataKey on that key via Secrets Manager, only for those secrets
 * (`kms:EncryptionContext:SecretARN`, in the key policy and in the role's policy alike).
 * Addresses: `aws_iam_role.<id>`, `aws_iam_role_policy.<id>`, `aws_iam_role_policy_attachment.<id>_basic_execution`
 * (and `_vpc_access`), `data.aws_iam_policy_document.<id>_trust` and `<id>_permissions`.
 */
export class LambdaSecretsRole extends Construct implements KeyGrantee {
  /** The validated settings, every default applied. */
  readonly settings: ResolvedLambdaRoleSettings;
  readonly role: IamRole;
  readonly trustPolicy: DataAwsIamPolicyDocument;
  readonly permissionsPolicy: DataAwsIamPolicyDocument;
  readonly rolePolicy: IamRolePolicy;
  /** The role's ARN, built from partition, account, path and name so that it is known at plan time. */
  readonly principalArn: string;
  /**
   * The ARN patterns of the secrets the role reads: the resources of its GetSecretValue statement
   * and the `kms:EncryptionContext:SecretARN` values of its KMS statements, in the key policy too.
   */
  readonly secretArnPatterns: readonly string[];
  /** The same secrets' replicas in the key's replica regions, which the role may read too. */
  readonly replicaSecretArnPatterns: readonly string[];
  private readonly aws: AwsContext;
  private statements: PolicyStatement[];

  constructor(scope: Construct, id: string, props: LambdaSecretsRoleProps) {
    super(scope, id);
    const { aws, key, tags, ...settings } = props;
    const source = `LambdaSecretsRole ${this.node.path}`;
    this.settings = parseOrThrow(lambdaRoleSchema, settings, source);
    const resourceTags = tags === undefined ? undefined : terraformStringMap(parseOrThrow(tagsSchema(), tags, source, ['tags']));
    if (!key.usableBySecretsManager) {
      throw new Error(`${source}: key ${key.path} is ${key.keyKind}; Secrets Manager only uses SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys`);
    }
    const secretSource = secretSourceOf(this.settings);
    if (secretSource === undefined) {
      throw new Error(`${source}: give secretArns, secretNames or secretNamePrefix; the role must not read every secret in the account`);
    }
    this.aws = aws;
    this.secretArnPatterns = secretArnPatterns(secretSource, aws);
    // A replica secret (same name and suffix, the replica's region) is encrypted with the replica key.
    this.replicaSecretArnPatterns = key.replicaRegions.flatMap((region) =>
      this.secretArnPatterns.map((p) => regionalValue(p, aws.region, region)),
    );
    this.principalArn = roleArn(aws.partition, aws.accountId, this.settings.path, this.settings.name);
    const name = terraformName(id);

    this.trustPolicy = fixAddress(
      new DataAwsIamPolicyDocument(this, 'trust', { statement: toPolicyDocumentStatements(this.trustStatements()) }),
      `${name}_trust`,
    );
    this.role = fixAddress(
      new IamRole(this, 'role', {
        name: this.settings.name,
        path: this.settings.path,
        description: `Lambda execution role that reads secrets encrypted with ${key.displayName}`,
        assumeRolePolicy: this.trustPolicy.json,
        tags: resourceTags,
      }),
      name,
    );
    if (this.settings.importExisting) importExisting(this.role, this.settings.name);
    const attach = (policy: string, suffix: string) =>
      fixAddress(
        new IamRolePolicyAttachment(this, suffix, { role: this.role.name, policyArn: awsManagedPolicyArn(aws.partition, policy) }),
        `${name}_${suffix}`,
      );
    attach(LAMBDA_MANAGED_POLICIES.basicExecution, 'basic_execution');
    if (this.settings.vpcAccess) attach(LAMBDA_MANAGED_POLICIES.vpcAccess, 'vpc_access');

    this.statements = [this.readSecretsStatement()];
    this.permissionsPolicy = fixAddress(new DataAwsIamPolicyDocument(this, 'permissions'), `${name}_permissions`);
    this.rolePolicy = fixAddress(
      new IamRolePolicy(this, 'policy', { name: 'secrets-access', role: this.role.name, policy: this.permissionsPolicy.json }),
      name,
    );
    this.syncPolicy();
    key.grantSecretsManagerUse(this, { secretArnPatterns: this.secretArnPatterns });
  }

  /** The role resource: the key is created after it. */
  get dependable(): ITerraformDependable {
    return this.role;
  }

  /** The role's name. */
  get roleName(): string {
    return this.role.name;
  }

  /** The role's ARN as Terraform reports it (known after apply). */
  get roleArn(): string {
    return this.role.arn;
  }

  /** The trust policy as model statements. */
  trustStatements(): PolicyStatement[] {
    return [
      {
        sid: LAMBDA_ROLE_SIDS.trust,
        effect: 'Allow',
        principals: [servicePrincipal('lambda.amazonaws.com')],
        actions: ['sts:AssumeRole'],
        conditions: [stringEquals('aws:SourceAccount', this.aws.accountId)],
      },
    ];
  }

  /** The role's permission policy as model statements: exactly what its policy document receives. */
  identityStatements(): PolicyStatement[] {
    return [...this.statements];
  }

  /** Adds a statement to the role's policy, replacing one with the same Sid. */
  addToPrincipalPolicy(statement: PolicyStatement): void {
    const index = this.statements.findIndex((s) => s.sid === statement.sid);
    if (index >= 0) this.statements[index] = statement;
    else this.statements.push(statement);
    this.syncPolicy();
  }

  private readSecretsStatement(): PolicyStatement {
    return {
      sid: LAMBDA_ROLE_SIDS.readSecrets,
      effect: 'Allow',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [...this.secretArnPatterns, ...this.replicaSecretArnPatterns],
    };
  }

  private syncPolicy(): void {
    this.permissionsPolicy.putStatement(toPolicyDocumentStatements(this.statements));
  }
}

/** The one source of secrets the settings give, or undefined when they give none. */
function secretSourceOf(settings: ResolvedLambdaRoleSettings): SecretSource | undefined {
  if (settings.secretArns?.length) return { kind: 'arns', arns: settings.secretArns };
  if (settings.secretNames?.length) return { kind: 'names', names: settings.secretNames };
  if (settings.secretNamePrefix !== undefined) return { kind: 'prefix', prefix: settings.secretNamePrefix };
  return undefined;
}

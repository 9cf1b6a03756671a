/**
 * A Secrets Manager secret encrypted with a customer managed key: the secret only, never its value,
 * so no secret value ever reaches Terraform's configuration or state.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { parseOrThrow } from '../config/errors';
import { type ResolvedSecretSettings, secretAddressName, secretSchema, type SecretSettings } from '../config/secret-schema';
import { secretArnForName } from '../policy/arn';
import { isSymmetricEncryption } from '../policy/key-spec';
import type { AwsContext } from './aws-context';
import type { CustomerManagedKey } from './customer-managed-key';
import { fixAddress } from './terraform-name';
import { terraformLiteral } from './terraform-values';

/** Props of a SecretsManagerSecret. */
export interface SecretsManagerSecretProps extends SecretSettings {
  /** The key that encrypts the secret: a symmetric encryption key. */
  readonly key: CustomerManagedKey;
  /** Partition, region and account of the secret, for its ARN pattern. */
  readonly aws: AwsContext;
}

/**
 * `aws_secretsmanager_secret` with `kms_key_id` set to the key's ARN. Its address follows the
 * secret's name, not the construct tree: `aws_secretsmanager_secret.secret_<name with every
 * character but letters, digits and _ as _>`.
 */
export class SecretsManagerSecret extends Construct {
  /** The validated settings, every default applied. */
  readonly settings: ResolvedSecretSettings;
  readonly secret: SecretsmanagerSecret;
  /**
   * `arn:<partition>:secretsmanager:<region>:<account>:secret:<name>-??????`: this secret's ARN,
   * whatever the six characters Secrets Manager appends, known at plan time.
   */
  readonly arnPattern: string;

  constructor(scope: Construct, id: string, props: SecretsManagerSecretProps) {
    super(scope, id);
    const { key, aws, ...settings } = props;
    const source = `SecretsManagerSecret ${this.node.path}`;
    this.settings = parseOrThrow(secretSchema, settings, source);
    const { keySpec, keyUsage } = key.settings;
    if (!isSymmetricEncryption(keySpec, keyUsage)) {
      throw new Error(
        `${source}: key ${key.node.path} is ${keySpec}/${keyUsage}; Secrets Manager encrypts only with SYMMETRIC_DEFAULT/ENCRYPT_DECRYPT keys`,
      );
    }
    this.arnPattern = secretArnForName(aws.partition, aws.region, aws.accountId, this.settings.name);
    this.secret = fixAddress(
      new SecretsmanagerSecret(this, 'secret', {
        name: this.settings.name,
        description: this.settings.description === undefined ? undefined : terraformLiteral(this.settings.description),
        kmsKeyId: key.keyArn,
        recoveryWindowInDays: this.settings.recoveryWindowInDays,
      }),
      secretAddressName(this.settings.name),
    );
  }

  /** The secret's ARN (known after apply). */
  get secretArn(): string {
    return this.secret.arn;
  }
}

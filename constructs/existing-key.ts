/**
 * A KMS key this app does not create (made in the console, or by another stack), given to readers
 * this app creates. Only the identity side is written: each grant adds the reader's own policy
 * statement, with the same `kms:ViaService`, `kms:CallerAccount` and `kms:EncryptionContext:SecretARN`
 * conditions a `CustomerManagedKey` would use. The key's own policy is not this app's: it must allow
 * the reader too, and `requiredKeyPolicyStatements()` says what it must contain.
 */
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { SECRETS_MANAGER_KEY_ACTIONS } from '../policy/actions';
import { secretArnConditions, viaServiceConditions } from '../policy/conditions';
import { addGrant, type KeyGrant, keyPolicyStatements } from '../policy/key-policy';
import type { PolicyStatement } from '../policy/statement';
import type { AwsContext } from './aws-context';
import type { GrantOptions, KeyGrantee, SecretsKey } from './grants';

/** Props of an ExistingKey. */
export interface ExistingKeyProps {
  /** `arn:<partition>:kms:<region>:<account>:key/<id>` (or a Terraform reference to one). */
  readonly keyArn: string;
  /** Partition, region and account of the key and its readers. */
  readonly aws: AwsContext;
}

const KEY_ARN = /^arn:([a-z-]+):kms:([a-z0-9-]+):(\d{12}):key\/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$/;

/** A key made elsewhere. */
export class ExistingKey extends Construct implements SecretsKey {
  readonly keyArn: string;
  /** Taken on trust: preflight and `terraform apply` find a key Secrets Manager cannot use. */
  readonly usableBySecretsManager = true;
  readonly keyKind = 'an existing key';
  readonly replicaRegions: readonly string[] = [];
  private readonly aws: AwsContext;
  private keyGrants: KeyGrant[] = [];

  constructor(scope: Construct, id: string, props: ExistingKeyProps) {
    super(scope, id);
    const arn = KEY_ARN.exec(props.keyArn);
    if (!Token.isUnresolved(props.keyArn)) {
      if (!arn)
        throw new Error(
          `ExistingKey ${this.node.path}: "${props.keyArn}" is not a KMS key ARN; expected arn:<partition>:kms:<region>:<account>:key/<id>`,
        );
      const [, partition, region] = arn;
      if (partition !== props.aws.partition || region !== props.aws.region) {
        throw new Error(
          `ExistingKey ${this.node.path}: "${props.keyArn}" is in ${partition}/${region}, but its readers are in ${props.aws.partition}/${props.aws.region}`,
        );
      }
    }
    this.keyArn = props.keyArn;
    this.aws = props.aws;
  }

  /** The key's ARN, as descriptions name it. */
  get displayName(): string {
    return this.keyArn;
  }

  /** The construct path. */
  get path(): string {
    return this.node.path;
  }

  /**
   * Writes the reader's identity-policy statement for kms:Decrypt and kms:GenerateDataKey via Secrets
   * Manager (for `secretArnPatterns` only, when given). A grantee this app does not own gets nothing
   * here: the key's own policy is the only place that could allow it.
   */
  grantSecretsManagerUse(grantee: KeyGrantee | string, options: Omit<GrantOptions, 'viaService'> = {}): KeyGrant {
    const principal: KeyGrantee = typeof grantee === 'string' ? { principalArn: grantee } : grantee;
    const conditions = [
      ...viaServiceConditions('secretsmanager', this.aws.region, this.aws.accountId),
      ...(options.secretArnPatterns ? secretArnConditions(options.secretArnPatterns) : []),
    ];
    const { grants, grant } = addGrant(this.keyGrants, {
      principalArn: principal.principalArn,
      actions: SECRETS_MANAGER_KEY_ACTIONS,
      conditions,
      sid: options.sid,
    });
    this.keyGrants = grants;
    principal.addToPrincipalPolicy?.({
      sid: grant.sid,
      effect: 'Allow',
      actions: grant.actions,
      resources: [this.keyArn],
      conditions: grant.conditions,
    });
    return grant;
  }

  /**
   * The statements the key's own policy must contain for the grants made here to work (a principal
   * in the key's account is allowed by either its IAM policy, through the account-root statement, or
   * a statement naming it; these name it, with the same conditions).
   */
  requiredKeyPolicyStatements(): PolicyStatement[] {
    return keyPolicyStatements({
      partition: this.aws.partition,
      accountId: this.aws.accountId,
      keySpec: 'SYMMETRIC_DEFAULT',
      keyUsage: 'ENCRYPT_DECRYPT',
      multiRegion: false,
      enableIamUserPermissions: false,
      administrators: [],
      allowAdministratorsToDeleteKey: false,
      users: [],
      grants: this.keyGrants,
    });
  }
}

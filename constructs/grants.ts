/** What a key needs to know about a principal it grants access to. */
import type { ITerraformDependable } from 'cdktf';
import type { PolicyStatement } from '../policy/statement';

/**
 * A principal that can receive access to a key: its ARN (known at plan time) and, when this app
 * owns the principal, a way to add the matching identity-policy statement.
 */
export interface KeyGrantee {
  /** IAM ARN of the principal, built from known values (not an attribute known after apply). */
  readonly principalArn: string;
  /**
   * Adds or replaces (same Sid) a statement in the principal's identity policy. Present when this
   * app creates the principal.
   */
  addToPrincipalPolicy?(statement: PolicyStatement): void;
  /**
   * The resource that creates the principal: the key is created after it, since KMS rejects a policy
   * naming a principal that does not exist yet.
   */
  readonly dependable?: ITerraformDependable;
}

/** Options of the grant methods. */
export interface GrantOptions {
  /**
   * Only allow requests that this AWS service makes on the grantee's behalf in the key's region
   * (`kms:ViaService = <service>.<region>.amazonaws.com`), from principals in the key's account
   * (`kms:CallerAccount`). For example `"secretsmanager"`.
   * @default no restriction: direct calls are allowed
   */
  readonly viaService?: string;
  /**
   * Statement id in the key policy (letters and digits).
   * @default "Grant<PrincipalName>[Via<Service>]"
   */
  readonly sid?: string;
  /**
   * Only for requests about these secrets: ARN patterns (`*` and `?` wildcards) that the
   * `kms:EncryptionContext:SecretARN` Secrets Manager sends must match (`StringLike`). Only with
   * `viaService: "secretsmanager"`; at least one pattern, each a secret ARN (or a Terraform reference).
   * @default no condition: every secret encrypted with the key (the access report flags such a grant)
   */
  readonly secretArnPatterns?: readonly string[];
}

/**
 * A key Secrets Manager readers can be given: a `CustomerManagedKey` this app creates, or an
 * `ExistingKey` made elsewhere (`CustomerManagedKey.fromKeyArn`). `LambdaSecretsRole` accepts either.
 */
export interface SecretsKey {
  /** The key's ARN (a reference for a key this app creates). */
  readonly keyArn: string;
  /** How descriptions name the key: its alias, or its ARN. */
  readonly displayName: string;
  /** The construct path, for messages. */
  readonly path: string;
  /** Whether Secrets Manager can use the key (a symmetric encryption key). */
  readonly usableBySecretsManager: boolean;
  /** `<key spec>/<key usage>` when known, for messages. */
  readonly keyKind: string;
  /** The regions of the key's replicas, which its grantees may use as well. */
  readonly replicaRegions: readonly string[];
  /** kms:Decrypt and kms:GenerateDataKey via Secrets Manager, for `secretArnPatterns` only when given. */
  grantSecretsManagerUse(grantee: KeyGrantee | string, options?: Omit<GrantOptions, 'viaService'>): unknown;
}

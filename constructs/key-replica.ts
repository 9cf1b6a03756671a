/**
 * A multi-Region replica of a customer managed key in another region: `aws_kms_replica_key` through
 * that region's provider, its own `aws_iam_policy_document` (the primary's statements with every
 * region-bound value moved to the replica's region) and the same aliases in that region.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import { statementsForRegion } from '../policy/replica';
import type { PolicyStatement } from '../policy/statement';
import { toPolicyDocumentStatements } from './policy-document';
import { fixAddress } from './terraform-name';

/** What a replica copies from its primary. */
export interface KeyReplicaProps {
  /** The primary key's ARN. */
  readonly primaryKeyArn: string;
  /** The primary key's region (region-bound policy values are moved from it). */
  readonly primaryRegion: string;
  /** The replica's region. */
  readonly region: string;
  /** The `aws` provider configured for `region`. */
  readonly provider: TerraformProvider;
  /** The address name: `aws_kms_replica_key.<name>`, `data.aws_iam_policy_document.<name>_policy`. */
  readonly name: string;
  readonly description: string;
  readonly deletionWindowInDays: number;
  readonly enabled: boolean;
  readonly preventDestroy: boolean;
  readonly tags: Record<string, string> | undefined;
  /** Every alias of the key, in `alias/<name>` form, and the address name of each alias resource. */
  readonly aliases: readonly { readonly name: string; readonly address: string }[];
}

/** One replica of a key. */
export class KeyReplica extends Construct {
  readonly replica: KmsReplicaKey;
  readonly policyDocument: DataAwsIamPolicyDocument;
  readonly aliases: readonly KmsAlias[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: KeyReplicaProps,
  ) {
    super(scope, id);
    this.policyDocument = fixAddress(new DataAwsIamPolicyDocument(this, 'policy'), `${props.name}_policy`);
    this.replica = fixAddress(
      new KmsReplicaKey(this, 'replica', {
        provider: props.provider,
        primaryKeyArn: props.primaryKeyArn,
        description: props.description,
        deletionWindowInDays: props.deletionWindowInDays,
        enabled: props.enabled,
        bypassPolicyLockoutSafetyCheck: false,
        policy: this.policyDocument.json,
        tags: props.tags,
        lifecycle: { preventDestroy: props.preventDestroy },
      }),
      props.name,
    );
    this.aliases = props.aliases.map((alias) =>
      fixAddress(
        new KmsAlias(this, `alias_${alias.address}`, { provider: props.provider, name: alias.name, targetKeyId: this.replica.keyId }),
        alias.address,
      ),
    );
  }

  /** The replica's ARN (known after apply). */
  get arn(): string {
    return this.replica.arn;
  }

  /** The primary's statements as this replica's policy holds them. */
  statements(primary: readonly PolicyStatement[]): PolicyStatement[] {
    return statementsForRegion(primary, this.props.primaryRegion, this.props.region);
  }

  /** Puts the primary's statements, moved to this region, into the replica's policy. */
  syncPolicy(primary: readonly PolicyStatement[]): void {
    this.policyDocument.putStatement(toPolicyDocumentStatements(this.statements(primary)));
  }

  /** The replica is created after these (KMS refuses a policy naming a principal that does not exist yet). */
  dependOn(dependencies: readonly ITerraformDependable[]): void {
    this.replica.dependsOn = dependencies.map((d) => dependable(d));
  }
}

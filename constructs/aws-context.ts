/** Where the constructs' resources live: values the policies need, known at plan time. */

/**
 * The partition, region and account of the stack. `accountId` may be a Terraform reference that
 * Terraform reads while planning (such as `aws_caller_identity.account_id`), but never an attribute
 * known only after apply: the key policy must be readable in the plan.
 */
export interface AwsContext {
  /** `aws`, `aws-cn`, `aws-us-gov`, ... */
  readonly partition: string;
  /** e.g. `us-east-1`. */
  readonly region: string;
  /** The 12-digit account id, or a plan-time reference to it. */
  readonly accountId: string;
}

/**
 * The plain-data shape of an IAM policy statement, shared by key policies and identity policies.
 *
 * It mirrors the `statement` block of Terraform's `aws_iam_policy_document` data source
 * (principals, actions, resources, conditions), so the constructs hand it to the provider
 * unchanged and `render.ts` turns it into AWS policy JSON for tests and reports.
 */

/** Whether a statement allows or denies. */
export type Effect = 'Allow' | 'Deny';

/** A principal block: `AWS` for IAM ARNs (or `*`), `Service` for AWS service principals. */
export interface Principal {
  readonly type: 'AWS' | 'Service';
  readonly identifiers: readonly string[];
}

/** One condition: an operator (`StringEquals`, `Bool`, ...), a condition key and the values it accepts. */
export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/**
 * One policy statement. `principals` is set in resource policies (key, trust) and absent in identity
 * policies; `resources` is absent in trust policies.
 */
export interface PolicyStatement {
  readonly sid: string;
  readonly effect: Effect;
  readonly principals?: readonly Principal[];
  readonly actions: readonly string[];
  readonly resources?: readonly string[];
  readonly conditions?: readonly Condition[];
}

/** An `AWS` principal block for the given ARNs. */
export function awsPrincipals(arns: readonly string[]): Principal {
  return { type: 'AWS', identifiers: [...arns] };
}

/** A `Service` principal block, e.g. `lambda.amazonaws.com`. */
export function servicePrincipal(service: string): Principal {
  return { type: 'Service', identifiers: [service] };
}

/** `StringEquals` on one condition key. */
export function stringEquals(variable: string, value: string): Condition {
  return { test: 'StringEquals', variable, values: [value] };
}

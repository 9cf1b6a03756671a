/**
 * AWS managed policies this app attaches, and what the report knows of them. Their documents are not
 * in the synthesized JSON (AWS owns them); both grant CloudWatch Logs and EC2 network-interface
 * actions only, no `kms:` action, so they cannot change a KMS cell and are left out of the
 * simulation. Any other managed policy is a lint error: the report cannot say what it allows.
 */

/** Managed policy names (after `policy/`) known to contain no `kms:` action. */
export const MANAGED_POLICIES_WITHOUT_KMS = [
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
] as const;

/** True when `arn` is an AWS managed policy known to contain no `kms:` action. */
export function isKnownWithoutKms(arn: string): boolean {
  const match = /^arn:[a-z-]+:iam::aws:policy\/(.+)$/.exec(arn);
  return match !== null && (MANAGED_POLICIES_WITHOUT_KMS as readonly string[]).includes(match[1]);
}

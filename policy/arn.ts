/**
 * ARNs and partitions, built from plain strings so that every ARN the key policy names is known
 * when Terraform plans (no attribute that only exists after apply). Regions and partitions, and
 * `partitionForRegion`, live in `regions.ts`.
 */
import { PARTITION_ALTERNATION } from './regions';

/**
 * The account principal `arn:<partition>:iam::<account>:root`. In a key policy it does not mean the
 * root user only: it delegates access to the account's IAM policies.
 */
export function accountRootArn(partition: string, accountId: string): string {
  return `arn:${partition}:iam::${accountId}:root`;
}

/** The ARN of an IAM role from its path (`/` or `/a/b/`) and name. */
export function roleArn(partition: string, accountId: string, path: string, name: string): string {
  return `arn:${partition}:iam::${accountId}:role${path}${name}`;
}

/** The ARN of an AWS managed IAM policy, e.g. `service-role/AWSLambdaBasicExecutionRole`. */
export function awsManagedPolicyArn(partition: string, pathAndName: string): string {
  return `arn:${partition}:iam::aws:policy/${pathAndName}`;
}

/**
 * The ARN pattern of one Secrets Manager secret by name: Secrets Manager appends `-` and six random
 * characters to every secret's ARN, so `<name>-??????` matches that secret and no other.
 */
export function secretArnForName(partition: string, region: string, accountId: string, name: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${name}-??????`;
}

/** The ARN pattern that matches every Secrets Manager secret whose name starts with `prefix`. */
export function secretArnPattern(partition: string, region: string, accountId: string, prefix: string): string {
  return `arn:${partition}:secretsmanager:${region}:${accountId}:secret:${prefix}*`;
}

/** An IAM principal ARN taken apart: partition, account, and what follows `iam::<account>:`. */
export interface IamPrincipalArn {
  readonly partition: string;
  readonly accountId: string;
  /** `root`, `user/...` or `role/...` */
  readonly resource: string;
}

/**
 * IAM principal ARNs a key policy may name: the account (`root`), users and roles, with optional paths.
 * Names follow IAM's character set `[\w+=,.@-]`; path segments may hold any printable ASCII but
 * `/` and `*` (IAM allows `*` in a path, but a principal ARN in a policy cannot hold a wildcard).
 * The partitions are those of `regions.ts`, so an ARN of a partition no accepted region is in fails here.
 */
export const IAM_PRINCIPAL_ARN = new RegExp(
  String.raw`^arn:(${PARTITION_ALTERNATION}):iam::(\d{12}):(root|(?:user|role)(?:\/[\x21-\x29\x2B-\x2E\x30-\x7E]+)*\/[\w+=,.@-]{1,64})$`,
);

/** Parses an IAM principal ARN, or returns undefined when it is not one. */
export function parseIamPrincipalArn(arn: string): IamPrincipalArn | undefined {
  const match = IAM_PRINCIPAL_ARN.exec(arn);
  if (!match) return undefined;
  return { partition: match[1], accountId: match[2], resource: match[3] };
}

/** The last path segment of an ARN: a role or user name, or `root`. */
export function arnShortName(arn: string): string {
  const parsed = parseIamPrincipalArn(arn);
  const resource = parsed ? parsed.resource : arn;
  return resource.slice(resource.lastIndexOf('/') + 1);
}

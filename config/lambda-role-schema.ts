/**
 * The settings of the IAM role that Lambda functions use to read secrets encrypted with the key.
 * `LambdaSecretsRole` validates its props with this schema and the config uses it for
 * `environments.<name>.lambdaRole`.
 */
import { z } from 'zod';
import { bool, matching, show, strictObject } from './fields';

/** Settings of the Lambda execution role. */
export interface LambdaRoleSettings {
  /**
   * The role name: 1-64 characters of letters, digits and `+=,.@_-`. IAM role names are unique per
   * account across all regions, compared case-insensitively.
   */
  readonly name: string;
  /**
   * The role path: `/` or `/segment/.../`, at most 512 characters. The console puts roles it
   * creates for Lambda under `/service-role/`.
   * @default "/service-role/"
   */
  readonly path?: string;
  /**
   * ARNs of the Secrets Manager secrets the role may read. When empty, the role may read every
   * secret whose name starts with `secretNamePrefix`.
   * @default []
   */
  readonly secretArns?: readonly string[];
  /**
   * Name prefix of the secrets the role may read when `secretArns` is empty: letters, digits and
   * `/_+=.@-`, 1-512 characters. Required by the construct when `secretArns` is empty.
   * @default "<environment>/" in the config
   */
  readonly secretNamePrefix?: string;
  /**
   * Attach `AWSLambdaVPCAccessExecutionRole` as well, for functions that run in a VPC (such as the
   * walk-through's functions behind a VPC interface endpoint).
   * @default false
   */
  readonly vpcAccess?: boolean;
}

/** Lambda role settings with defaults applied; `secretNamePrefix` may still be unset. */
export interface ResolvedLambdaRoleSettings {
  readonly name: string;
  readonly path: string;
  readonly secretArns: readonly string[];
  readonly secretNamePrefix?: string;
  readonly vpcAccess: boolean;
}

/** The ARN of one secret (the `-XXXXXX` suffix Secrets Manager adds may be written as `-??????` or `*`). */
export const SECRET_ARN =
  /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f):secretsmanager:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:secret:[A-Za-z0-9/_+=.@?*-]{1,512}$/;

/** The Lambda role schema. */
export const lambdaRoleSchema: z.ZodType<ResolvedLambdaRoleSettings, LambdaRoleSettings> = strictObject({
  name: matching(/^[\w+=,.@-]{1,64}$/, 'is not a valid IAM role name; allowed: 1-64 letters, digits and +=,.@_-'),
  path: matching(
    /^\/([\u0021-\u007E]*\/)?$/,
    'is not a valid IAM path; expected "/" or "/segment/.../" (printable ASCII, starting and ending with "/")',
  )
    .refine((path) => path.length <= 512, { error: (issue) => `${show(issue.input)} is longer than 512 characters` })
    .default('/service-role/'),
  secretArns: z
    .array(
      matching(SECRET_ARN, 'is not a Secrets Manager secret ARN; expected arn:<partition>:secretsmanager:<region>:<account>:secret:<name>'),
      { error: (issue) => `expected a list of secret ARNs, got ${show(issue.input)}` },
    )
    .default([]),
  secretNamePrefix: matching(
    /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    'is not a valid secret name prefix; allowed: 1-512 letters, digits and /_+=.@-',
  ).optional(),
  vpcAccess: bool().default(false),
});

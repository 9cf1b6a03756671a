/**
 * The key policy the app deploys for an environment: synthesize the config into a temporary
 * directory (offline, well under a second) and render the key's `aws_iam_policy_document` from
 * that `cdk.tf.json`, with the real account id and key ARN in place of Terraform references.
 */
import type { AppConfig } from '../../config/schema';
import { LAMBDA_ROLE_SIDS } from '../../constructs/lambda-secrets-role';
import { type PolicyDocument, statementsOf } from '../../policy/render';
import {
  policyDocumentBlock,
  policyDocumentNameOf,
  renderPolicyDocumentBlock,
  secretsKeyName,
  type SynthesizedStack,
  synthesizeStacks,
} from '../lib/synthesized';

const ACCOUNT_REFERENCE = 'data.aws_caller_identity.current.account_id';

/** Synthesizes every environment of `config` into a temporary directory and returns the named stack. */
export function synthesizeStack(config: AppConfig, environment: string): SynthesizedStack {
  const stack = synthesizeStacks(config).get(environment);
  if (!stack) throw new Error(`no environment "${environment}" in the config`);
  return stack;
}

/** The key policy of a synthesized stack with `accountId` and `keyArn` substituted. */
export function renderKeyPolicy(stack: SynthesizedStack, accountId: string, keyArn: string): PolicyDocument {
  // The secrets key: a stack with alerts has keys made only for alerts too.
  const address = secretsKeyName(stack);
  const key = (stack.resource?.aws_kms_key ?? {})[address];
  const name = policyDocumentNameOf(key.policy);
  if (!name) throw new Error(`aws_kms_key.${address}.policy does not read an aws_iam_policy_document`);
  return renderPolicyDocumentBlock(policyDocumentBlock(stack, name), {
    [ACCOUNT_REFERENCE]: accountId,
    [`aws_kms_key.${address}.arn`]: keyArn,
  });
}

/**
 * The ARN patterns of the secrets the Lambda role `roleName` reads, as synthesized, with `accountId`
 * substituted: the resources of the `ReadSecrets` statement (`secretsmanager:GetSecretValue`) in the
 * role's `aws_iam_role_policy`. The app puts the same patterns in the role's
 * `kms:EncryptionContext:SecretARN` conditions, so they are what the key may be used for.
 */
export function renderLambdaRoleSecretArnPatterns(stack: SynthesizedStack, roleName: string, accountId: string): string[] {
  const roles = Object.entries(stack.resource?.aws_iam_role ?? {}).filter(([, role]) => role.name === roleName);
  if (roles.length !== 1) throw new Error(`expected one aws_iam_role named ${roleName} in the stack, found ${roles.length}`);
  const [address] = roles[0];
  const ownRole = new Set([`\${aws_iam_role.${address}.name}`, `\${aws_iam_role.${address}.id}`, roleName]);
  const sid = LAMBDA_ROLE_SIDS.readSecrets;
  for (const [policyAddress, rolePolicy] of Object.entries(stack.resource?.aws_iam_role_policy ?? {})) {
    if (!ownRole.has(rolePolicy.role as string)) continue;
    const name = policyDocumentNameOf(rolePolicy.policy);
    if (!name) throw new Error(`aws_iam_role_policy.${policyAddress}.policy does not read an aws_iam_policy_document`);
    const statement = policyDocumentBlock(stack, name).statement?.find((s) => s.sid === sid);
    if (!statement) continue;
    // Only this statement is rendered: the document's KMS statement names the key's ARN, which is not needed here.
    const [readSecrets] = statementsOf(renderPolicyDocumentBlock({ statement: [statement] }, { [ACCOUNT_REFERENCE]: accountId }));
    const resources = readSecrets.Resource === undefined ? [] : [readSecrets.Resource].flat();
    if (resources.length === 0) throw new Error(`statement ${sid} of data.aws_iam_policy_document.${name} has no resources`);
    return resources;
  }
  throw new Error(`no aws_iam_role_policy of aws_iam_role.${address} has a ${sid} statement`);
}

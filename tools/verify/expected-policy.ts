/**
 * The key policy the app deploys for an environment: synthesize the config into a temporary
 * directory (offline, well under a second) and render the key's `aws_iam_policy_document` from
 * that `cdk.tf.json`, with the real account id and key ARN in place of Terraform references.
 */
import type { AppConfig } from '../../config/schema';
import type { PolicyDocument } from '../../policy/render';
import { policyDocumentBlock, policyDocumentNameOf, renderPolicyDocumentBlock, type SynthesizedStack, synthesizeStacks } from '../lib/synthesized';

/** Synthesizes every environment of `config` into a temporary directory and returns the named stack. */
export function synthesizeStack(config: AppConfig, environment: string): SynthesizedStack {
  const stack = synthesizeStacks(config).get(environment);
  if (!stack) throw new Error(`no environment "${environment}" in the config`);
  return stack;
}

/** The key policy of a synthesized stack with `accountId` and `keyArn` substituted. */
export function renderKeyPolicy(stack: SynthesizedStack, accountId: string, keyArn: string): PolicyDocument {
  const keys = Object.entries(stack.resource?.aws_kms_key ?? {});
  if (keys.length !== 1) throw new Error(`expected one aws_kms_key in the stack, found ${keys.length}`);
  const [address, key] = keys[0];
  const name = policyDocumentNameOf(key.policy);
  if (!name) throw new Error(`aws_kms_key.${address}.policy does not read an aws_iam_policy_document`);
  return renderPolicyDocumentBlock(policyDocumentBlock(stack, name), {
    'data.aws_caller_identity.current.account_id': accountId,
    [`aws_kms_key.${address}.arn`]: keyArn,
  });
}

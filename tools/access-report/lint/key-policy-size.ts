/** KMS refuses key policies over 32 KB. */
import type { LintCheck } from './check';

/** The largest key policy KMS accepts, in bytes. */
export const KEY_POLICY_MAX_BYTES = 32 * 1024;

/** Flags a key policy larger than KMS accepts (measured compact, as Terraform sends it). */
export const keyPolicySize: LintCheck = ({ rendered }) => {
  const bytes = Buffer.byteLength(JSON.stringify(rendered.key.policy), 'utf8');
  return bytes < KEY_POLICY_MAX_BYTES
    ? []
    : [{ check: 'key-policy-size', where: rendered.key.address, message: `the key policy is ${bytes} bytes; KMS allows at most ${KEY_POLICY_MAX_BYTES}` }];
};

/** KMS refuses key policies over 32 KB; measured as synth measures it (policy/size.ts). */
import { keyPolicySizeProblem, policyBytes } from '../../../policy/size';
import type { LintCheck } from './check';

/** Flags a key policy larger than KMS accepts. */
export const keyPolicySize: LintCheck = ({ rendered }) => {
  const problem = keyPolicySizeProblem(policyBytes(rendered.key.policy));
  return problem ? [{ check: 'key-policy-size', where: rendered.key.address, message: problem }] : [];
};

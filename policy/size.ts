/**
 * How big a key policy is as KMS receives it, and the limit KMS sets. Synth (which refuses a policy
 * over the limit) and the access report's lint measure with these same functions.
 *
 * The provider sends the policy the `aws_iam_policy_document` data source renders, normalised with
 * Go's `json.Marshal`: compact, object keys sorted, and every single-item list written as a plain
 * string (the data source does that for actions, resources, principals and condition values). The
 * size is that text's UTF-8 byte count.
 */
import type { AwsStatement, PolicyDocument } from './render';
import { statementsOf } from './render';

/** The largest key policy KMS accepts, in bytes: 32 KB. */
export const KEY_POLICY_MAX_BYTES = 32_768;

/**
 * A stand-in account id for measuring a policy whose account Terraform fills in at plan time
 * (`aws_caller_identity`): every account id has 12 digits, so the size is exact.
 */
export const ACCOUNT_ID_STAND_IN = '123456789012';

const single = (value: string | string[]): string | string[] => (Array.isArray(value) && value.length === 1 ? value[0] : value);

/** Sorts an object's keys (Go's json.Marshal of a map does). */
function sorted<T>(record: Record<string, T>, map: (value: T) => unknown = (v) => v): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) out[key] = map(record[key]);
  return out;
}

function providerStatement(statement: AwsStatement): Record<string, unknown> {
  const out: Record<string, unknown> = { ...statement, Action: single(statement.Action) };
  if (statement.Resource !== undefined) out.Resource = single(statement.Resource);
  if (statement.Principal !== undefined && statement.Principal !== '*') out.Principal = sorted(statement.Principal, single);
  if (statement.Condition !== undefined) out.Condition = sorted(statement.Condition, (byKey) => sorted(byKey, single));
  return sorted(out);
}

/**
 * The policy as the provider sends it to KMS: compact JSON, keys sorted, single-item lists as
 * strings, and `<`, `>`, `&`, U+2028 and U+2029 escaped as json.Marshal escapes them.
 */
export function providerPolicyJson(document: PolicyDocument): string {
  return JSON.stringify(sorted({ ...document, Statement: statementsOf(document).map(providerStatement) })).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The policy's size in bytes as KMS counts it. */
export function policyBytes(document: PolicyDocument): number {
  return Buffer.byteLength(providerPolicyJson(document), 'utf8');
}

/** Why KMS would refuse a key policy of `bytes` bytes, or undefined when it fits. */
export function keyPolicySizeProblem(bytes: number): string | undefined {
  return bytes > KEY_POLICY_MAX_BYTES ? `the key policy would be ${bytes} bytes; KMS allows at most ${KEY_POLICY_MAX_BYTES}` : undefined;
}

/**
 * Compares the deployed key policy with the expected one after `normalizePolicy`, statement by
 * statement (matched by Sid, else by position, so statement order does not count), and says what differs in a few lines.
 */
import { type AwsStatement, normalizePolicy, type PolicyDocument } from '../../policy/render';

/** Lines describing how `deployed` differs from `expected`; empty when they are equal. The policy `Id` is ignored. */
export function diffPolicies(expected: PolicyDocument | string, deployed: PolicyDocument | string): string[] {
  const want = normalizePolicy(expected);
  const have = normalizePolicy(deployed);
  const lines: string[] = [];
  if (want.Version !== have.Version) lines.push(`Version: expected ${want.Version}, deployed ${have.Version}`);
  const label = (s: AwsStatement, i: number) => s.Sid ?? `#${i + 1}`;
  const wanted = new Map(want.Statement.map((s, i) => [label(s, i), s]));
  const had = new Map(have.Statement.map((s, i) => [label(s, i), s]));
  for (const [sid, statement] of wanted) {
    const other = had.get(sid);
    if (!other) {
      lines.push(`- statement ${sid} is missing from the deployed policy: ${JSON.stringify(statement)}`);
      continue;
    }
    for (const field of ['Effect', 'Principal', 'Action', 'Resource', 'Condition'] as const) {
      const a = JSON.stringify(statement[field] ?? null);
      const b = JSON.stringify(other[field] ?? null);
      if (a !== b) lines.push(`~ statement ${sid} ${field}: expected ${a}, deployed ${b}`);
    }
  }
  for (const [sid, statement] of had) {
    if (!wanted.has(sid)) lines.push(`+ statement ${sid} is in the deployed policy only: ${JSON.stringify(statement)}`);
  }
  return lines;
}

/** IAM unique ids (`AROA...`, `AIDA...`) standing where an ARN was: the principal was deleted after the policy was set. */
export function orphanedPrincipals(deployed: PolicyDocument | string): string[] {
  const doc = normalizePolicy(deployed);
  const ids = doc.Statement.flatMap((s) => (s.Principal && s.Principal !== '*' ? Object.values(s.Principal).flat() : []));
  return [...new Set(ids.filter((id) => /^A[A-Z]{3}[A-Z0-9]{12,}$/.test(id)))];
}

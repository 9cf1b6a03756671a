/**
 * Renders model statements to AWS policy JSON, and normalises AWS policy JSON from any source
 * (this renderer, Terraform's `aws_iam_policy_document`, KMS's `GetKeyPolicy`) so that two
 * renderings of the same policy compare equal.
 */
import type { PolicyStatement } from './statement';

/** A policy document as AWS reads it. */
export interface PolicyDocument {
  Version: string;
  Id?: string;
  Statement: AwsStatement[];
}

/** One statement as AWS reads it; single values may be strings or lists. */
export interface AwsStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** The policy language version every document here uses. */
export const POLICY_VERSION = '2012-10-17';

/** AWS policy JSON for the statements, lists kept as lists. */
export function renderPolicy(statements: readonly PolicyStatement[]): PolicyDocument {
  return {
    Version: POLICY_VERSION,
    Statement: statements.map((s) => {
      const out: AwsStatement = { Sid: s.sid, Effect: s.effect, Action: [...s.actions] };
      if (s.resources) out.Resource = [...s.resources];
      if (s.principals && s.principals.length > 0) {
        const principal: Record<string, string[]> = {};
        for (const p of s.principals) principal[p.type] = [...(principal[p.type] ?? []), ...p.identifiers];
        out.Principal = principal;
      }
      if (s.conditions && s.conditions.length > 0) {
        const condition: Record<string, Record<string, string[]>> = {};
        for (const c of s.conditions) {
          condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: [...c.values] };
        }
        out.Condition = condition;
      }
      return out;
    }),
  };
}

/** A document's statements as a list: AWS also accepts a single statement object. */
export function statementsOf(document: PolicyDocument): AwsStatement[] {
  return Array.isArray(document.Statement) ? document.Statement : [document.Statement];
}

const asSortedList = (value: string | string[]): string[] => (Array.isArray(value) ? [...value] : [value]).sort();

function sortKeys<T>(record: Record<string, T>, map: (value: T) => T): Record<string, T> {
  return Object.fromEntries(
    Object.keys(record)
      .sort()
      .map((k) => [k, map(record[k])]),
  );
}

/**
 * A canonical form for comparing policies: every list sorted, single values as one-item lists,
 * object keys sorted, statements kept in their order (order carries no meaning to AWS, but a
 * changed order is worth seeing in a diff). `Principal: "*"` becomes `{ AWS: ["*"] }`, as AWS treats both alike.
 */
export function normalizePolicy(policy: PolicyDocument | string): PolicyDocument {
  const doc: PolicyDocument = typeof policy === 'string' ? JSON.parse(policy) : policy;
  const statements = statementsOf(doc);
  const normal: PolicyDocument = {
    Version: doc.Version,
    Statement: statements.map((s) => {
      const out: AwsStatement = { Effect: s.Effect, Action: asSortedList(s.Action) };
      if (s.Resource !== undefined) out.Resource = asSortedList(s.Resource);
      if (s.Sid) out.Sid = s.Sid;
      if (s.Principal !== undefined) {
        out.Principal = s.Principal === '*' ? { AWS: ['*'] } : sortKeys(s.Principal, asSortedList);
      }
      if (s.Condition && Object.keys(s.Condition).length > 0) {
        out.Condition = sortKeys(s.Condition, (byKey) => sortKeys(byKey, asSortedList));
      }
      return sortKeys(out as unknown as Record<string, unknown>, (v) => v) as unknown as AwsStatement;
    }),
  };
  if (doc.Id) normal.Id = doc.Id;
  return normal;
}

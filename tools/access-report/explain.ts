/**
 * Why a cell came out as it did, in words: the key-policy statement that names the principal, or
 * "delegated to IAM by the account-root statement" plus the identity-policy statement, or what
 * was missing (a statement whose condition was not met, no IAM policy behind the delegation, ...).
 */
import type { RequestAnalysis } from '@cloud-copilot/iam-simulate';
import type { AwsStatement } from '../../policy/render';
import type { BoundDocument } from './encryption-context';
import type { GrantPath } from './types';

type StatementAnalysis = NonNullable<RequestAnalysis['resourceAnalysis']>['allowStatements'][number];

/** The documents the analysis refers to, so that statements can be named as in the original policies. */
export interface ExplainSources {
  readonly keyPolicy: BoundDocument;
  /** Identity policies by name. */
  readonly identityPolicies: ReadonlyMap<string, BoundDocument>;
  /** The key's account: its root statement is "the account-root statement". */
  readonly accountId: string;
}

/** A cell's path and reason. */
export interface Explanation {
  readonly grantPath: GrantPath;
  readonly why: string;
}

function statementOf(document: BoundDocument, analysis: StatementAnalysis): { label: string; statement: AwsStatement | undefined } {
  const index = analysis.statement.index();
  const statements = document.document.Statement;
  const statement = statements[index - 1];
  const label = statement?.Sid ?? `statement #${document.originalIndex[index - 1] ?? index}`;
  return { label, statement };
}

function keyLabel(sources: ExplainSources, analysis: StatementAnalysis): string {
  return statementOf(sources.keyPolicy, analysis).label;
}

function identityLabel(sources: ExplainSources, analysis: StatementAnalysis): string {
  const document = sources.identityPolicies.get(analysis.policyId);
  return `${analysis.policyId} ${document ? statementOf(document, analysis).label : `statement #${analysis.statement.index()}`}`;
}

function conditionText(statement: AwsStatement | undefined): string {
  const parts = Object.entries(statement?.Condition ?? {}).flatMap(([operator, byKey]) =>
    Object.entries(byKey).map(([key, values]) => `${operator} ${key} ${[values].flat().join('|')}`),
  );
  return parts.join(' and ');
}

const namesPrincipal = (s: StatementAnalysis) => s.principalMatch !== 'NoMatch' && s.principalMatch !== 'AccountLevelMatch';
const namesAccount = (s: StatementAnalysis) => s.principalMatch === 'AccountLevelMatch';
const appliesButCondition = (s: StatementAnalysis) =>
  s.actionMatch && s.resourceMatch && s.principalMatch !== 'NoMatch' && s.conditionMatch === 'NoMatch';

function accountStatementName(sources: ExplainSources, s: StatementAnalysis): string {
  const { statement, label } = statementOf(sources.keyPolicy, s);
  const principals = statement?.Principal === '*' ? ['*'] : Object.values(statement?.Principal ?? {}).flat();
  const ownRoot = principals.some((p) => p === sources.accountId || p.endsWith(`::${sources.accountId}:root`));
  return ownRoot ? `the account-root statement ${label}` : `the account statement ${label}`;
}

/** Explains an evaluated request. */
export function explain(analysis: RequestAnalysis, sources: ExplainSources): Explanation {
  const resource = analysis.resourceAnalysis;
  const identity = analysis.identityAnalysis;
  const identityAllows = identity?.allowStatements ?? [];
  if (analysis.result === 'Allowed') {
    const direct = (resource?.allowStatements ?? []).filter(namesPrincipal);
    if (direct.length > 0) {
      return { grantPath: 'key-policy', why: `key policy ${direct.map((s) => keyLabel(sources, s)).join(', ')}` };
    }
    const account = (resource?.allowStatements ?? []).filter(namesAccount);
    const via = account.length > 0 ? accountStatementName(sources, account[0]) : 'the key policy';
    return {
      grantPath: 'iam-delegation',
      why: `delegated to IAM by ${via}; allowed by ${identityAllows.map((s) => identityLabel(sources, s)).join(', ') || 'an identity policy'}`,
    };
  }
  if (analysis.result === 'ExplicitlyDenied') {
    const denies = [
      ...(resource?.denyStatements ?? []).map((s) => `key policy ${keyLabel(sources, s)}`),
      ...(identity?.denyStatements ?? []).map((s) => identityLabel(sources, s)),
    ];
    return { grantPath: 'none', why: `explicitly denied by ${denies.join(', ')}` };
  }
  const unmetKey = (resource?.unmatchedStatements ?? []).filter(
    (s) => s.statement.isAllow() && appliesButCondition(s) && namesPrincipal(s),
  );
  if (unmetKey.length > 0) {
    const s = unmetKey[0];
    const { label, statement } = statementOf(sources.keyPolicy, s);
    return { grantPath: 'none', why: `key policy ${label} names it, but its condition is not met (${conditionText(statement)})` };
  }
  const delegating = (resource?.allowStatements ?? []).filter(namesAccount);
  if (delegating.length > 0) {
    const unmetIdentity = (identity?.unmatchedStatements ?? []).filter((s) => s.statement.isAllow() && appliesButCondition(s));
    const via = accountStatementName(sources, delegating[0]);
    if (unmetIdentity.length > 0) {
      const s = unmetIdentity[0];
      const document = sources.identityPolicies.get(s.policyId);
      const statement = document ? statementOf(document, s).statement : undefined;
      return {
        grantPath: 'none',
        why: `${via} delegates to IAM, but the condition of ${identityLabel(sources, s)} is not met (${conditionText(statement)})`,
      };
    }
    return { grantPath: 'none', why: `${via} delegates to IAM, but no identity policy allows it` };
  }
  if (identityAllows.length > 0) {
    return { grantPath: 'none', why: 'its IAM policy allows it, but no key-policy statement names it or its account' };
  }
  return { grantPath: 'none', why: 'no key-policy statement allows it' };
}

/**
 * Evaluates the matrix of one environment: every principal row x action x context, each cell with
 * its decision and the reason. Encryption-context conditions are decided by the report (see
 * `encryption-context.ts`): exactly for a cell that carries an encryption context, as a range of
 * two bounds for one that does not.
 */
import type { RequestAnalysis } from '@cloud-copilot/iam-simulate';
import { type PolicyDocument, statementsOf } from '../../policy/render';
import {
  type Bound,
  type BoundDocument,
  type ContextDocument,
  encryptionContextBound,
  forEncryptionContext,
  hasEncryptionContextCondition,
  hasEncryptionContextConditions,
} from './encryption-context';
import type { EncryptionContext } from './encryption-context-condition';
import { explain } from './explain';
import { contextVariables, MATRIX_ACTIONS, MATRIX_CONTEXTS } from './matrix';
import type { Placeholders } from './placeholders';
import { simulate } from './simulate';
import type { Cell, ContextId, PrincipalRow } from './types';

/** What one environment's evaluation needs. */
export interface MatrixInput {
  readonly keyPolicy: PolicyDocument;
  readonly rows: readonly PrincipalRow[];
  readonly placeholders: Placeholders;
  /** Actions to ask about. @default MATRIX_ACTIONS */
  readonly actions?: readonly string[];
  /** Contexts to ask in. @default MATRIX_CONTEXTS */
  readonly contexts?: readonly ContextId[];
}

interface Evaluated {
  readonly analysis: RequestAnalysis;
  readonly allowed: boolean;
  readonly grantPath: Cell['grantPath'];
  readonly why: string;
}

/** One request against the given (already decided) documents. */
async function evaluateDocuments(
  input: MatrixInput,
  row: PrincipalRow,
  action: string,
  context: ContextId,
  keyPolicy: BoundDocument,
  identity: ReadonlyMap<string, BoundDocument>,
): Promise<Evaluated> {
  const analysis = await simulate({
    principal: row.arn,
    action,
    resourceArn: input.placeholders.keyArn,
    resourceAccountId: input.placeholders.accountId,
    contextVariables: contextVariables(row, context, input.placeholders),
    // A policy left with no statement allows nothing; the evaluator refuses empty documents.
    identityPolicies: [...identity].filter(([, b]) => b.document.Statement.length > 0).map(([name, b]) => ({ name, document: b.document })),
    resourcePolicy: keyPolicy.document,
  });
  const { grantPath, why } = explain(analysis, { keyPolicy, identityPolicies: identity, accountId: input.placeholders.accountId });
  return { analysis, allowed: analysis.result === 'Allowed', grantPath, why };
}

interface EvaluatedBound extends Evaluated {
  readonly keyPolicy: BoundDocument;
  readonly identity: ReadonlyMap<string, BoundDocument>;
}

async function evaluateBound(
  input: MatrixInput,
  row: PrincipalRow,
  action: string,
  context: ContextId,
  bound: Bound,
): Promise<EvaluatedBound> {
  const keyPolicy = encryptionContextBound(input.keyPolicy, bound);
  const identity = new Map<string, BoundDocument>(row.identityPolicies.map((p) => [p.name, encryptionContextBound(p.document, bound)]));
  return { ...(await evaluateDocuments(input, row, action, context, keyPolicy, identity)), keyPolicy, identity };
}

/**
 * True when the least-permissive bound is sure to give the most-permissive answer, so that it need
 * not be evaluated: no Deny statement tests the encryption context (the least bound adds none), and
 * either nothing allowed the request (the least bound only removes Allow statements) or none of the
 * Allow statements that matched tests it (the least bound keeps them all). This keeps the matrix's
 * cost near one evaluation per cell when only a grant or two has such conditions.
 */
function leastBoundFollows(input: MatrixInput, row: PrincipalRow, most: EvaluatedBound): boolean {
  const documents = [input.keyPolicy, ...row.identityPolicies.map((p) => p.document)];
  if (documents.some((d) => statementsOf(d).some((s) => s.Effect === 'Deny' && hasEncryptionContextCondition(s)))) return false;
  if (!most.allowed) return true;
  const original = (document: PolicyDocument | undefined, bound: BoundDocument | undefined, index: number) =>
    document && bound ? statementsOf(document)[bound.originalIndex[index - 1] - 1] : undefined;
  const matched = [
    ...(most.analysis.resourceAnalysis?.allowStatements ?? []).map((s) => original(input.keyPolicy, most.keyPolicy, s.statement.index())),
    ...(most.analysis.identityAnalysis?.allowStatements ?? []).map((s) =>
      original(row.identityPolicies.find((p) => p.name === s.policyId)?.document, most.identity.get(s.policyId), s.statement.index()),
    ),
  ];
  return matched.length > 0 && matched.every((s) => s !== undefined && !hasEncryptionContextCondition(s));
}

/**
 * Why a request with a concrete encryption context was denied when the statements that would allow
 * it lost to their encryption-context conditions: those statements and the conditions not met.
 * Undefined when the encryption context is not what denies it.
 */
async function unmetContextReason(
  input: MatrixInput,
  row: PrincipalRow,
  action: string,
  context: ContextId,
  keyPolicy: ContextDocument,
  identity: ReadonlyMap<string, ContextDocument>,
): Promise<string | undefined> {
  const most = await evaluateBound(input, row, action, context, 'most-permissive');
  if (!most.allowed) return undefined;
  const reasons = [
    ...(most.analysis.resourceAnalysis?.allowStatements ?? []).flatMap((s) => {
      const original = most.keyPolicy.originalIndex[s.statement.index() - 1];
      return keyPolicy.unmet
        .filter((u) => u.originalIndex === original)
        .map((u) => `key policy ${u.label} would allow it, but ${u.reason}`);
    }),
    ...(most.analysis.identityAnalysis?.allowStatements ?? []).flatMap((s) => {
      const original = most.identity.get(s.policyId)?.originalIndex[s.statement.index() - 1];
      return (identity.get(s.policyId)?.unmet ?? [])
        .filter((u) => u.originalIndex === original)
        .map((u) => `${s.policyId} ${u.label} would allow it, but ${u.reason}`);
    }),
  ];
  return reasons.length > 0 ? `not for this encryption context: ${reasons.join('; ')}` : undefined;
}

/** Evaluates one cell for a concrete encryption context: exact, never Conditional. */
async function evaluateWithContext(
  input: MatrixInput,
  row: PrincipalRow,
  action: string,
  context: ContextId,
  encryptionContext: EncryptionContext,
): Promise<Cell> {
  const base = { principal: row.label, action, context, encryptionContext };
  const keyPolicy = forEncryptionContext(input.keyPolicy, encryptionContext);
  const identity = new Map<string, ContextDocument>(
    row.identityPolicies.map((p) => [p.name, forEncryptionContext(p.document, encryptionContext)]),
  );
  const exact = await evaluateDocuments(input, row, action, context, keyPolicy, identity);
  if (exact.allowed) return { ...base, decision: 'Allowed', grantPath: exact.grantPath, why: exact.why };
  const unmet =
    exact.analysis.result === 'ExplicitlyDenied' ? undefined : await unmetContextReason(input, row, action, context, keyPolicy, identity);
  return { ...base, decision: 'Denied', grantPath: 'none', why: unmet ?? exact.why };
}

/**
 * Evaluates one cell. With an encryption context, its conditions are decided exactly; without one,
 * twice (both bounds) when a policy involved tests the encryption context.
 */
export async function evaluateCell(
  input: MatrixInput,
  row: PrincipalRow,
  action: string,
  context: ContextId,
  encryptionContext?: EncryptionContext,
): Promise<Cell> {
  if (encryptionContext !== undefined) return evaluateWithContext(input, row, action, context, encryptionContext);
  const base = { principal: row.label, action, context };
  const documents = [input.keyPolicy, ...row.identityPolicies.map((p) => p.document)];
  const most = await evaluateBound(input, row, action, context, 'most-permissive');
  if (!documents.some(hasEncryptionContextConditions)) {
    return { ...base, decision: most.allowed ? 'Allowed' : 'Denied', grantPath: most.grantPath, why: most.why };
  }
  if (leastBoundFollows(input, row, most)) {
    return { ...base, decision: most.allowed ? 'Allowed' : 'Denied', grantPath: most.grantPath, why: most.why };
  }
  const least = await evaluateBound(input, row, action, context, 'least-permissive');
  if (most.allowed === least.allowed) {
    return { ...base, decision: most.allowed ? 'Allowed' : 'Denied', grantPath: most.grantPath, why: most.why };
  }
  return {
    ...base,
    decision: 'Conditional',
    grantPath: most.grantPath,
    why: `${most.why}, only for some encryption contexts (kms:EncryptionContext conditions decide, and a matrix cell carries no encryption context)`,
  };
}

/** Evaluates every cell of the matrix, row by row, action by action, context by context. */
export async function evaluateMatrix(input: MatrixInput): Promise<Cell[]> {
  const cells: Cell[] = [];
  for (const row of input.rows) {
    for (const action of input.actions ?? MATRIX_ACTIONS) {
      for (const context of input.contexts ?? MATRIX_CONTEXTS) {
        cells.push(await evaluateCell(input, row, action, context));
      }
    }
  }
  return cells;
}

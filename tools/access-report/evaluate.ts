/**
 * Evaluates the matrix of one environment: every principal row x action x context, each cell with
 * its decision and the reason. Encryption-context conditions are handled by evaluating both bounds
 * (see `encryption-context.ts`).
 */
import type { PolicyDocument } from '../../policy/render';
import { type Bound, encryptionContextBound, hasEncryptionContextConditions, type BoundDocument } from './encryption-context';
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

interface BoundResult {
  readonly allowed: boolean;
  readonly grantPath: Cell['grantPath'];
  readonly why: string;
}

async function evaluateBound(input: MatrixInput, row: PrincipalRow, action: string, context: ContextId, bound: Bound): Promise<BoundResult> {
  const keyPolicy = encryptionContextBound(input.keyPolicy, bound);
  const identity = new Map<string, BoundDocument>(row.identityPolicies.map((p) => [p.name, encryptionContextBound(p.document, bound)]));
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
  return { allowed: analysis.result === 'Allowed', grantPath, why };
}

/** Evaluates one cell, twice when a policy involved tests the encryption context. */
export async function evaluateCell(input: MatrixInput, row: PrincipalRow, action: string, context: ContextId): Promise<Cell> {
  const base = { principal: row.label, action, context };
  const documents = [input.keyPolicy, ...row.identityPolicies.map((p) => p.document)];
  const most = await evaluateBound(input, row, action, context, 'most-permissive');
  if (!documents.some(hasEncryptionContextConditions)) {
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
    why: `${most.why}, only for some encryption contexts (kms:EncryptionContext conditions decide; the evaluator cannot test them)`,
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

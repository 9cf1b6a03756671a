/**
 * One request through `@cloud-copilot/iam-simulate` (AGPL-3.0; a development tool here, never
 * imported by the constructs or the app) in Strict mode: missing context keys count as missing,
 * never as "could be anything". `runSimulation` is used, never `runUnsafeSimulation`, which crashes
 * when given a resource policy. Any `error` result or ignored context key stops the report.
 */
import { anonymousPrincipal, runSimulation, type RequestAnalysis } from '@cloud-copilot/iam-simulate';
import type { PolicyDocument } from '../../policy/render';
import type { NamedPolicy } from './types';

/** One request to evaluate. */
export interface SimulationInput {
  /** Caller ARN, or undefined for an anonymous request. */
  readonly principal: string | undefined;
  readonly action: string;
  readonly resourceArn: string;
  readonly resourceAccountId: string;
  readonly contextVariables: Readonly<Record<string, string>>;
  readonly identityPolicies: readonly NamedPolicy[];
  /** The resource's policy, if it has one. */
  readonly resourcePolicy?: PolicyDocument;
}

/** The evaluator could not evaluate a request as given; the report cannot be trusted. */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}

/** Evaluates one request; throws EvaluationError on an `error` result or any ignored context key. */
export async function simulate(input: SimulationInput): Promise<RequestAnalysis> {
  const who = input.principal ?? 'anonymous';
  const result = await runSimulation(
    {
      request: {
        principal: input.principal ?? anonymousPrincipal,
        action: input.action,
        resource: { resource: input.resourceArn, accountId: input.resourceAccountId },
        contextVariables: { ...input.contextVariables },
      },
      identityPolicies: input.identityPolicies.map((p) => ({ name: p.name, policy: p.document })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: input.resourcePolicy,
    },
    { simulationMode: 'Strict' },
  );
  if (result.resultType === 'error') {
    throw new EvaluationError(`the evaluator refused ${input.action} by ${who}: ${JSON.stringify(result.errors)}`);
  }
  const single = result.resultType === 'single' ? result.result : result.results.length === 1 ? result.results[0] : undefined;
  if (single === undefined) {
    throw new EvaluationError(
      `${input.action} by ${who}: expected one result for ${input.resourceArn}, got ${result.resultType === 'wildcard' ? result.results.length : 0}`,
    );
  }
  const ignored = single.ignoredContextKeys ?? [];
  if (ignored.length > 0) {
    throw new EvaluationError(
      `${input.action} by ${who}: the evaluator ignored the context keys ${ignored.join(', ')}, so the answer would be wrong`,
    );
  }
  return single.analysis;
}

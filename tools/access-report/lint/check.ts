/** The shape every lint check has, and helpers to walk policies. */
import type { EnvironmentConfig } from '../../../config/schema';
import { type AwsStatement, type PolicyDocument, statementsOf } from '../../../policy/render';
import type { RenderedEnvironment } from '../rendered-policies';
import type { LintProblem } from '../types';

/** What a check sees: the rendered policies and the environment's config. */
export interface LintInput {
  readonly rendered: RenderedEnvironment;
  readonly environment: EnvironmentConfig;
  /** The account the policies were rendered with. */
  readonly accountId: string;
}

/** A lint check: every problem it finds (none when the policies pass). */
export type LintCheck = (input: LintInput) => Promise<LintProblem[]> | LintProblem[];

/** A policy with a name for messages. */
export interface LabelledPolicy {
  readonly where: string;
  readonly document: PolicyDocument;
  readonly identity: boolean;
}

/**
 * Every policy the report evaluates: the key policy, each role's inline policies, then the policy of
 * the key made only for alerts that the report evaluates (the primary region's; the others have the
 * same statements, see `alert-key-policies-agree`).
 */
export function policiesOf(rendered: RenderedEnvironment): LabelledPolicy[] {
  const alertKey = rendered.alertKeys[0];
  return [
    { where: `key policy (${rendered.key.policySource})`, document: rendered.key.policy, identity: false },
    ...rendered.roles.flatMap((role) => role.inlinePolicies.map((p) => ({ where: p.name, document: p.document, identity: true }))),
    ...(alertKey ? [{ where: `alert key policy (${alertKey.policySource})`, document: alertKey.policy, identity: false }] : []),
  ];
}

/** The statements of a document with their labels (`Sid` or `statement #n`). */
export function labelledStatements(document: PolicyDocument): { label: string; statement: AwsStatement }[] {
  return statementsOf(document).map((statement, i) => ({ label: statement.Sid ?? `statement #${i + 1}`, statement }));
}

/** A value that may be a string or a list, as a list. */
export function asList<T>(value: T | readonly T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? [...(value as T[])] : [value as T];
}

/**
 * The report of one environment: render the policies from the synthesized stack, lint them,
 * evaluate the matrix and the cells by secret, apply the risk rules and, given a plan, compare the
 * planned key policy.
 */
import { performance } from 'node:perf_hooks';
import type { EnvironmentConfig } from '../../config/schema';
import type { SynthesizedStack } from '../lib/synthesized';
import { evaluateMatrix } from './evaluate';
import { lint } from './lint';
import { principalRows } from './matrix';
import { placeholdersFor, type Placeholders } from './placeholders';
import { comparePolicies, planFile, plannedAccountId, plannedKeyPolicy, type PlanComparison, readPlan } from './plan-check';
import { placeholderSubstitutions, renderEnvironment, renderKey, type RenderedEnvironment } from './rendered-policies';
import { assessCells, assessSecretCells } from './risk';
import { appRoleReadsEverySecret } from './rules/app-role-reads-every-secret';
import { evaluateSecretCells, secretReaders } from './secret-cells';
import { probeSecretAccess, type SecretProbe } from './secret-probes';
import { secretsManagerGrantees } from './secrets-manager-grantees';
import type { AssessedCell, AssessedSecretCell, LintProblem, PrincipalKind, RiskFinding } from './types';

/** Options of a report run. */
export interface ReportOptions {
  /** Count cells allowed only through IAM delegation as risky. */
  readonly strict: boolean;
  /** Folder holding `<env>.plan.json` files to compare the key policy with. */
  readonly planDir?: string;
}

/** Everything the report says about one environment. */
export interface EnvironmentReport {
  readonly environment: string;
  /** The placeholders the policies were evaluated with. */
  readonly placeholders: Placeholders;
  /** True when the config has no accountId and the account is the example one. */
  readonly placeholderAccount: boolean;
  readonly rows: readonly { readonly label: string; readonly kind: PrincipalKind; readonly arn: string | undefined }[];
  readonly lint: readonly LintProblem[];
  /** Empty when lint found problems: the policies are not evaluated then. */
  readonly cells: readonly AssessedCell[];
  readonly riskyCells: number;
  /**
   * Each reader of secrets (app roles, Secrets Manager grantees, key users) asked for Decrypt and
   * GenerateDataKey via Secrets Manager with the encryption context of one of its own secrets and of
   * a secret of no config; exact. Empty when lint found problems.
   */
  readonly secretCells: readonly AssessedSecretCell[];
  readonly riskySecretCells: number;
  /** Findings shown but never counted (key users not bound to secrets). */
  readonly notes: readonly RiskFinding[];
  /** Each app role asked for secrets of no config; empty when lint found problems. */
  readonly secretProbes: readonly SecretProbe[];
  /** What `app-role-reads-every-secret` found in the probes. */
  readonly secretFindings: readonly { readonly rule: string; readonly message: string }[];
  readonly waivedCells: number;
  readonly plan?: PlanComparison;
  /** Wall time of the evaluation (matrix, cells by secret, GetSecretValue probes), in milliseconds. */
  readonly evaluationMs: number;
  /** No lint problem, no risky cell (by secret or not), no app role able to read every secret, and the plan (if given) agrees. */
  readonly ok: boolean;
}

function comparePlan(stack: SynthesizedStack, placeholders: Placeholders, rendered: RenderedEnvironment, environment: EnvironmentConfig, dir: string): PlanComparison {
  const file = planFile(dir, environment.name);
  const plan = readPlan(file);
  const planned = plannedKeyPolicy(plan, rendered.key.address, file);
  const accountId = environment.accountId ?? plannedAccountId(plan) ?? placeholders.accountId;
  const forPlan = accountId === placeholders.accountId ? rendered.key : renderKey(stack, placeholderSubstitutions(stack, { ...placeholders, accountId }));
  return comparePolicies(file, forPlan.policy, planned);
}

/** The report of one environment from its synthesized stack. */
export async function reportEnvironment(environment: EnvironmentConfig, stack: SynthesizedStack, options: ReportOptions): Promise<EnvironmentReport> {
  const placeholders = placeholdersFor(environment);
  const rendered = renderEnvironment(stack, placeholders);
  const grantees = secretsManagerGrantees(rendered.key.policy, placeholders.region);
  const rows = principalRows(environment, rendered.roles, placeholders, grantees);
  const problems = await lint({ rendered, environment, accountId: placeholders.accountId });
  const input = { keyPolicy: rendered.key.policy, rows, placeholders };
  const started = performance.now();
  const cells = problems.length > 0 ? [] : assessCells(await evaluateMatrix(input), rows, { accountId: placeholders.accountId, strict: options.strict });
  const secretCells =
    problems.length > 0 ? [] : assessSecretCells(await evaluateSecretCells(input, secretReaders(environment, rows, grantees, placeholders)), rows);
  const secretProbes = problems.length > 0 ? [] : await probeSecretAccess(rows, placeholders);
  const evaluationMs = performance.now() - started;
  const secretFindings = secretProbes.flatMap((probe) => {
    const message = appRoleReadsEverySecret(probe);
    return message === undefined ? [] : [{ rule: 'app-role-reads-every-secret', message }];
  });
  const plan = options.planDir === undefined ? undefined : comparePlan(stack, placeholders, rendered, environment, options.planDir);
  const riskyCells = cells.filter((c) => c.risky).length;
  const riskySecretCells = secretCells.filter((c) => c.risky).length;
  return {
    environment: environment.name,
    placeholders,
    placeholderAccount: environment.accountId === undefined,
    rows: rows.map(({ label, kind, arn }) => ({ label, kind, arn })),
    lint: problems,
    cells,
    riskyCells,
    secretCells,
    riskySecretCells,
    notes: secretCells.flatMap((c) => c.notes),
    secretProbes,
    secretFindings,
    waivedCells: cells.filter((c) => c.waived).length,
    plan,
    evaluationMs,
    ok: problems.length === 0 && riskyCells === 0 && riskySecretCells === 0 && secretFindings.length === 0 && (plan === undefined || plan.agrees),
  };
}

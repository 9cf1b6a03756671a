/**
 * The report of one environment: render the policies and read the KMS grants from the synthesized
 * stack, lint them, evaluate the matrix and the cells by secret, apply the risk rules (the grant
 * rules to the grants, which KMS evaluates outside IAM and key policies and the report does not
 * simulate; the key-policy rules to the statements as written), evaluate the key made only for
 * alerts when the stack has one and, given a plan, compare the planned key policy.
 */
import { performance } from 'node:perf_hooks';
import type { EnvironmentConfig } from '../../config/schema';
import type { SynthesizedStack } from '../lib/synthesized';
import { type AlertKeyReport, reportAlertKey } from './alert-key';
import { evaluateMatrix } from './evaluate';
import { lint } from './lint';
import { principalRows } from './matrix';
import { placeholdersFor, type Placeholders } from './placeholders';
import { comparePolicies, planFile, plannedAccountId, plannedKeyPolicy, type PlanComparison, readPlan } from './plan-check';
import { placeholderSubstitutions, renderEnvironment, renderKey, type RenderedEnvironment } from './rendered-policies';
import { assessCells, assessKeyPolicies, assessKmsGrants, assessSecretCells, kmsGrantRuleContext } from './risk';
import { SECRETS_KEY_POLICY_RULES } from './rules';
import { appRoleReadsEverySecret } from './rules/app-role-reads-every-secret';
import { evaluateSecretCells, secretReaders } from './secret-cells';
import { probeSecretAccess, type SecretProbe } from './secret-probes';
import { secretsManagerGrantees } from './secrets-manager-grantees';
import type { AssessedCell, AssessedKmsGrant, AssessedSecretCell, LintProblem, PolicyFinding, PrincipalKind, RiskFinding } from './types';

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
  /**
   * Every KMS grant of the stack with what the grant rules found. Listed and checked even when lint
   * found problems: they are read from the stack, not evaluated.
   */
  readonly kmsGrants: readonly AssessedKmsGrant[];
  readonly riskyKmsGrants: number;
  /**
   * Addresses of the multi-Region replica keys (`aws_kms_replica_key`), which the report does not
   * evaluate: their policies are the primary's with region-bound values moved to their regions.
   */
  readonly replicaKeys: readonly string[];
  /**
   * What the key-policy rules found in the statements of the secrets key's policy and its replicas'
   * (a service principal, say). Read as written, so checked even when lint found problems.
   */
  readonly keyPolicyFindings: readonly PolicyFinding[];
  /** The key made only for alerts (the primary region's); absent when the stack has none. */
  readonly alertKey?: AlertKeyReport;
  readonly plan?: PlanComparison;
  /** Wall time of the evaluation (matrix, cells by secret, GetSecretValue probes, the alert key's matrix), in milliseconds. */
  readonly evaluationMs: number;
  /**
   * No lint problem, no risky cell (by secret, of the alert key, or not), no risky KMS grant, no
   * key-policy finding, no app role able to read every secret, and the plan (if given) agrees.
   */
  readonly ok: boolean;
}

function comparePlan(
  stack: SynthesizedStack,
  placeholders: Placeholders,
  rendered: RenderedEnvironment,
  environment: EnvironmentConfig,
  dir: string,
): PlanComparison {
  const file = planFile(dir, environment.name);
  const plan = readPlan(file);
  const planned = plannedKeyPolicy(plan, rendered.key.address, file);
  const accountId = environment.accountId ?? plannedAccountId(plan) ?? placeholders.accountId;
  const forPlan =
    accountId === placeholders.accountId ? rendered.key : renderKey(stack, placeholderSubstitutions(stack, { ...placeholders, accountId }));
  return comparePolicies(file, forPlan.policy, planned);
}

/** The report of one environment from its synthesized stack. */
export async function reportEnvironment(
  environment: EnvironmentConfig,
  stack: SynthesizedStack,
  options: ReportOptions,
): Promise<EnvironmentReport> {
  const placeholders = placeholdersFor(environment);
  const rendered = renderEnvironment(stack, placeholders);
  const grantees = secretsManagerGrantees(rendered.key.policy, placeholders.region);
  const rows = principalRows(environment, rendered.roles, placeholders, grantees);
  const problems = await lint({ rendered, environment, accountId: placeholders.accountId });
  const input = { keyPolicy: rendered.key.policy, rows, placeholders };
  const ruleContext = { accountId: placeholders.accountId, strict: options.strict };
  const policyRuleContext = {
    partition: placeholders.partition,
    accountId: placeholders.accountId,
    administrators: environment.key.administrators,
  };
  const started = performance.now();
  const cells = problems.length > 0 ? [] : assessCells(await evaluateMatrix(input), rows, ruleContext);
  const secretCells =
    problems.length > 0
      ? []
      : assessSecretCells(await evaluateSecretCells(input, secretReaders(environment, rows, grantees, placeholders)), rows);
  const secretProbes = problems.length > 0 ? [] : await probeSecretAccess(rows, placeholders);
  const alertKey = await reportAlertKey({
    alertKeys: rendered.alertKeys,
    rows,
    placeholders,
    ruleContext,
    policyRuleContext,
    evaluate: problems.length === 0,
  });
  const evaluationMs = performance.now() - started;
  const keyPolicyFindings = assessKeyPolicies(
    [rendered.key, ...rendered.replicaKeys].map((k) => ({ where: `${k.address} (${k.policySource})`, policy: k.policy })),
    SECRETS_KEY_POLICY_RULES,
    policyRuleContext,
  );
  const secretFindings = secretProbes.flatMap((probe) => {
    const message = appRoleReadsEverySecret(probe);
    return message === undefined ? [] : [{ rule: 'app-role-reads-every-secret', message }];
  });
  const kmsGrants = assessKmsGrants(rendered.kmsGrants, kmsGrantRuleContext(environment, rendered.key.policy, rows));
  const riskyKmsGrants = kmsGrants.filter((g) => g.risky).length;
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
    kmsGrants,
    riskyKmsGrants,
    replicaKeys: rendered.replicaKeys.map((k) => k.address),
    keyPolicyFindings,
    alertKey,
    plan,
    evaluationMs,
    ok:
      problems.length === 0 &&
      riskyCells === 0 &&
      riskySecretCells === 0 &&
      riskyKmsGrants === 0 &&
      secretFindings.length === 0 &&
      keyPolicyFindings.length === 0 &&
      (alertKey === undefined || alertKey.ok) &&
      (plan === undefined || plan.agrees),
  };
}

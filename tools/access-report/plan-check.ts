/**
 * Compares the key policy Terraform computed (`terraform show -json` of a plan, written to
 * `<DIR>/<env>.plan.json`) with the report's rendering of the synthesized JSON, after
 * `normalizePolicy`. The rendering uses the plan's account so that both name the same ARNs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizePolicy, type PolicyDocument } from '../../policy/render';

/** The plan file of an environment. */
export function planFile(dir: string, environment: string): string {
  return join(dir, `${environment}.plan.json`);
}

/** A plan file that is missing or not shaped like `terraform show -json` output. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

interface PlanResource {
  readonly address?: string;
  readonly values?: Record<string, unknown>;
}

interface PlanJson {
  readonly planned_values?: { readonly root_module?: { readonly resources?: readonly PlanResource[] } };
  readonly prior_state?: { readonly values?: { readonly root_module?: { readonly resources?: readonly PlanResource[] } } };
}

/** Reads and parses a plan file; throws PlanFileError naming the file and what is wrong. */
export function readPlan(file: string): PlanJson {
  if (!existsSync(file)) throw new PlanFileError(`${file} does not exist; write it with \`terraform show -json\` of the environment's plan (npm run plan)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PlanJson;
  } catch (error) {
    throw new PlanFileError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The key policy Terraform computed: `planned_values.root_module.resources[address == keyAddress].values.policy`. */
export function plannedKeyPolicy(plan: PlanJson, keyAddress: string, file: string): string {
  const resource = plan.planned_values?.root_module?.resources?.find((r) => r.address === keyAddress);
  if (resource === undefined) throw new PlanFileError(`${file}: no ${keyAddress} in planned_values.root_module.resources`);
  const policy = resource.values?.policy;
  if (typeof policy !== 'string') {
    throw new PlanFileError(`${file}: ${keyAddress}.policy is ${policy === undefined ? 'unknown until apply' : `not a JSON string (${typeof policy})`}; the plan cannot be compared`);
  }
  return policy;
}

/**
 * The account the plan was made for: the `data.aws_caller_identity` the plan read, or undefined
 * (then the configured account is used).
 */
export function plannedAccountId(plan: PlanJson): string | undefined {
  const lists = [plan.prior_state?.values?.root_module?.resources ?? [], plan.planned_values?.root_module?.resources ?? []];
  for (const resources of lists) {
    const identity = resources.find((r) => /^data\.aws_caller_identity\./.test(r.address ?? ''));
    const id = identity?.values?.account_id;
    if (typeof id === 'string') return id;
  }
  return undefined;
}

/** The outcome of a comparison. */
export interface PlanComparison {
  readonly file: string;
  readonly agrees: boolean;
  /** When they differ: both normalised policies, for the reader to diff. */
  readonly rendered?: PolicyDocument;
  readonly planned?: PolicyDocument;
}

/** Compares a rendering with the planned policy after normalising both. */
export function comparePolicies(file: string, rendered: PolicyDocument, planned: string): PlanComparison {
  const a = normalizePolicy(rendered);
  let b: PolicyDocument;
  try {
    b = normalizePolicy(planned);
  } catch (error) {
    throw new PlanFileError(`${file}: the planned key policy is not valid JSON: ${(error as Error).message}`);
  }
  const agrees = JSON.stringify(a) === JSON.stringify(b);
  return agrees ? { file, agrees } : { file, agrees, rendered: a, planned: b };
}

/**
 * Compares the key policy Terraform computed (`terraform show -json` of a plan, written to
 * `<DIR>/<env>.plan.json`) with the report's rendering of the synthesized JSON, after
 * `normalizePolicy`. The rendering uses the plan's account so that both name the same ARNs.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ExternalJsonError } from '../../config/errors';
import { normalizePolicy, type PolicyDocument } from '../../policy/render';
import { parsePolicyJson, readJsonFile } from '../lib/external-json';
import { jsonObject } from '../lib/external-json';

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

/** A resource of a plan: its address and values are what the comparison reads. */
const planResourceSchema = z.looseObject({ address: z.string(), values: jsonObject.optional() });

const moduleSchema = z.looseObject({ resources: z.array(planResourceSchema).optional() });

/**
 * The parts of `terraform show -json` output the comparison reads: the planned resources and the
 * data sources read into the prior state. Any Terraform's plan has these; the rest is not checked.
 */
const planSchema = z.looseObject({
  planned_values: z.looseObject({ root_module: moduleSchema.optional() }).optional(),
  prior_state: z.looseObject({ values: z.looseObject({ root_module: moduleSchema.optional() }).optional() }).optional(),
});

/** A plan as the comparison reads it. */
export type PlanJson = z.output<typeof planSchema>;

/** Reads and parses a plan file; throws PlanFileError naming the file and what is wrong (with the field's path). */
export function readPlan(file: string): PlanJson {
  if (!existsSync(file))
    throw new PlanFileError(`${file} does not exist; write it with \`terraform show -json\` of the environment's plan (npm run plan)`);
  try {
    return readJsonFile(planSchema, file);
  } catch (error) {
    if (error instanceof ExternalJsonError)
      throw new PlanFileError(`${error.oneLine}; expected the output of \`terraform show -json\` of the environment's plan (npm run plan)`);
    throw error;
  }
}

/** The key policy Terraform computed: `planned_values.root_module.resources[address == keyAddress].values.policy`. */
export function plannedKeyPolicy(plan: PlanJson, keyAddress: string, file: string): string {
  const resource = plan.planned_values?.root_module?.resources?.find((r) => r.address === keyAddress);
  if (resource === undefined) throw new PlanFileError(`${file}: no ${keyAddress} in planned_values.root_module.resources`);
  const policy = resource.values?.policy;
  if (typeof policy !== 'string') {
    throw new PlanFileError(
      `${file}: ${keyAddress}.policy is ${policy === undefined ? 'unknown until apply' : `not a JSON string (${typeof policy})`}; the plan cannot be compared`,
    );
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
    b = normalizePolicy(parsePolicyJson(planned, `${file}: the planned key policy`));
  } catch (error) {
    if (error instanceof ExternalJsonError) throw new PlanFileError(error.oneLine);
    throw error;
  }
  const agrees = JSON.stringify(a) === JSON.stringify(b);
  return agrees ? { file, agrees } : { file, agrees, rendered: a, planned: b };
}

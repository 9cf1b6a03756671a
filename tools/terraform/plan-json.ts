/**
 * The parts of `terraform show -json <planfile>` the tests and tools read, with the zod schema they
 * are checked with, and helpers to find a resource and tell whether an attribute is known at plan time.
 */
import { z } from 'zod';
import { typed } from '../../config/errors';
import { jsonObject } from '../lib/external-json';

/** A resource in `planned_values`. */
export interface PlannedResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Known attribute values; Terraform leaves the field out when none is known yet, read here as `{}`. */
  readonly values: Record<string, unknown>;
}

/** An entry of `resource_changes`. */
export interface ResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly after?: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
  };
}

/** A plan as `terraform show -json` prints it (only the fields used here; the others are kept as they are). */
export interface PlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly planned_values: {
    readonly root_module?: { readonly resources?: readonly PlannedResource[] };
    /** Output values by name; `value` is absent when it is unknown until apply. */
    readonly outputs?: Readonly<Record<string, { readonly value?: unknown }>>;
  };
  readonly resource_changes?: readonly ResourceChange[];
  readonly configuration?: Record<string, unknown>;
  readonly errored?: boolean;
}

const mode = z.enum(['managed', 'data']);

const plannedResourceSchema = z.looseObject({
  address: z.string(),
  mode,
  type: z.string(),
  name: z.string(),
  values: jsonObject.default({}),
});

const resourceChangeSchema = z.looseObject({
  address: z.string(),
  mode,
  type: z.string(),
  change: z.looseObject({ actions: z.array(z.string()), after: jsonObject.nullable().optional(), after_unknown: jsonObject.optional() }),
});

/** The schema of `PlanJson`: what `writePlanJson` accepts from `terraform show -json`. */
export const planJsonSchema = typed<PlanJson, unknown>()(
  z.looseObject({
    format_version: z.string().optional(),
    terraform_version: z.string().optional(),
    planned_values: z.looseObject({
      root_module: z.looseObject({ resources: z.array(plannedResourceSchema).optional() }).optional(),
      outputs: z.record(z.string(), z.looseObject({ value: z.unknown().optional() })).optional(),
    }),
    resource_changes: z.array(resourceChangeSchema).optional(),
    configuration: jsonObject.optional(),
    errored: z.boolean().optional(),
  }),
);

/** Every resource in `planned_values`, managed and data. */
export function plannedResources(plan: PlanJson): readonly PlannedResource[] {
  return plan.planned_values.root_module?.resources ?? [];
}

/** The planned resource at `address`, or an error naming the addresses present. */
export function plannedResource(plan: PlanJson, address: string): PlannedResource {
  const found = plannedResources(plan).find((r) => r.address === address);
  if (!found) {
    throw new Error(
      `no ${address} in the plan; planned: ${
        plannedResources(plan)
          .map((r) => r.address)
          .join(', ') || 'nothing'
      }`,
    );
  }
  return found;
}

/** The change planned for `address`, or an error naming the addresses present. */
export function resourceChange(plan: PlanJson, address: string): ResourceChange {
  const found = (plan.resource_changes ?? []).find((c) => c.address === address);
  if (!found) {
    throw new Error(
      `no change for ${address} in the plan; changed: ${(plan.resource_changes ?? []).map((c) => c.address).join(', ') || 'nothing'}`,
    );
  }
  return found;
}

/** How many managed resources of each type the plan creates, e.g. `{ aws_kms_key: 1 }`. */
export function createdResourceCounts(plan: PlanJson): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'managed' && change.change.actions.includes('create')) counts[change.type] = (counts[change.type] ?? 0) + 1;
  }
  return counts;
}

/**
 * Whether `attribute` of `address` has a value in the plan: present in the planned values and not
 * marked "known after apply" in the change.
 */
export function isKnownAtPlan(plan: PlanJson, address: string, attribute: string): boolean {
  const unknown = resourceChange(plan, address).change.after_unknown?.[attribute];
  const value = plannedResource(plan, address).values[attribute];
  return unknown !== true && value !== undefined && value !== null;
}

/** The string value of `attribute` of `address`, which must be known at plan time. */
export function knownString(plan: PlanJson, address: string, attribute: string): string {
  if (!isKnownAtPlan(plan, address, attribute)) throw new Error(`${address}.${attribute} is not known at plan time`);
  const value = plannedResource(plan, address).values[attribute];
  if (typeof value !== 'string') throw new Error(`${address}.${attribute} is ${typeof value}, not a string`);
  return value;
}

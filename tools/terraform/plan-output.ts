/**
 * Where plans go: `<dir>/<environment>.plan.json`, the `terraform show -json` output of the
 * environment's plan. `npm run plan` uses `cdktf.out/plans/`; the access report reads `--plan DIR`
 * from this layout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlanJson } from './plan-json';

/** The folder `npm run plan` writes to, relative to the project root. */
export const USER_PLAN_DIR = join('cdktf.out', 'plans');

/** `<dir>/<environment>.plan.json`. */
export function planJsonPath(dir: string, environment: string): string {
  return join(dir, `${environment}.plan.json`);
}

/**
 * Parses `showJson` (the output of `terraform show -json <planfile>`), checks it is a plan, and
 * writes it to `file` as Terraform printed it; returns the parsed plan.
 */
export function writePlanJson(file: string, showJson: string): PlanJson {
  let plan: PlanJson;
  try {
    plan = JSON.parse(showJson) as PlanJson;
  } catch (error) {
    throw new Error(`terraform show -json printed no JSON: ${(error as Error).message}`);
  }
  if (!plan || typeof plan !== 'object' || !('planned_values' in plan)) {
    throw new Error('terraform show -json printed no plan (no planned_values)');
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, showJson.endsWith('\n') ? showJson : `${showJson}\n`);
  return plan;
}

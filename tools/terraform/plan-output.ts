/**
 * Where plans go: `<dir>/<environment>.plan.json`, the `terraform show -json` output of the
 * environment's plan. `npm run plan` uses `cdktf.out/plans/`; the access report reads `--plan DIR`
 * from this layout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseExternalJson } from '../../config/errors';
import { type PlanJson, planJsonSchema } from './plan-json';

/** The folder `npm run plan` writes to, relative to the project root. */
export const USER_PLAN_DIR = join('cdktf.out', 'plans');

/** `<dir>/<environment>.plan.json`. */
export function planJsonPath(dir: string, environment: string): string {
  return join(dir, `${environment}.plan.json`);
}

/**
 * Parses `showJson` (the output of `terraform show -json <planfile>`) with the plan schema and
 * writes it to `file` as Terraform printed it; returns the parsed plan. Output that is not a plan
 * is an ExternalJsonError naming the bad field; nothing is written then.
 */
export function writePlanJson(file: string, showJson: string): PlanJson {
  const plan = parseExternalJson(planJsonSchema, showJson, 'the output of `terraform show -json`');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, showJson.endsWith('\n') ? showJson : `${showJson}\n`);
  return plan;
}

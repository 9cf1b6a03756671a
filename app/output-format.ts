/**
 * The two formats synth can write into a stack folder, and the one switch cdktf 0.21 reads for them.
 *
 * cdktf decides the format from `process.env.SYNTH_HCL_OUTPUT`, read in two constructors with two
 * different rules (node_modules/cdktf/lib/app.js and terraform-stack.js):
 *
 * - `App` names the stack file: `cdk.tf` only when the variable is exactly `true` (when it is set at
 *   all, it overrides `new App({ hclOutput })`);
 * - each `TerraformStack` picks its renderer: HCL when the variable is `true` or `1`.
 *
 * So `App({ hclOutput: true })` alone writes JSON into `cdk.tf`, and `SYNTH_HCL_OUTPUT=1` writes HCL
 * into `cdk.tf.json`. `withCdktfOutputFormat` sets the variable to what the caller asked for while
 * the app and its stacks are constructed (cdktf reads it nowhere else), then puts back whatever the
 * process had: a user's `SYNTH_HCL_OUTPUT` never switches an internal synth, and `--hcl` never leaks
 * into later work in the same process.
 */

/** What synth writes into each stack folder. */
export type OutputFormat = 'json' | 'hcl';

/** The stack file of each format, as cdktf names it. */
export const STACK_FILE: Readonly<Record<OutputFormat, string>> = { json: 'cdk.tf.json', hcl: 'cdk.tf' };

/** The environment variable cdktf (and `cdktf synth --hcl`) uses for HCL output. */
export const HCL_OUTPUT_ENV = 'SYNTH_HCL_OUTPUT';

/** A name for the format in messages: `Terraform JSON (cdk.tf.json)`, `HCL (cdk.tf)`. */
export function formatLabel(format: OutputFormat): string {
  return `${format === 'hcl' ? 'HCL' : 'Terraform JSON'} (${STACK_FILE[format]})`;
}

/**
 * True when `env` asks some part of cdktf for HCL: `SYNTH_HCL_OUTPUT` is `true` (what
 * `cdktf synth --hcl` sets) or `1` (which the cdktf CLI and the stack renderer read as HCL).
 */
export function envAsksForHcl(env: NodeJS.ProcessEnv): boolean {
  const value = env[HCL_OUTPUT_ENV];
  return value === 'true' || value === '1';
}

/**
 * Runs `construct` (which builds a cdktf App and its stacks) with cdktf's switch set for `format`,
 * then restores the process's own value, also when `construct` throws.
 */
export function withCdktfOutputFormat<T>(format: OutputFormat, construct: () => T): T {
  const had = Object.prototype.hasOwnProperty.call(process.env, HCL_OUTPUT_ENV);
  const saved = process.env[HCL_OUTPUT_ENV];
  if (format === 'hcl') process.env[HCL_OUTPUT_ENV] = 'true';
  else delete process.env[HCL_OUTPUT_ENV];
  try {
    return construct();
  } finally {
    if (had) process.env[HCL_OUTPUT_ENV] = saved;
    else delete process.env[HCL_OUTPUT_ENV];
  }
}

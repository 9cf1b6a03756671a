/**
 * `terraform fmt` for the HCL synth writes, when a Terraform CLI is installed (found at run time,
 * like cdktf finds it: `TERRAFORM_BINARY_NAME`, else `terraform` on the `PATH`). It runs on the
 * staged files, before any is renamed into the output folder: only a run that exits 0 has written
 * every file completely, and anything else fails the synth with the output folder unchanged.
 */
import { spawnSync } from 'node:child_process';
import { findTerraformBinary } from './terraform-binary';

/** How long `terraform fmt` may take (it needs milliseconds per file). */
export const FMT_TIMEOUT_MS = 60_000;

/** Whether the HCL was formatted, and why not. */
export type FmtResult = { readonly formatted: true; readonly terraform: string } | { readonly formatted: false; readonly reason: string };

/** `terraform fmt` refused the HCL, or did not finish: nothing may be written. */
export class HclFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HclFormatError';
  }
}

/**
 * The environment of the `terraform fmt` run: the caller's, without what could change what fmt
 * does (`TF_CLI_ARGS`, `TF_CLI_ARGS_fmt` could add `-check` or `-diff`), and without checkpoint calls.
 */
function fmtEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) if (name !== 'TF_CLI_ARGS' && name !== 'TF_CLI_ARGS_fmt') copy[name] = value;
  return { ...copy, CHECKPOINT_DISABLE: '1' };
}

/**
 * Formats every `.tf` file under `dir` in place with `terraform fmt -recursive`. Returns
 * `formatted: false` with the reason when no Terraform CLI is found (or it cannot be started);
 * throws HclFormatError when Terraform rejects a file or does not finish.
 */
export function formatHclFiles(dir: string, env: NodeJS.ProcessEnv): FmtResult {
  const lookup = findTerraformBinary(env);
  if (!lookup.found) return { formatted: false, reason: lookup.reason };
  const run = spawnSync(lookup.path, ['fmt', '-list=false', '-no-color', '-recursive', dir], {
    env: fmtEnv(env),
    encoding: 'utf8',
    timeout: FMT_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const code = run.error && 'code' in run.error ? (run.error as NodeJS.ErrnoException).code : undefined;
  if (code === 'ENOENT' || code === 'EACCES') return { formatted: false, reason: `${lookup.path} could not be started (${code})` };
  if (run.status === 0 && !run.error) return { formatted: true, terraform: lookup.path };
  const why = run.error
    ? `did not finish (${run.error.message})`
    : run.signal
      ? `was stopped by ${run.signal}`
      : `exited ${run.status}: ${(run.stderr || run.stdout)
          .trim()
          .split('\n')
          .filter((line) => line.trim() !== '')
          .slice(0, 12)
          .join(' | ')}`;
  throw new HclFormatError(`${lookup.path} fmt ${why}; the HCL was not written`);
}

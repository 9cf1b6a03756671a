/** Shared by the package suites: the project root, a clean child environment and a command runner. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const PROJECT_ROOT = join(__dirname, '..', '..');

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * The environment a user's shell would have: no npm lifecycle variables from the `npm run test:slow`
 * that started jest (npm_config_*, INIT_CWD), no telemetry, no Terraform version check.
 */
export function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('npm_') || name === 'INIT_CWD') continue;
    env[name] = value;
  }
  return { ...env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_TELEMETRY: 'true', NO_UPDATE_NOTIFIER: '1' };
}

/** Runs `command` in `cwd` and returns its exit code and output (never throws on a non-zero exit). */
export function run(command: string, args: readonly string[], cwd: string): CommandResult {
  const result = spawnSync(command, args, { cwd, env: childEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like `run`, but fails with the command's output when it exits non-zero. */
export function runOk(command: string, args: readonly string[], cwd: string): CommandResult {
  const result = run(command, args, cwd);
  if (result.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} in ${cwd} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/**
 * Copies what a fresh clone of this checkout would hold, plus files not yet committed (but never
 * ignored ones: node_modules, dist, cdktf.out), into `dest`.
 */
export function copyCheckout(dest: string): void {
  const listed = runOk('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], PROJECT_ROOT).stdout.split('\0');
  for (const file of listed.filter((f) => f !== '')) {
    mkdirSync(join(dest, dirname(file)), { recursive: true });
    // A file deleted in the working tree but still in the index is listed too: skip it.
    try {
      cpSync(join(PROJECT_ROOT, file), join(dest, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

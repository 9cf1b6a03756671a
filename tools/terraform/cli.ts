/** Runs Terraform CLI commands as child processes and reports failures with their output. */
import { spawn } from 'node:child_process';

/** What a finished Terraform command left. */
export interface TerraformResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** How to run a command. */
export interface TerraformRunOptions {
  /** The folder Terraform runs in (a stack's folder). */
  readonly cwd: string;
  /** The whole environment of the child; nothing else is inherited. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * Also show the output on this terminal as it comes (the user-facing `npm run plan`); it is
   * captured either way, so that a failure can be diagnosed.
   */
  readonly echoOutput?: boolean;
}

/** A Terraform command that exited non-zero: the message names the command, the folder and the output. */
export class TerraformCommandError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly cwd: string,
    readonly result: TerraformResult,
  ) {
    const output = `${result.stderr}\n${result.stdout}`.trim();
    super(`terraform ${args.join(' ')} in ${cwd} exited ${result.code}${output ? `:\n${output}` : ''}`);
    this.name = 'TerraformCommandError';
  }
}

/** Runs `binary args...`; resolves with the exit code and output whatever the code. */
export function runTerraform(binary: string, args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.echoOutput) process.stdout.write(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (options.echoOutput) process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr }));
  });
}

/** Runs a command and throws TerraformCommandError unless it exits 0. */
export async function runTerraformOrThrow(binary: string, args: readonly string[], options: TerraformRunOptions): Promise<TerraformResult> {
  const result = await runTerraform(binary, args, options);
  if (result.code !== 0) throw new TerraformCommandError(args, options.cwd, result);
  return result;
}

/** Runs one measured command to completion and returns its peak RSS. */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { readPeakRssKib, type RssProbe, wrapCommand } from './max-rss';

/** A command to measure: what to run, where and with which extra environment. */
export interface CommandSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  /** Variables to set; `undefined` removes one inherited from this process. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Exit codes that count as a completed run. @default [0] */
  readonly okExitCodes?: readonly number[];
  /** Receives the command's stdout after a completed run. @default stdout is discarded */
  readonly onStdout?: (stdout: string) => void;
}

let counter = 0;

/**
 * Runs `spec` under the RSS probe with stdout discarded (both sides of a comparison pay the same);
 * resolves to the peak RSS in KiB, rejects with the tail of stderr when the command fails.
 */
export function runMeasured(spec: CommandSpec, probe: RssProbe, scratch: string): Promise<number> {
  const rssFile = join(scratch, `rss-${process.pid}-${counter++}.txt`);
  const merged: NodeJS.ProcessEnv = { ...process.env, ...spec.env };
  for (const [name, value] of Object.entries(merged)) if (value === undefined) delete merged[name];
  const { argv, env } = wrapCommand(probe, spec.argv, merged, rssFile);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: spec.cwd, env, stdio: ['ignore', spec.onStdout ? 'pipe' : 'ignore', 'pipe'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        if (!(spec.okExitCodes ?? [0]).includes(code ?? -1)) {
          reject(new Error(`${spec.argv.join(' ')} (in ${spec.cwd}) exited with ${code}:\n${stderr}`));
          return;
        }
        spec.onStdout?.(stdout);
        resolvePromise(readPeakRssKib(rssFile));
      } catch (error) {
        reject(error);
      } finally {
        rmSync(rssFile, { force: true });
      }
    });
  });
}

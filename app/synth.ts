/**
 * The main job: validate the whole config, synthesize every environment, remove stack folders of
 * environments no longer configured, print a summary. Exit codes: 0 done, 2 bad config.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import type { AppConfig } from '../config/schema';
import { buildApp } from './build-app';
import type { EnvironmentStack } from './environment-stack';
import { summarizeStack } from './summary';

/** Removes `<outdir>/stacks/<name>` for every name not in `keep`; returns the removed names. */
export function removeStaleStacks(outdir: string, keep: readonly string[]): string[] {
  const stacksDir = join(outdir, 'stacks');
  if (!existsSync(stacksDir)) return [];
  const stale = readdirSync(stacksDir).filter((name) => !keep.includes(name));
  for (const name of stale) rmSync(join(stacksDir, name), { recursive: true, force: true });
  return stale;
}

/**
 * Synthesizes every environment of a validated config into `outdir` (default: cdktf's, i.e.
 * `CDKTF_OUTDIR` or `cdktf.out`) and removes stack folders of environments no longer configured.
 */
export function synthesizeConfig(config: AppConfig, outdir?: string): { outdir: string; stacks: EnvironmentStack[]; removed: string[] } {
  const { app, stacks } = buildApp(config, outdir);
  app.synth();
  const removed = removeStaleStacks(app.outdir, stacks.map((s) => s.environment.name));
  return { outdir: app.outdir, stacks, removed };
}

/** Runs the main job; returns the exit code. */
export function runSynth(env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): number {
  let config: AppConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      console.error('Nothing was synthesized; cdktf.out is unchanged.');
      return 2;
    }
    throw error;
  }
  const { outdir, stacks, removed } = synthesizeConfig(config);
  for (const stack of stacks) {
    const dir = relative(process.cwd(), join(outdir, 'stacks', stack.environment.name)) || '.';
    for (const line of summarizeStack(stack, dir)) log(line);
  }
  if (removed.length > 0) log(`removed stacks no longer in the config: ${removed.join(', ')}`);
  return 0;
}

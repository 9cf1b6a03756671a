/**
 * Writes a synthesis into the output folder so that a kill at any moment leaves it usable:
 *
 * 1. cdktf synthesizes into a staging folder inside the output folder (`.synth-staging-*`, same
 *    file system), so nothing in the real output is touched until every file is complete;
 * 2. each stack's files are renamed into `stacks/<environment>/` (a rename replaces a file
 *    atomically: a reader sees the old file or the new one, never a part);
 * 3. `manifest.json` is renamed into place last, so it never lists a stack whose file is missing;
 * 4. only then are stack folders of environments no longer configured removed, and only when they
 *    hold nothing but synth's own files (`stale-stacks.ts`);
 * 5. the staging folder is removed; one left by a killed run is removed by the next.
 *
 * Nothing else under the output folder is written or deleted (`plans/`, `.terraform/`, lock files,
 * state). The caller holds the output lock (`output-lock.ts`). Files are not fsync'ed: this
 * protects against a killed process, not against a power cut.
 */
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, fsReason } from '../config/errors';
import type { AppConfig } from '../config/schema';
import { buildApp } from './build-app';
import type { EnvironmentStack } from './environment-stack';
import { OutputFolderError, type OutputLayout } from './project';
import { findStaleStacks, type StaleStack } from './stale-stacks';

/** Prefix of the staging folders inside the output folder. */
export const STAGING_PREFIX = '.synth-staging-';

/**
 * Test-only: when set to a number n, the process kills itself with SIGKILL right after the n-th
 * step that changes the output folder, so a test can check the folder after a kill at every point.
 */
export const KILL_AFTER_STEP_ENV = 'KMS_TEST_KILL_AFTER_STEP';

/** What a synthesis wrote and removed. */
export interface OutputResult {
  readonly stacks: readonly EnvironmentStack[];
  /** Stack folders removed because their environment is gone and they held only synth's files. */
  readonly removed: readonly string[];
  /** Stack folders of environments no longer configured that hold other files: kept. */
  readonly kept: readonly (StaleStack & { removable: false })[];
  /** Staging folders of earlier, interrupted runs that were removed. */
  readonly leftovers: readonly string[];
}

/** Counts the steps that change the output folder; see `KILL_AFTER_STEP_ENV`. */
function stepCounter(env: NodeJS.ProcessEnv): () => void {
  const killAfter = Number(env[KILL_AFTER_STEP_ENV] ?? Number.NaN);
  let steps = 0;
  return () => {
    steps += 1;
    if (steps === killAfter) process.kill(process.pid, 'SIGKILL');
  };
}

/** Removes staging folders left by interrupted runs (only ever called under the output lock). */
export function removeLeftovers(outdir: string): string[] {
  const leftovers = readdirSync(outdir).filter((entry) => entry.startsWith(STAGING_PREFIX));
  for (const entry of leftovers) rmSync(join(outdir, entry), { recursive: true, force: true });
  return leftovers;
}

/**
 * Synthesizes `config` into `layout.outdir` as described above. The output folder must exist.
 * Throws ConfigError, before anything reaches the output folder, for what only the built stacks can
 * tell (a key policy over KMS's size limit). `env` is read only for the test-only kill point.
 */
export function writeOutput(config: AppConfig, layout: OutputLayout, env: NodeJS.ProcessEnv = process.env): OutputResult {
  const step = stepCounter(env);
  const { outdir } = layout;
  const leftovers = removeLeftovers(outdir);
  let staging: string;
  try {
    staging = mkdtempSync(join(outdir, STAGING_PREFIX));
  } catch (error) {
    throw new OutputFolderError(`cannot write in the output folder ${outdir}: ${fsReason(error)}`);
  }
  try {
    const { app, stacks } = buildApp(config, { layout, synthDir: staging });
    const problems = stacks.flatMap((stack) => stack.problems());
    if (problems.length > 0) throw new ConfigError('config', problems);
    app.synth();
    step();
    for (const stack of stacks) {
      const name = stack.environment.name;
      const from = join(staging, 'stacks', name);
      const to = join(outdir, 'stacks', name);
      mkdirSync(to, { recursive: true });
      for (const file of readdirSync(from)) {
        renameSync(join(from, file), join(to, file));
        step();
      }
    }
    renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
    step();

    const stale = findStaleStacks(outdir, config.environments.map((e) => e.name));
    const removed: string[] = [];
    const kept: (StaleStack & { removable: false })[] = [];
    for (const folder of stale) {
      if (!folder.removable) {
        kept.push(folder);
        continue;
      }
      for (const file of folder.files) {
        unlinkSync(join(folder.dir, file));
        step();
      }
      try {
        rmdirSync(folder.dir);
      } catch (error) {
        // Something was added to the folder since it was read: it is no longer synth's alone.
        if ((error as NodeJS.ErrnoException).code !== 'ENOTEMPTY') throw error;
        kept.push({ name: folder.name, dir: folder.dir, removable: false, foreign: readdirSync(folder.dir).sort() });
        continue;
      }
      step();
      removed.push(folder.name);
    }
    return { stacks, removed, kept, leftovers };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    step();
  }
}

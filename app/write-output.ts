/**
 * Writes a synthesis into the output folder so that a kill at any moment leaves it usable:
 *
 * 1. cdktf synthesizes into a staging folder inside the output folder (`.synth-staging-*`, same
 *    file system), so nothing in the real output is touched until every file is complete; HCL is
 *    formatted there too (`terraform-fmt.ts`), so only fully formatted files are ever moved;
 * 2. each stack's files are renamed into `stacks/<environment>/` (a rename replaces a file
 *    atomically: a reader sees the old file or the new one, never a part);
 * 3. `manifest.json` is renamed into place last, so it never lists a stack whose file is missing;
 * 4. then the other format's files a previous run left in each stack folder are deleted (after an
 *    HCL run `cdk.tf.json`, after a JSON run `cdk.tf` and its `metadata.json`): Terraform loads
 *    every `*.tf` and `*.tf.json` of a folder, so both would define everything twice. Deleting
 *    after the manifest keeps the old manifest's file in place while the old manifest is current;
 *    a kill between the two leaves both files, on which Terraform stops with "Duplicate ..."
 *    errors (it never plans from a half), and the next run deletes the old one;
 * 5. only then are stack folders of environments no longer configured removed, and only when they
 *    hold nothing but synth's own files (`stale-stacks.ts`);
 * 6. the staging folder is removed; one left by a killed run is removed by the next.
 *
 * Nothing else under the output folder is written or deleted (`plans/`, `.terraform/`, lock files,
 * state). The caller holds the output lock (`output-lock.ts`). Files are not fsync'ed: this
 * protects against a killed process, not against a power cut.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmdirSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, fsReason } from '../config/errors';
import type { AppConfig } from '../config/schema';
import { buildApp } from './build-app';
import type { EnvironmentStack } from './environment-stack';
import type { OutputFormat } from './output-format';
import { OutputFolderError, type OutputLayout } from './project';
import { findStaleStacks, SYNTH_OWNED_FILES, type StaleStack } from './stale-stacks';
import { type FmtResult, formatHclFiles } from './terraform-fmt';

/** Prefix of the staging folders inside the output folder. */
export const STAGING_PREFIX = '.synth-staging-';

/**
 * Test-only: when set to a number n, the process kills itself with SIGKILL right after the n-th
 * step that changes the output folder, so a test can check the folder after a kill at every point.
 */
export const KILL_AFTER_STEP_ENV = 'KMS_TEST_KILL_AFTER_STEP';

/** How to write. */
export interface WriteOptions {
  /**
   * Terraform JSON (`cdk.tf.json`) or HCL (`cdk.tf`), formatted with `terraform fmt` when a
   * Terraform CLI is found on `env`'s `PATH`.
   * @default 'json'
   */
  readonly format?: OutputFormat;
}

/** A file of the other format that could not be deleted because it is not a plain file synth wrote. */
export interface OtherFormatConflict {
  /** The stack folder. */
  readonly dir: string;
  /** The entry's name, e.g. `cdk.tf.json`. */
  readonly file: string;
}

/** What a synthesis wrote and removed. */
export interface OutputResult {
  readonly stacks: readonly EnvironmentStack[];
  /** The format written. */
  readonly format: OutputFormat;
  /** For HCL: whether `terraform fmt` formatted it, or why not. */
  readonly fmt?: FmtResult;
  /** Files of the other format removed from configured stack folders, as `<environment>/<file>`. */
  readonly replaced: readonly string[];
  /** Entries named like the other format's file that are not plain files: left, and reported. */
  readonly conflicts: readonly OtherFormatConflict[];
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
 * tell (a key policy over KMS's size limit). `env` is read for the Terraform CLI (HCL only) and
 * the test-only kill point; its `SYNTH_HCL_OUTPUT` is ignored: only `options.format` chooses.
 */
export function writeOutput(
  config: AppConfig,
  layout: OutputLayout,
  env: NodeJS.ProcessEnv = process.env,
  options: WriteOptions = {},
): OutputResult {
  const format = options.format ?? 'json';
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
    const { app, stacks } = buildApp(config, { layout, synthDir: staging, format });
    const problems = stacks.flatMap((stack) => stack.problems());
    if (problems.length > 0) throw new ConfigError('config', problems);
    app.synth();
    step();
    const fmt = format === 'hcl' ? formatHclFiles(join(staging, 'stacks'), env) : undefined;
    const written = new Map<string, readonly string[]>();
    for (const stack of stacks) {
      const name = stack.environment.name;
      const from = join(staging, 'stacks', name);
      const to = join(outdir, 'stacks', name);
      mkdirSync(to, { recursive: true });
      const files = readdirSync(from);
      written.set(name, files);
      for (const file of files) {
        renameSync(join(from, file), join(to, file));
        step();
      }
    }
    renameSync(join(staging, 'manifest.json'), join(outdir, 'manifest.json'));
    step();

    const replaced: string[] = [];
    const conflicts: OtherFormatConflict[] = [];
    for (const [name, files] of written) {
      const dir = join(outdir, 'stacks', name);
      for (const file of [...SYNTH_OWNED_FILES].filter((owned) => !files.includes(owned))) {
        const stat = lstatSync(join(dir, file), { throwIfNoEntry: false });
        if (stat === undefined) continue;
        if (!stat.isFile()) {
          conflicts.push({ dir, file });
          continue;
        }
        unlinkSync(join(dir, file));
        step();
        replaced.push(`${name}/${file}`);
      }
    }

    const stale = findStaleStacks(
      outdir,
      config.environments.map((e) => e.name),
    );
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
    return { stacks, format, fmt, replaced, conflicts, removed, kept, leftovers };
  } finally {
    rmSync(staging, { recursive: true, force: true });
    step();
  }
}

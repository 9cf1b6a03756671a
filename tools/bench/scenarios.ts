/** The measured commands: the main job, the floor, the access report and the test suite. */
import { join } from 'node:path';
import type { MeasuredTask } from './harness';
import type { RssProbe } from './max-rss';
import { type CommandSpec, runMeasured } from './run-command';

/** Where the bench runs: project root, a scratch folder for outputs, the RSS probe. */
export interface BenchContext {
  readonly root: string;
  readonly scratch: string;
  readonly probe: RssProbe;
  readonly floorDir: string;
}

/** The task of running `spec` once under the probe. */
export function commandTask(ctx: BenchContext, name: string, spec: CommandSpec): MeasuredTask {
  return { name, once: () => runMeasured(spec, ctx.probe, ctx.scratch) };
}

/** The folder a scenario synthesizes into (`CDKTF_OUTDIR`), inside the scratch folder. */
export function outdirOf(ctx: BenchContext, name: string): string {
  return join(ctx.scratch, `out-${name.replace(/[^A-Za-z0-9]+/g, '-')}`);
}

/** `npm run synth` with the config file `configFile`, or the embedded default when undefined. */
export function synthTask(ctx: BenchContext, name: string, configFile: string | undefined): MeasuredTask {
  return commandTask(ctx, name, {
    argv: ['npm', 'run', 'synth'],
    cwd: ctx.root,
    // SYNTH_HCL_OUTPUT from the shell would make synth refuse and the floor write HCL: both measure JSON.
    env: { CHECKPOINT_DISABLE: '1', CDKTF_OUTDIR: outdirOf(ctx, name), KMS_CONFIG: configFile, SYNTH_HCL_OUTPUT: undefined },
  });
}

/** `npm run floor` in the floor fixture: one default stack, or `stacks` generated ones. */
export function floorTask(ctx: BenchContext, name: string, stacks: number | undefined): MeasuredTask {
  return commandTask(ctx, name, {
    argv: ['npm', 'run', 'floor'],
    cwd: ctx.floorDir,
    env: {
      CHECKPOINT_DISABLE: '1',
      CDKTF_OUTDIR: outdirOf(ctx, name),
      FLOOR_STACKS: stacks === undefined ? undefined : String(stacks),
      SYNTH_HCL_OUTPUT: undefined,
    },
  });
}

/**
 * `npm run access-report` for the default config, as a user runs it; exit 1 (a finding) still
 * counts as a run. Each run's own "Evaluated N cells in X ms" line goes to `evaluationMs`.
 */
export function accessReportTask(ctx: BenchContext, name: string, evaluationMs: number[]): MeasuredTask {
  return commandTask(ctx, name, {
    argv: ['npm', 'run', 'access-report'],
    cwd: ctx.root,
    env: { CHECKPOINT_DISABLE: '1', KMS_CONFIG: undefined, SYNTH_HCL_OUTPUT: undefined },
    okExitCodes: [0, 1],
    onStdout: (stdout) => {
      for (const match of stdout.matchAll(/Evaluated \d+ cells in (\d+(?:\.\d+)?) ms/g)) evaluationMs.push(Number(match[1]));
    },
  });
}

/**
 * `npm test` writing jest's JSON report to `reportFile`, cold: jest's transform cache goes to
 * `cacheDir`, which the caller makes empty for the run (as on a fresh clone). Failing tests still
 * count as a run.
 */
export function testSuiteTask(ctx: BenchContext, name: string, reportFile: string, cacheDir: string): MeasuredTask {
  return commandTask(ctx, name, {
    argv: ['npm', 'test', '--', '--json', `--outputFile=${reportFile}`, `--cacheDirectory=${cacheDir}`],
    cwd: ctx.root,
    env: { CHECKPOINT_DISABLE: '1' },
    okExitCodes: [0, 1],
  });
}

/** `npm run typecheck` (`tsc --noEmit`; the tsconfig keeps no incremental build info, so every run is cold). */
export function typecheckTask(ctx: BenchContext, name: string): MeasuredTask {
  return commandTask(ctx, name, { argv: ['npm', 'run', 'typecheck'], cwd: ctx.root, env: {}, okExitCodes: [0] });
}

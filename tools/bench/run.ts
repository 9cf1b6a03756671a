/**
 * The bench's work: the main job against the floor (a bare cdktf app) for the default config and
 * for 1, 10, 100 and 1000 environments, the access report, the type-check and the test suite (cold:
 * an empty jest cache); prints the results
 * and writes BENCHMARKS.md. Loaded by the entry point (options.ts) once tinybench is known to be
 * installed. Exit codes: 0 every measured target met, 1 a target missed, 2 not the project root.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFloor, floorDir } from './floor-build';
import { measure, type Plan } from './harness';
import { describeMachine, loadAverages } from './machine';
import { chooseRssProbe, describeProbe } from './max-rss';
import type { BenchOptions } from './options';
import { renderReport } from './report';
import { type BenchResults, type Measured, type Optional, type ScalePoint, summarizeSamples } from './results';
import { writeScaleConfig } from './scale-config';
import { accessReportTask, type BenchContext, floorTask, synthTask, testSuiteTask, typecheckTask } from './scenarios';
import { summarize } from './stats';
import { checkTargets } from './targets';
import { readJestReport, type TestSuiteTimes } from './test-timing';

/** Environment counts of the scale scenarios. */
export const SCALE_SIZES = [1, 10, 100, 1000] as const;

/** Runs per scenario: the 1000-environment one is kept to few runs so the bench takes minutes. */
function plans(quick: boolean): { default: Plan; scale: (size: number) => Plan; accessReport: Plan } {
  if (quick) {
    return {
      default: { rounds: 2, perRound: 1, warmup: 1 },
      scale: () => ({ rounds: 1, perRound: 1, warmup: 0 }),
      accessReport: { rounds: 1, perRound: 2, warmup: 1 },
    };
  }
  return {
    default: { rounds: 5, perRound: 2, warmup: 1 },
    scale: (size) => (size >= 1000 ? { rounds: 3, perRound: 1, warmup: 0 } : { rounds: 2, perRound: 2, warmup: 0 }),
    accessReport: { rounds: 1, perRound: 5, warmup: 1 },
  };
}

function log(line: string): void {
  console.log(line);
}

/** Jest transpiles only when its transform is @swc/jest (or another non-type-checking one), never ts-jest. */
function transpileOnly(root: string): { met: boolean; detail: string } {
  const config = JSON.stringify(createRequire(join(root, 'package.json'))('./jest.config.js'));
  const swc = config.includes('@swc/jest');
  const tsJest = config.includes('ts-jest');
  return {
    met: swc && !tsJest,
    detail:
      swc && !tsJest
        ? 'jest.config.js transforms with @swc/jest; `npm run typecheck` runs tsc once'
        : 'jest.config.js does not use @swc/jest only',
  };
}

async function compare(
  ctx: BenchContext,
  label: string,
  configFile: string | undefined,
  stacks: number | undefined,
  plan: Plan,
): Promise<{ synth: Measured; floor: Measured }> {
  const synth = synthTask(ctx, `synth ${label}`, configFile);
  const floor = floorTask(ctx, `floor ${label}`, stacks);
  const samples = await measure([synth, floor], plan);
  const result = { synth: summarizeSamples(samples.get(synth.name)), floor: summarizeSamples(samples.get(floor.name)) };
  log(
    `${label.padEnd(18)} synth ${(result.synth.wallMs.median / 1000).toFixed(2)} s ${(result.synth.rssKib.median / 1024).toFixed(0)} MiB | floor ${(result.floor.wallMs.median / 1000).toFixed(2)} s ${(result.floor.rssKib.median / 1024).toFixed(0)} MiB | ${result.synth.wallMs.count} runs each`,
  );
  return result;
}

async function measureAccessReport(ctx: BenchContext, plan: Plan): Promise<BenchResults['accessReport']> {
  if (!existsSync(join(ctx.root, 'tools', 'access-report', 'main.ts'))) return { skipped: 'tools/access-report/main.ts does not exist' };
  const evaluations: number[] = [];
  const task = accessReportTask(ctx, 'access report', evaluations);
  try {
    const command = summarizeSamples((await measure([task], plan)).get(task.name));
    const evaluationMs = evaluations.length > 0 ? summarize(evaluations) : undefined;
    log(
      `access report      ${(command.wallMs.median / 1000).toFixed(2)} s ${(command.rssKib.median / 1024).toFixed(0)} MiB; evaluation ${evaluationMs ? `${evaluationMs.median.toFixed(0)} ms` : 'not printed'}`,
    );
    return { measured: { command, evaluationMs } };
  } catch (error) {
    return { skipped: `npm run access-report failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}` };
  }
}

async function measureTests(ctx: BenchContext): Promise<Optional<{ wall: Measured; suite: TestSuiteTimes }>> {
  const reportFile = join(ctx.scratch, 'jest-report.json');
  // A cache folder of its own, empty: the run is as cold as on a fresh clone.
  const cacheDir = mkdtempSync(join(ctx.scratch, 'jest-cache-'));
  const task = testSuiteTask(ctx, 'npm test', reportFile, cacheDir);
  const wall = summarizeSamples((await measure([task], { rounds: 1, perRound: 1, warmup: 0 })).get(task.name));
  const suite = readJestReport(reportFile, ctx.root);
  log(`npm test           ${(wall.wallMs.median / 1000).toFixed(1)} s, ${suite.files.length} files, ${suite.failedTests} failed tests`);
  return { measured: { wall, suite } };
}

async function measureTypecheck(ctx: BenchContext, quick: boolean): Promise<Measured> {
  const task = typecheckTask(ctx, 'typecheck');
  const measured = summarizeSamples((await measure([task], { rounds: 1, perRound: quick ? 1 : 3, warmup: 0 })).get(task.name));
  log(`npm run typecheck  ${(measured.wallMs.median / 1000).toFixed(2)} s median of ${measured.wallMs.count}`);
  return measured;
}

/** Runs the bench with `options`; resolves with the exit code. */
export async function runBench(options: BenchOptions): Promise<number> {
  const root = process.cwd();
  if (!existsSync(join(root, 'package.json')) || !existsSync(join(root, 'main.ts'))) {
    console.error(`${root} is not the project root (no package.json and main.ts); run the bench with \`npm run bench\``);
    return 2;
  }
  const started = Date.now();
  const machine = describeMachine(root);
  const probe = chooseRssProbe(root);
  log(`${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; load ${machine.loadAtStart}; RSS from ${describeProbe(probe)}`);
  await buildFloor(root);
  const scratch = mkdtempSync(join(tmpdir(), 'kms-bench-'));
  try {
    const ctx: BenchContext = { root, scratch, probe, floorDir: floorDir(root) };
    const plan = plans(options.quick);
    const defaultConfig = await compare(ctx, 'default config', undefined, undefined, plan.default);
    const scale: ScalePoint[] = [];
    for (const size of SCALE_SIZES) {
      const measured = await compare(ctx, `${size} environments`, writeScaleConfig(scratch, size), size, plan.scale(size));
      scale.push({ environments: size, ...measured });
    }
    const accessReport = await measureAccessReport(ctx, plan.accessReport);
    const typecheck = await measureTypecheck(ctx, options.quick);
    const tests = options.tests ? await measureTests(ctx) : { skipped: 'the bench ran with --no-tests' };
    const results: BenchResults = {
      machine,
      loadAtEnd: loadAverages(),
      rssSource: describeProbe(probe),
      benchSeconds: (Date.now() - started) / 1000,
      defaultConfig,
      scale,
      accessReport,
      tests,
      typecheck,
      transpileOnly: transpileOnly(root),
    };
    const checks = checkTargets(results);
    log('');
    for (const check of checks)
      log(
        `${check.met === undefined ? 'n/a   ' : check.met ? 'met   ' : 'MISSED'} ${check.target}: ${check.measured} (limit ${check.limit})`,
      );
    if (options.write) {
      writeFileSync(join(root, 'BENCHMARKS.md'), renderReport(results, checks));
      log('wrote BENCHMARKS.md');
    }
    return checks.some((c) => c.met === false) ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The targets, checked against one run's numbers. */
import type { BenchResults, ScalePoint } from './results';
import { marginal } from './stats';

/** Largest allowed ratio of the main job to the floor (wall, RSS, marginal cost). */
export const MAX_RATIO_TO_FLOOR = 1.5;
/**
 * Largest allowed ratio between the marginal cost per environment from 100 to 1000 and from 10 to
 * 100: above it, cost grows faster than the number of environments.
 */
export const MAX_MARGINAL_GROWTH = 1.5;
/** The access report's evaluation budget: "well under a second". */
export const ACCESS_REPORT_LIMIT_MS = 1000;
/** `npm test`, cold (an empty jest cache), on the 2-core machine: at most a minute. */
export const TEST_SUITE_LIMIT_S = 60;
/** `npm run typecheck`, cold (no incremental build info), on the 2-core machine. */
export const TYPECHECK_LIMIT_S = 8;

/** One target: what is required, what was measured, and whether it holds (undefined: not measured). */
export interface TargetCheck {
  readonly target: string;
  readonly limit: string;
  readonly measured: string;
  readonly met: boolean | undefined;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;
const ratio = (n: number) => `${n.toFixed(2)}x`;

/** The point measured at `environments`, if any. */
export function pointAt(scale: readonly ScalePoint[], environments: number): ScalePoint | undefined {
  return scale.find((p) => p.environments === environments);
}

/** Marginal ms per environment of the main job and of the floor between two sizes, if both were measured. */
export function marginalCosts(scale: readonly ScalePoint[], from: number, to: number): { synth: number; floor: number } | undefined {
  const a = pointAt(scale, from);
  const b = pointAt(scale, to);
  if (!a || !b) return undefined;
  return {
    synth: marginal({ size: from, value: a.synth.wallMs.median }, { size: to, value: b.synth.wallMs.median }),
    floor: marginal({ size: from, value: a.floor.wallMs.median }, { size: to, value: b.floor.wallMs.median }),
  };
}

/** Every target of the issue, in its order. */
export function checkTargets(results: BenchResults): TargetCheck[] {
  const { synth, floor } = results.defaultConfig;
  const wallRatio = synth.wallMs.median / floor.wallMs.median;
  const rssRatio = synth.rssKib.median / floor.rssKib.median;
  const checks: TargetCheck[] = [
    {
      target: '`npm run synth` (default config): wall time against the floor',
      limit: `<= ${MAX_RATIO_TO_FLOOR}x`,
      measured: `${seconds(synth.wallMs.median)} / ${seconds(floor.wallMs.median)} = ${ratio(wallRatio)}`,
      met: wallRatio <= MAX_RATIO_TO_FLOOR,
    },
    {
      target: '`npm run synth` (default config): peak RSS of its largest process against the floor',
      limit: `<= ${MAX_RATIO_TO_FLOOR}x`,
      measured: `${mib(synth.rssKib.median)} / ${mib(floor.rssKib.median)} = ${ratio(rssRatio)}`,
      met: rssRatio <= MAX_RATIO_TO_FLOOR,
    },
  ];

  const top = marginalCosts(results.scale, 100, 1000);
  checks.push(
    top
      ? {
          target: 'Marginal cost per environment, (t(1000) - t(100)) / 900, against the floor per stack',
          limit: `<= ${MAX_RATIO_TO_FLOOR}x`,
          measured: `${top.synth.toFixed(2)} ms / ${top.floor.toFixed(2)} ms = ${ratio(top.synth / top.floor)}`,
          met: top.synth / top.floor <= MAX_RATIO_TO_FLOOR,
        }
      : {
          target: 'Marginal cost per environment against the floor',
          limit: `<= ${MAX_RATIO_TO_FLOOR}x`,
          measured: 'not measured (needs 100 and 1000)',
          met: undefined,
        },
  );
  const low = marginalCosts(results.scale, 10, 100);
  checks.push(
    top && low
      ? {
          target: 'Nothing superlinear: main job marginal cost 100->1000 against 10->100',
          limit: `<= ${MAX_MARGINAL_GROWTH}x`,
          measured: `${top.synth.toFixed(2)} ms / ${low.synth.toFixed(2)} ms = ${ratio(top.synth / low.synth)} (floor: ${ratio(top.floor / low.floor)})`,
          met: top.synth / low.synth <= MAX_MARGINAL_GROWTH,
        }
      : {
          target: 'Nothing superlinear',
          limit: `<= ${MAX_MARGINAL_GROWTH}x`,
          measured: 'not measured (needs 10, 100 and 1000)',
          met: undefined,
        },
  );

  const tests = results.tests;
  checks.push(
    'measured' in tests
      ? {
          target: '`npm test` wall time (cold: empty jest cache)',
          limit: `<= ${TEST_SUITE_LIMIT_S} s`,
          measured: `${seconds(tests.measured.wall.wallMs.median)} (${tests.measured.suite.files.length} files, ${tests.measured.suite.tests} tests, ${tests.measured.suite.failedTests} failed, ${tests.measured.suite.skippedTests} skipped)`,
          met: tests.measured.wall.wallMs.median / 1000 <= TEST_SUITE_LIMIT_S,
        }
      : { target: '`npm test` wall time', limit: `<= ${TEST_SUITE_LIMIT_S} s`, measured: `not measured: ${tests.skipped}`, met: undefined },
  );
  checks.push({
    target: '`npm run typecheck` wall time (cold), median',
    limit: `<= ${TYPECHECK_LIMIT_S} s`,
    measured: `${seconds(results.typecheck.wallMs.median)} (${results.typecheck.wallMs.count} runs, ${seconds(results.typecheck.wallMs.min)}-${seconds(results.typecheck.wallMs.max)})`,
    met: results.typecheck.wallMs.median / 1000 <= TYPECHECK_LIMIT_S,
  });
  checks.push({
    target: 'Type-check once (`tsc --noEmit`), transpile-only jest',
    limit: 'no type-checking transform in jest',
    measured: results.transpileOnly.detail,
    met: results.transpileOnly.met,
  });
  const report = results.accessReport;
  const evaluation = 'measured' in report ? report.measured.evaluationMs : undefined;
  checks.push(
    'measured' in report && evaluation
      ? {
          target: 'Access report for the default config: evaluation (as the command reports it)',
          limit: `< ${seconds(ACCESS_REPORT_LIMIT_MS)}`,
          measured: `${evaluation.median.toFixed(0)} ms (whole command ${seconds(report.measured.command.wallMs.median)})`,
          met: evaluation.median < ACCESS_REPORT_LIMIT_MS,
        }
      : {
          target: 'Access report for the default config: evaluation',
          limit: `< ${seconds(ACCESS_REPORT_LIMIT_MS)}`,
          measured:
            'measured' in report
              ? 'not measured: the command printed no "Evaluated N cells in X ms" line'
              : `not measured: ${report.skipped}`,
          met: undefined,
        },
  );
  return checks;
}

/** BENCHMARKS.md: the machine, the table of medians and spread, the floor, ratios and targets. */
import type { BenchResults, Measured } from './results';
import type { Summary } from './stats';
import { marginalCosts, type TargetCheck } from './targets';

const sec = (ms: number) => (ms / 1000).toFixed(2);
const mib = (kib: number) => (kib / 1024).toFixed(0);
const wall = (s: Summary) => `${sec(s.median)} s (${sec(s.min)}-${sec(s.max)})`;
const rss = (s: Summary) => `${mib(s.median)} MiB (${mib(s.min)}-${mib(s.max)})`;
const verdict = (met: boolean | undefined) => (met === undefined ? 'not measured' : met ? 'met' : '**MISSED**');

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function measuredRow(name: string, m: Measured): string {
  return row([name, m.wallMs.count, wall(m.wallMs), rss(m.rssKib)]);
}

/** The Markdown of BENCHMARKS.md for one run. */
export function renderReport(results: BenchResults, checks: readonly TargetCheck[]): string {
  const m = results.machine;
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` on ${m.date}; every number below comes from that one run (${results.benchSeconds.toFixed(0)} s).`,
    'Wall times are medians with (min-max) over the runs shown, after a warm-up; the main job and the floor ran in alternating rounds.',
    'How to run it and what the targets mean: [docs/performance.md](docs/performance.md).',
    '',
    '## Machine',
    '',
    `- CPU: ${m.cpu}, ${m.cores} cores; memory ${m.memoryGib} GiB; ${m.os}`,
    `- Node ${m.node}, npm ${m.npm}; timing: tinybench ${m.tinybench}; peak RSS: ${results.rssSource}`,
    `- Load average (1/5/15 min) at start ${m.loadAtStart}, at end ${results.loadAtEnd}: other work on the machine adds noise when these exceed 0.`,
    '',
    '## Targets',
    '',
    row(['target', 'limit', 'measured', 'result']),
    row(['---', '---', '---', '---']),
    ...checks.map((c) => row([c.target, c.limit, c.measured, verdict(c.met)])),
    '',
    '## Main job against the floor (default config)',
    '',
    'The floor is `tools/bench/floor/main.ts`: a bare cdktf app creating the same resources with literal values and no config handling, compiled to JS and launched through `npm run floor`, as `npm run synth` is launched through npm.',
    '',
    row(['command', 'runs', 'wall median (min-max)', 'peak RSS median (min-max)']),
    row(['---', '---', '---', '---']),
    measuredRow('`npm run synth`', results.defaultConfig.synth),
    measuredRow('floor: `npm run floor`', results.defaultConfig.floor),
    '',
    '## Scale: environments in one config',
    '',
    row(['environments', 'runs', 'synth wall', 'floor wall', 'wall ratio', 'synth peak RSS', 'floor peak RSS']),
    row(['---', '---', '---', '---', '---', '---', '---']),
    ...results.scale.map((p) =>
      row([
        p.environments,
        p.synth.wallMs.count,
        wall(p.synth.wallMs),
        wall(p.floor.wallMs),
        `${(p.synth.wallMs.median / p.floor.wallMs.median).toFixed(2)}x`,
        rss(p.synth.rssKib),
        rss(p.floor.rssKib),
      ]),
    ),
    '',
  ];
  const segments: [number, number][] = [
    [1, 10],
    [10, 100],
    [100, 1000],
  ];
  const marginalRows = segments.flatMap(([from, to]) => {
    const costs = marginalCosts(results.scale, from, to);
    return costs
      ? [row([`${from} -> ${to}`, costs.synth.toFixed(2), costs.floor.toFixed(2), `${(costs.synth / costs.floor).toFixed(2)}x`])]
      : [];
  });
  if (marginalRows.length > 0) {
    lines.push('Marginal wall time per environment (ms), from the medians above:', '');
    lines.push(row(['environments', 'synth', 'floor', 'ratio']), row(['---', '---', '---', '---']), ...marginalRows, '');
  }

  lines.push('## Tests and type-check', '');
  lines.push(
    `\`npm run typecheck\` (\`tsc --noEmit\`, no incremental build info, so every run is cold): ${wall(results.typecheck.wallMs)} wall over ${results.typecheck.wallMs.count} runs, peak RSS ${rss(results.typecheck.rssKib)}.`,
    '',
  );
  if ('measured' in results.tests) {
    const { wall: w, suite } = results.tests.measured;
    lines.push(
      `\`npm test\`, cold (an empty jest cache; Terraform from the local provider mirror, at most one Terraform process per core): ${wall(w.wallMs)} wall, peak RSS ${rss(w.rssKib)}; ${suite.files.length} files, ${suite.tests} tests, ${suite.failedTests} failed, ${suite.skippedTests} skipped. Time per file as jest reports it (files run in parallel workers, so they add up to more than the wall time):`,
      '',
      row(['file', 'seconds', 'passed']),
      row(['---', '---', '---']),
      ...suite.files.map((f) => row([`\`${f.file}\``, f.seconds.toFixed(1), f.passed ? 'yes' : 'no'])),
      '',
    );
  } else {
    lines.push(`Not measured: ${results.tests.skipped}.`, '');
  }
  lines.push('## Access report', '');
  if ('measured' in results.accessReport) {
    const { command, evaluationMs } = results.accessReport.measured;
    const evaluation = evaluationMs
      ? `evaluation ${evaluationMs.median.toFixed(0)} ms (${evaluationMs.min.toFixed(0)}-${evaluationMs.max.toFixed(0)}) as the command reports it, over ${evaluationMs.count} runs including the warm-up`
      : 'the command printed no evaluation time';
    lines.push(
      `\`npm run access-report\` (default config, as a user runs it: it synthesizes the config itself): whole command ${wall(command.wallMs)}, peak RSS ${rss(command.rssKib)}; ${evaluation}.`,
      '',
    );
  } else {
    lines.push(`Not measured: ${results.accessReport.skipped}.`, '');
  }
  return lines.join('\n');
}

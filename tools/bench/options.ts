/**
 * Command-line options of `npm run bench`, and its entry point, which answers `--help` and usage
 * errors before checking that tinybench (a development dependency) is installed. Loads no tinybench.
 */
import { parseCommandArgs } from '../../app/cli';
import type { CommandEntry } from '../lib/command-entry';
import { BENCH_PACKAGES } from '../lib/dev-dependencies';

/** What the bench should do. */
export interface BenchOptions {
  /** Fewer runs per scenario: a smoke test of the bench, not numbers to publish. */
  readonly quick: boolean;
  /** Skip timing `npm test`. */
  readonly tests: boolean;
  /** Write BENCHMARKS.md (otherwise only print). */
  readonly write: boolean;
  readonly help: boolean;
}

/** The usage text. */
export const USAGE = `Usage: npm run bench [-- [--quick] [--no-tests] [--no-write]]

Times synth against a bare cdktf app (the floor) for the default config and for 1, 10, 100 and
1000 environments, the access report and \`npm test\`; prints the results and writes BENCHMARKS.md.

  --quick     one or two runs per scenario (checks the bench works; numbers are rough)
  --no-tests  do not time \`npm test\`
  --no-write  print the results without writing BENCHMARKS.md
  -h, --help  print this help

Exit codes: 0 every measured target met, 1 a target missed, 2 bad usage, not run from the project
root, or tinybench not installed.`;

const OPTIONS = {
  quick: { type: 'boolean', default: false },
  'no-tests': { type: 'boolean', default: false },
  'no-write': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses `args`; throws a UsageError naming the unknown argument and the allowed ones. */
export function parseOptions(args: readonly string[]): BenchOptions {
  const { values } = parseCommandArgs(args, OPTIONS);
  return { quick: values.quick, tests: !values['no-tests'], write: !values['no-write'], help: values.help };
}

/** The entry point of `npm run bench` (tools/bench/main.ts). */
export const BENCH_ENTRY: CommandEntry = {
  command: 'npm run bench',
  packages: BENCH_PACKAGES,
  beforeLoading: (argv, output) => {
    if (!parseOptions(argv).help) return undefined;
    output.out(USAGE);
    return 0;
  },
  load: async () => {
    const { runBench } = await import('./run');
    return (argv) => runBench(parseOptions(argv));
  },
};

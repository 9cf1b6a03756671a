/** Command-line options of `npm run bench`. */
import { UsageError } from '../../app/cli';

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
export const USAGE = `usage: npm run bench [-- --quick] [-- --no-tests] [-- --no-write]
  --quick     one or two runs per scenario (checks the bench works; numbers are rough)
  --no-tests  do not time \`npm test\`
  --no-write  print the results without writing BENCHMARKS.md`;

/** Parses `args`; throws a UsageError naming the unknown argument and the allowed ones. */
export function parseOptions(args: readonly string[]): BenchOptions {
  const options = { quick: false, tests: true, write: true, help: false };
  for (const arg of args) {
    if (arg === '--quick') options.quick = true;
    else if (arg === '--no-tests') options.tests = false;
    else if (arg === '--no-write') options.write = false;
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new UsageError(`unknown argument ${JSON.stringify(arg)}; allowed: --quick, --no-tests, --no-write, --help`);
  }
  return options;
}

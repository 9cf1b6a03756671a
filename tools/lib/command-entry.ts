/**
 * How a command that needs development dependencies starts (verify, preflight, access report,
 * bench): the arguments first, so `--help` and a usage error are answered from modules that load
 * none of them; then the check that they are installed (`requireInstalled`); only then the modules
 * that do the work. So `--help` works after `npm ci --omit=dev`, and a missing package is one line
 * naming it, not a module-not-found stack trace.
 */
import { reportFailure } from '../../app/cli';
import { requireInstalled } from './dev-dependencies';

/** Where an entry point prints, and the environment (for `DEBUG`). */
export interface EntryOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** One command's entry point. */
export interface CommandEntry {
  /** How the command is run, e.g. `npm run verify`; prefixes its usage errors. */
  readonly command: string;
  /** The development dependencies its work needs. */
  readonly packages: readonly string[];
  /**
   * Answers from the arguments alone: prints the help and returns 0, or returns an exit code for a
   * usage error it printed, or returns undefined to go on; may throw a UsageError instead of printing
   * one. Must not load `packages`.
   */
  readonly beforeLoading: (argv: readonly string[], output: EntryOutput) => number | undefined;
  /** Loads the command's modules and returns its run function (its own output goes to the console). */
  readonly load: () => Promise<(argv: readonly string[]) => Promise<number> | number>;
}

const consoleOutput: EntryOutput = { out: (line) => console.log(line), err: (line) => console.error(line) };

/**
 * Runs `entry` with `argv` as described above; resolves with the exit code. `resolve` finds a
 * package (tests pass one that finds none).
 */
export async function runCommandEntry(
  entry: CommandEntry,
  argv: readonly string[],
  output: EntryOutput = consoleOutput,
  resolve: (name: string) => string = require.resolve,
): Promise<number> {
  try {
    const answered = entry.beforeLoading(argv, output);
    if (answered !== undefined) return answered;
    requireInstalled(entry.packages, resolve);
  } catch (error) {
    return reportFailure(error, { error: output.err, env: output.env }, entry.command);
  }
  const run = await entry.load();
  return run(argv);
}

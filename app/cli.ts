/**
 * How every command (synth, plan, access-report, verify, preflight, cost, bench) reads its arguments
 * and ends: one argument parser, and one place that turns a failure into a message and an exit code,
 * so that they all behave alike.
 *
 * - bad config (ConfigError), JSON read from outside that is not what the command reads
 *   (ExternalJsonError, a ConfigError), bad usage (UsageError), an output folder that cannot be used
 *   or a development dependency that is not installed: the message, exit 2;
 * - the output lock stayed busy: the message, exit 1;
 * - anything else is a bug: one line `internal error: <message>`, exit 1; with `DEBUG=1` the stack too.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/errors';
import { OutputLockBusyError } from './output-lock';
import { OutputFolderError } from './project';

/** Wrong command-line arguments; the command exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A package the command needs is not installed (e.g. after `npm ci --omit=dev`); the command exits 2. */
export class MissingDependencyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingDependencyError';
  }
}

/** Where a command writes its errors, and the environment (for `DEBUG`). */
export interface FailureOutput {
  readonly error: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
}

/** Prints `error` as described above and returns the exit code. `command` prefixes usage errors. */
export function reportFailure(error: unknown, output: FailureOutput, command: string): number {
  if (error instanceof ConfigError) {
    output.error(error.message);
    return 2;
  }
  if (error instanceof UsageError) {
    output.error(`${command}: ${error.message} (see --help)`);
    return 2;
  }
  if (error instanceof OutputFolderError || error instanceof MissingDependencyError) {
    output.error(`${command}: ${error.message}`);
    return 2;
  }
  if (error instanceof OutputLockBusyError) {
    output.error(`${command}: ${error.message}`);
    return 1;
  }
  // Duck-typed: errors made in another realm (a vm context, a worker) fail `instanceof Error`.
  const { message, stack } =
    typeof error === 'object' && error !== null && 'message' in error ? (error as Error) : { message: String(error), stack: undefined };
  output.error(`internal error: ${String(message).split('\n')[0]}`);
  if ((output.env ?? process.env).DEBUG === '1' && stack) output.error(stack);
  return 1;
}

/** How an option is written in a message: `--env <value> (-e)`, `--json`. */
function optionText(name: string, option: { readonly type: string; readonly short?: string }): string {
  return `--${name}${option.type === 'string' ? ' <value>' : ''}${option.short ? ` (-${option.short})` : ''}`;
}

/**
 * `node:util` `parseArgs` with the rules every command shares: unknown options and stray arguments
 * are refused (positionals only when `allowPositionals`), and a refusal is a UsageError with
 * parseArgs's first sentence (exit 2); an unknown option's message also lists the allowed ones.
 */
export function parseCommandArgs<const T extends ParseArgsConfig['options']>(
  args: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (error) {
    const message = String((error as Error).message).split('\n')[0];
    if ((error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      // parseArgs adds how to pass a positional that starts with "-"; what the user needs is the list.
      const allowed = Object.entries<{ readonly type: string; readonly short?: string }>(options ?? {}).map(([name, option]) =>
        optionText(name, option),
      );
      throw new UsageError(`${message.replace(/\. To specify a positional argument.*$/, '')}; allowed: ${allowed.join(', ')}`);
    }
    throw new UsageError(message);
  }
}

/** True when the arguments ask for help. */
export function wantsHelp(args: readonly string[]): boolean {
  return args.includes('--help') || args.includes('-h');
}

/**
 * Runs a command's main function as this process: its result is the exit code; a failure it did
 * not handle is reported by `reportFailure`.
 */
export function runAsProcess(command: string, main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        process.exitCode = reportFailure(error, { error: (line) => console.error(line) }, command);
      },
    );
}

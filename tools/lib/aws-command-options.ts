/**
 * The command-line options of the AWS check commands (`npm run verify`, `npm run preflight`):
 * `--env`, `--region`, `--profile`, `--json` and `--help`. One parser with one set of rules, so a
 * profile or region that works for one command works for the other.
 *
 * This module loads no AWS SDK: the commands' entry points answer `--help` and usage errors from it
 * before they check that the SDK is installed (it is a development dependency).
 */
import { parseCommandArgs, UsageError, wantsHelp } from '../../app/cli';
import type { CommandEntry } from './command-entry';
import { AWS_SDK_CLIENTS } from './dev-dependencies';

/** Parsed options. */
export interface AwsCommandOptions {
  /** `--env`, `-e`: the environment in the config; undefined when left out (allowed when the config has one). */
  readonly env?: string;
  /** `--region`: the region to query; undefined for the environment's. */
  readonly region?: string;
  /** `--profile`: an AWS shared-config profile; undefined for AWS_PROFILE or the default chain. */
  readonly profile?: string;
  /** `--json`: print the report as JSON. */
  readonly json: boolean;
  /** `--help`, `-h`: print the help. */
  readonly help: boolean;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const PROFILE = /^[\w.+=@:/-]{1,128}$/;

const OPTIONS = {
  env: { type: 'string', short: 'e' },
  region: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the arguments after `npm run <command> --`; throws UsageError with one line. */
export function parseAwsCommandOptions(argv: readonly string[]): AwsCommandOptions {
  const { values } = parseCommandArgs(argv, OPTIONS);
  if (values.region !== undefined && !REGION.test(values.region)) {
    throw new UsageError(`--region ${JSON.stringify(values.region)} is not a region name such as us-east-1`);
  }
  if (values.profile !== undefined && !PROFILE.test(values.profile)) {
    throw new UsageError(`--profile ${JSON.stringify(values.profile)} is not a valid profile name`);
  }
  return { env: values.env, region: values.region, profile: values.profile, json: values.json, help: values.help };
}

/** What an AWS check command's usage needs: no checks, no clients, so no SDK. */
export interface AwsCommandUsage {
  /** The command's name: `npm run <name>`, the first word of its one-line errors. */
  readonly name: string;
  /** What `--help` prints. */
  readonly help: string;
  /**
   * `true`: `--help` or `-h` anywhere on the line prints the help before the options are parsed, so
   * it works even beside a mistyped option. `false`: the options are parsed first, so a bad option is
   * a usage error even beside `--help`.
   */
  readonly helpBeforeParsing: boolean;
}

/** Where a command prints. */
export interface CommandOutput {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/**
 * Reports a reason the command cannot run as its one line on stderr (`<name>: <message>`) and, with
 * `--json`, also as a JSON document on stdout; returns exit code 2.
 */
export function reportAbort(name: string, message: string, json: boolean, output: CommandOutput): number {
  if (json) output.out(JSON.stringify({ error: message, exitCode: 2 }));
  output.err(`${name}: ${message}`);
  return 2;
}

/**
 * The part of a run that needs nothing but the arguments: prints the help (exit 0) or the usage
 * error (exit 2) and returns `{ exitCode }`, or returns the options to run with.
 */
export function answerUsage(
  usage: AwsCommandUsage,
  argv: readonly string[],
  output: CommandOutput,
): { readonly exitCode: number } | { readonly options: AwsCommandOptions } {
  const printHelp = () => {
    output.out(usage.help);
    return { exitCode: 0 };
  };
  if (usage.helpBeforeParsing && wantsHelp(argv)) return printHelp();
  let options: AwsCommandOptions;
  try {
    options = parseAwsCommandOptions(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { exitCode: reportAbort(usage.name, `${error.message} (see --help)`, argv.includes('--json'), output) };
  }
  return options.help ? printHelp() : { options };
}

/**
 * The entry point of an AWS check command: `--help` and usage errors answered from `usage` before
 * the SDK is required, then the `runCli` of the module `loadCli` imports (which loads the SDK).
 */
export function awsCommandEntry(
  usage: AwsCommandUsage,
  loadCli: () => Promise<{ runCli(argv: readonly string[]): Promise<number> }>,
): CommandEntry {
  return {
    command: `npm run ${usage.name}`,
    packages: AWS_SDK_CLIENTS,
    beforeLoading: (argv, output) => {
      const answer = answerUsage(usage, argv, output);
      return 'exitCode' in answer ? answer.exitCode : undefined;
    },
    load: async () => {
      const { runCli } = await loadCli();
      return (argv) => runCli(argv);
    },
  };
}

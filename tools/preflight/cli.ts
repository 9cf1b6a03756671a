/**
 * `npm run preflight`: the AWS check command (tools/lib/aws-command.ts), as verify is, with
 * preflight's help, checks and report. Every failure to run becomes one line and exit code 2; a
 * failed check is exit code 1.
 */
import { type AwsCheckCommand, type AwsCommandDependencies, processDependencies, runAwsCheckCommand } from '../lib/aws-command';
import { PREFLIGHT_USAGE } from './args';
import { createClients } from './clients';
import { type PreflightReport, runPreflight } from './run-checks';
import type { PreflightClients } from './types';

/** What the CLI reads from its surroundings; tests replace the clients and the output. */
export type CliDependencies = AwsCommandDependencies<PreflightClients>;

/** The real surroundings. */
export const defaultDependencies: CliDependencies = processDependencies(createClients);

/** preflight: its usage (`args.ts`), its checks; the heading names the key only when one is imported. */
const PREFLIGHT: AwsCheckCommand<PreflightClients, PreflightReport> = {
  ...PREFLIGHT_USAGE,
  keyArnLabel: 'importing key',
  run: runPreflight,
};

/** Runs the command; returns the exit code. Never throws. */
export function runCli(argv: readonly string[], deps: CliDependencies = defaultDependencies): Promise<number> {
  return runAwsCheckCommand(PREFLIGHT, argv, deps);
}

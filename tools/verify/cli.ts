/**
 * `npm run verify`: the AWS check command (tools/lib/aws-command.ts) with verify's help, checks and
 * report. Every failure to run becomes one line and exit code 2; a failed check is exit code 1.
 */
import { type AwsCheckCommand, type AwsCommandDependencies, processDependencies, runAwsCheckCommand } from '../lib/aws-command';
import { VERIFY_USAGE } from './args';
import { createClients } from './clients';
import { runVerify, type VerifyReport } from './run-checks';
import type { VerifyClients } from './types';

/** What the CLI reads from its surroundings; tests replace the clients and the output. */
export type CliDependencies = AwsCommandDependencies<VerifyClients>;

/** The real surroundings. */
export const defaultDependencies: CliDependencies = processDependencies(createClients);

/** verify: its usage (`args.ts`), its checks; the heading names the key found. */
const VERIFY: AwsCheckCommand<VerifyClients, VerifyReport> = {
  ...VERIFY_USAGE,
  keyArnLabel: 'key',
  run: runVerify,
};

/** Runs the command; returns the exit code. Never throws. */
export function runCli(argv: readonly string[], deps: CliDependencies = defaultDependencies): Promise<number> {
  return runAwsCheckCommand(VERIFY, argv, deps);
}

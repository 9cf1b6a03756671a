/**
 * The wiring every AWS check command (`npm run verify`, `npm run preflight`) shares: options,
 * config, the environment, synthesis, clients, who is calling, and output. Every failure to run
 * becomes one line and exit code 2 (with `--json`, also a JSON document); a failed check is exit
 * code 1. What differs between the commands (name, help, checks, report) is an `AwsCheckCommand`.
 */
import type { STSClient } from '@aws-sdk/client-sts';
import { reportFailure, UsageError } from '../../app/cli';
import { ConfigError } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { AppConfig, EnvironmentConfig } from '../../config/schema';
import { identifyCaller } from '../verify/caller';
import type { ClientSettings } from '../verify/clients';
import { isCredentialsError, oneLine } from '../verify/diagnosis';
import { synthesizeStack } from '../verify/expected-policy';
import type { Caller } from '../verify/types';
import { answerUsage, type AwsCommandUsage, reportAbort } from './aws-command-options';
import { type CheckReport, exitCodeOf, formatJson, formatText } from './check-report';
import type { SynthesizedStack } from './synthesized';

/** What a command reads from its surroundings; tests replace the clients and the output. */
export interface AwsCommandDependencies<Clients> {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly createClients: (settings: ClientSettings) => Clients;
  readonly synthesize: (config: AppConfig, environment: string) => SynthesizedStack;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The real surroundings: this process's environment and folder, the console, and `createClients`. */
export function processDependencies<Clients>(createClients: (settings: ClientSettings) => Clients): AwsCommandDependencies<Clients> {
  return {
    env: process.env,
    cwd: process.cwd(),
    createClients,
    synthesize: synthesizeStack,
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  };
}

/** What a command's checks run on. */
export interface CheckInput<Clients> {
  readonly environment: EnvironmentConfig;
  /** The region to talk to (`--region`, else the environment's); the clients are set up for it. */
  readonly region: string;
  readonly clients: Clients;
  /** The environment's synthesized stack (synthesizing is the caller's job, so tests can pass a fixture). */
  readonly stack: SynthesizedStack;
}

/**
 * A reason a command cannot run at all (no credentials, wrong account): exit code 2, one line.
 * Each command throws its own subclass (`VerifyAbort`, `PreflightAbort`), named after it.
 */
export class CommandAbort extends Error {}

/**
 * Identifies the caller (`sts:GetCallerIdentity`), or throws `Abort` with one line: no usable
 * credentials, STS unreachable, or credentials of another account than the environment's `accountId`.
 */
export async function callerOrAbort(
  input: CheckInput<{ readonly sts: STSClient }>,
  Abort: new (message: string) => CommandAbort,
): Promise<Caller> {
  let caller: Caller;
  try {
    caller = await identifyCaller(input.clients.sts);
  } catch (error) {
    if (isCredentialsError(error)) {
      throw new Abort(
        `no usable AWS credentials: ${oneLine(error)}; set AWS_PROFILE or pass --profile (a profile that exists, with a current session)`,
      );
    }
    throw new Abort(
      `cannot establish who is calling (sts:GetCallerIdentity in ${input.region}): ${oneLine(error)}; check the network and the region`,
    );
  }
  const expected = input.environment.accountId;
  if (expected && caller.accountId !== expected) {
    throw new Abort(
      `the credentials are for account ${caller.accountId}, but environment "${input.environment.name}" is configured for account ${expected}; use a profile of that account`,
    );
  }
  return caller;
}

/** The environment `--env` names, or the config's only one; UsageError otherwise. */
export function pickEnvironment(config: AppConfig, name: string | undefined): EnvironmentConfig {
  const names = config.environments.map((e) => e.name);
  if (name === undefined) {
    if (config.environments.length === 1) return config.environments[0];
    throw new UsageError(`--env is required: the config has ${names.length} environments (${names.join(', ')})`);
  }
  const found = config.environments.find((e) => e.name === name);
  if (!found) throw new UsageError(`--env ${JSON.stringify(name)} is not in the config; environments: ${names.join(', ')}`);
  return found;
}

/** What makes one check command differ from another. */
export interface AwsCheckCommand<Clients, Report extends CheckReport> extends AwsCommandUsage {
  /** What the report's key ARN follows in the text heading, e.g. `key`. */
  readonly keyArnLabel: string;
  /** Runs the checks; throws a CommandAbort when nothing can be checked. */
  readonly run: (input: CheckInput<Clients>) => Promise<Report>;
}

/** Runs `command` with `argv`; returns the exit code. Never throws. */
export async function runAwsCheckCommand<Clients, Report extends CheckReport>(
  command: AwsCheckCommand<Clients, Report>,
  argv: readonly string[],
  deps: AwsCommandDependencies<Clients>,
): Promise<number> {
  const usage = answerUsage(command, argv, deps);
  if ('exitCode' in usage) return usage.exitCode;
  const { options } = usage;
  const { json } = options;
  const abort = (message: string): number => reportAbort(command.name, message, json, deps);
  try {
    const config = loadConfig(deps.env, deps.cwd);
    const environment = pickEnvironment(config, options.env);
    const region = options.region ?? environment.region;
    const stack = deps.synthesize(config, environment.name);
    const clients = deps.createClients({ region, profile: options.profile });
    const report = await command.run({ environment, region, clients, stack });
    if (json) deps.out(formatJson(report));
    else for (const line of formatText(report, { command: command.name, keyArnLabel: command.keyArnLabel })) deps.out(line);
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof UsageError) return abort(`${error.message} (see --help)`);
    if (error instanceof ConfigError) {
      if (json) deps.out(JSON.stringify({ error: error.message, problems: error.problems, exitCode: 2 }));
      deps.err(error.message);
      return 2;
    }
    if (error instanceof CommandAbort) return abort(error.message);
    if (json) deps.out(JSON.stringify({ error: `internal error: ${oneLine(error)}`, exitCode: 1 }));
    return reportFailure(error, { error: deps.err, env: deps.env }, `npm run ${command.name}`);
  }
}

/**
 * `npm run preflight`: wires options, config, synthesis, clients and output, as verify does. Every
 * failure to run becomes one line and exit code 2; a failed check is exit code 1.
 */
import { reportFailure, wantsHelp } from '../../app/cli';
import { ConfigError } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { AppConfig, EnvironmentConfig } from '../../config/schema';
import type { SynthesizedStack } from '../lib/synthesized';
import { oneLine } from '../verify/diagnosis';
import { synthesizeStack } from '../verify/expected-policy';
import { HELP, parsePreflightArgs, UsageError } from './args';
import { type ClientSettings, createClients } from './clients';
import { formatJson, formatText } from './output';
import { exitCodeOf, PreflightAbort, runPreflight } from './run-checks';
import type { PreflightClients } from './types';

/** What the CLI reads from its surroundings; tests replace the clients and the output. */
export interface CliDependencies {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly createClients: (settings: ClientSettings) => PreflightClients;
  readonly synthesize: (config: AppConfig, environment: string) => SynthesizedStack;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

/** The real surroundings. */
export const defaultDependencies: CliDependencies = {
  env: process.env,
  cwd: process.cwd(),
  createClients,
  synthesize: synthesizeStack,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

function pickEnvironment(config: AppConfig, name: string | undefined): EnvironmentConfig {
  const names = config.environments.map((e) => e.name);
  if (name === undefined) {
    if (config.environments.length === 1) return config.environments[0];
    throw new UsageError(`--env is required: the config has ${names.length} environments (${names.join(', ')})`);
  }
  const found = config.environments.find((e) => e.name === name);
  if (!found) throw new UsageError(`--env ${JSON.stringify(name)} is not in the config; environments: ${names.join(', ')}`);
  return found;
}

/** Runs the command; returns the exit code. Never throws. */
export async function runCli(argv: readonly string[], deps: CliDependencies = defaultDependencies): Promise<number> {
  // --help wins over everything else on the line, so it works even beside a mistyped option.
  if (wantsHelp(argv)) {
    deps.out(HELP);
    return 0;
  }
  let json = argv.includes('--json');
  const abort = (message: string): number => {
    if (json) deps.out(JSON.stringify({ error: message, exitCode: 2 }));
    deps.err(`preflight: ${message}`);
    return 2;
  };
  try {
    const options = parsePreflightArgs(argv);
    json = options.json;
    const config = loadConfig(deps.env, deps.cwd);
    const environment = pickEnvironment(config, options.env);
    const region = options.region ?? environment.region;
    const stack = deps.synthesize(config, environment.name);
    const clients = deps.createClients({ region, profile: options.profile });
    const report = await runPreflight({ environment, region, clients, stack });
    if (json) deps.out(formatJson(report));
    else for (const line of formatText(report)) deps.out(line);
    return exitCodeOf(report);
  } catch (error) {
    if (error instanceof UsageError) return abort(`${error.message} (see --help)`);
    if (error instanceof ConfigError) {
      if (json) deps.out(JSON.stringify({ error: error.message, problems: error.problems, exitCode: 2 }));
      deps.err(error.message);
      return 2;
    }
    if (error instanceof PreflightAbort) return abort(error.message);
    if (json) deps.out(JSON.stringify({ error: `internal error: ${oneLine(error)}`, exitCode: 1 }));
    return reportFailure(error, { error: deps.err, env: deps.env }, 'npm run preflight');
  }
}

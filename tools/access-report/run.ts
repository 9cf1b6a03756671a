/**
 * The command as a function: load the config, get the synthesized stacks, report each
 * environment, print, and return the exit code (0 ok, 1 a check failed, 2 bad config or usage).
 */
import { reportFailure, UsageError } from '../../app/cli';
import { loadConfig } from '../../config/load';
import type { AppConfig } from '../../config/schema';
import { parseArgs, USAGE } from './args';
import { formatJson } from './format-json';
import { formatEnvironment } from './format-table';
import { PlanFileError } from './plan-check';
import { type EnvironmentReport, reportEnvironment } from './report';
import { EvaluationError } from './simulate';
import { readStacks, synthesizeStacks } from '../lib/synthesized';

/** Where the command writes. */
export interface Output {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const consoleOutput: Output = { out: (t) => console.log(t), err: (t) => console.error(t) };

function selectEnvironments(config: AppConfig, env: string | undefined): AppConfig['environments'] {
  if (env === undefined) return config.environments;
  const found = config.environments.filter((e) => e.name === env);
  if (found.length === 0) {
    throw new UsageError(`--env ${env}: no such environment; the config has: ${config.environments.map((e) => e.name).join(', ')}`);
  }
  return found;
}

/** Runs the access report; returns the exit code. */
export async function runAccessReport(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  output: Output = consoleOutput,
): Promise<number> {
  let reports: EnvironmentReport[];
  let args;
  try {
    args = parseArgs(argv);
    if (args.help) {
      output.out(USAGE);
      return 0;
    }
    const config = loadConfig(env);
    const environments = selectEnvironments(config, args.env);
    const stacks =
      args.outdir === undefined
        ? synthesizeStacks({ environments })
        : readStacks(
            args.outdir,
            environments.map((e) => e.name),
          );
    reports = [];
    for (const environment of environments) {
      reports.push(await reportEnvironment(environment, stacks.get(environment.name)!, { strict: args.strict, planDir: args.planDir }));
    }
  } catch (error) {
    if (error instanceof PlanFileError) {
      output.err(error.message);
      return 2;
    }
    if (error instanceof EvaluationError) {
      output.err(`access report: ${error.message}`);
      return 1;
    }
    return reportFailure(error, { error: output.err, env }, 'npm run access-report');
  }
  output.out(args.json ? formatJson(reports, args.strict) : reports.map(formatEnvironment).join('\n\n'));
  return reports.every((r) => r.ok) ? 0 : 1;
}

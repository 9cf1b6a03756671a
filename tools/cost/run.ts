/**
 * The command as a function: read the options and the config, estimate every environment, print a
 * table or JSON, and return the exit code (0 printed, 1 internal error, 2 bad config or usage).
 */
import { reportFailure, wantsHelp } from '../../app/cli';
import { loadConfig } from '../../config/load';
import { estimateCosts } from '../../policy/pricing';
import { HELP, parseCostArgs } from './args';
import { formatJson } from './format-json';
import { formatTable } from './format-table';

/** Where the command reads and writes; tests replace it. */
export interface CostContext {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processContext = (): CostContext => ({
  env: process.env,
  cwd: process.cwd(),
  out: (text) => console.log(text),
  err: (text) => console.error(text),
});

/** Runs `npm run cost` with the arguments after `--`; returns the exit code. */
export function runCost(argv: readonly string[], context: CostContext = processContext()): number {
  // --help wins over everything else on the line, so it works even beside a mistyped option.
  if (wantsHelp(argv)) {
    context.out(HELP);
    return 0;
  }
  try {
    const options = parseCostArgs(argv);
    const estimate = estimateCosts(loadConfig(context.env, context.cwd).environments);
    context.out(options.json ? formatJson(estimate) : formatTable(estimate));
    return 0;
  } catch (error) {
    return reportFailure(error, { error: context.err, env: context.env }, 'npm run cost');
  }
}

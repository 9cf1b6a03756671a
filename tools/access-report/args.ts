/**
 * Command-line arguments of `npm run access-report`, its help, and its entry point, which answers
 * `--help` and usage errors before checking that the IAM simulator (a development dependency) is
 * installed. Loads no IAM simulator.
 */
import { parseCommandArgs } from '../../app/cli';
import type { CommandEntry } from '../lib/command-entry';
import { IAM_SIMULATOR_PACKAGES } from '../lib/dev-dependencies';

/** Parsed options. */
export interface AccessReportArgs {
  /** Only this environment. @default every environment of the config */
  readonly env?: string;
  readonly json: boolean;
  readonly strict: boolean;
  /** Folder with `<env>.plan.json` files. */
  readonly planDir?: string;
  /** Read stacks from this synthesized output folder instead of synthesizing into a temporary one. */
  readonly outdir?: string;
  readonly help: boolean;
}

/** The text of `--help`. */
export const USAGE = `Usage: npm run access-report -- [--env NAME] [--json] [--plan DIR] [--strict] [--outdir DIR]

Evaluates, with an IAM policy evaluator, who may do what on each environment's KMS key: every
principal x KMS action x request context (direct, via Secrets Manager), from the policies rendered
from the synthesized Terraform JSON.

  --env NAME    only this environment (default: all in the config named by KMS_CONFIG, or the default config)
  --json        print JSON instead of tables
  --plan DIR    also compare each key policy with the one Terraform computed in DIR/<env>.plan.json
  --strict      count cells allowed only through the account-root statement's IAM delegation as risky
  --outdir DIR  read DIR/stacks/<env>/cdk.tf.json (written by npm run synth, without --hcl) instead of synthesizing afresh
  --help        this text

Exit codes: 0 no risky cell, 1 a risky cell, a lint problem, an evaluator error or a plan mismatch,
2 bad config or usage.`;

const OPTIONS = {
  env: { type: 'string' },
  json: { type: 'boolean', default: false },
  plan: { type: 'string' },
  strict: { type: 'boolean', default: false },
  outdir: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the arguments after the script name; throws UsageError with one line. */
export function parseArgs(argv: readonly string[]): AccessReportArgs {
  const { values } = parseCommandArgs(argv, OPTIONS);
  return { env: values.env, json: values.json, strict: values.strict, planDir: values.plan, outdir: values.outdir, help: values.help };
}

/** The entry point of `npm run access-report` (tools/access-report/main.ts). */
export const ACCESS_REPORT_ENTRY: CommandEntry = {
  command: 'npm run access-report',
  packages: IAM_SIMULATOR_PACKAGES,
  beforeLoading: (argv, output) => {
    if (!parseArgs(argv).help) return undefined;
    output.out(USAGE);
    return 0;
  },
  load: async () => {
    const { runAccessReport } = await import('./run');
    return (argv) => runAccessReport(argv);
  },
};

/** Command-line arguments of `npm run access-report`. */
import { UsageError } from '../../app/cli';

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

export { UsageError };

/** The text of `--help`. */
export const USAGE = `Usage: npm run access-report -- [--env NAME] [--json] [--plan DIR] [--strict] [--outdir DIR]

Evaluates, with an IAM policy evaluator, who may do what on each environment's KMS key: every
principal x KMS action x request context (direct, via Secrets Manager), from the policies rendered
from the synthesized Terraform JSON.

  --env NAME    only this environment (default: all in the config named by KMS_CONFIG, or the default config)
  --json        print JSON instead of tables
  --plan DIR    also compare each key policy with the one Terraform computed in DIR/<env>.plan.json
  --strict      count cells allowed only through the account-root statement's IAM delegation as risky
  --outdir DIR  read DIR/stacks/<env>/cdk.tf.json (written by npm run synth) instead of synthesizing afresh
  --help        this text

Exit codes: 0 no risky cell, 1 a risky cell, a lint problem, an evaluator error or a plan mismatch,
2 bad config or usage.`;

/** Parses the arguments after the script name. */
export function parseArgs(argv: readonly string[]): AccessReportArgs {
  const args: { env?: string; json: boolean; strict: boolean; planDir?: string; outdir?: string; help: boolean } = { json: false, strict: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${arg} needs a value`);
      return next;
    };
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const take = () => inline ?? value();
    switch (flag) {
      case '--env':
        args.env = take();
        break;
      case '--plan':
        args.planDir = take();
        break;
      case '--outdir':
        args.outdir = take();
        break;
      case '--json':
        args.json = true;
        break;
      case '--strict':
        args.strict = true;
        break;
      case '--help':
      case '-h':
        args.help = true;
        break;
      default:
        throw new UsageError(`unknown argument "${arg}"; allowed: --env NAME, --json, --plan DIR, --strict, --outdir DIR, --help`);
    }
  }
  return args;
}

/**
 * `npm run plan -- <environment>`: plans one synthesized stack with the user's own credentials,
 * backend and environment, the way `cdktf diff` does, and keeps the plan as JSON for review tools.
 *
 * Steps: synthesize (unless `--no-synth`), `terraform init`, `terraform plan -out`, then
 * `terraform show -json` into `cdktf.out/plans/<environment>.plan.json`. Terraform's own output is
 * shown as it runs. Exit codes: 0 planned, 1 Terraform failed, 2 bad usage, bad config, no
 * synthesized stack or no Terraform CLI.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { synthesizeConfig } from '../../app/synth';
import { ConfigError } from '../../config/errors';
import { loadConfig } from '../../config/load';
import { findTerraformBinary } from './binary';
import { runTerraform } from './cli';
import { findProviderMirror, PROVIDER_MIRROR_ENV, writeMirrorCliConfig } from './mirror';
import { planJsonPath, USER_PLAN_DIR, writePlanJson } from './plan-output';

/** The command's help text. */
export const PLAN_USAGE = `Usage: npm run plan -- <environment> [--no-synth]

Plans one environment's stack with your AWS credentials and its configured backend, like
\`cdktf diff\`, and writes the plan as JSON to ${USER_PLAN_DIR}/<environment>.plan.json
(\`terraform show -json\`), which \`npm run access-report -- --plan ${USER_PLAN_DIR}\` reads.

Steps: synthesize every environment (the config named by KMS_CONFIG, else the default), then in
cdktf.out/stacks/<environment>: terraform init, terraform plan -out, terraform show -json.
Nothing is applied.

Options:
  --no-synth   plan what cdktf.out already holds (run \`npm run synth\` first)
  -h, --help   show this help

Environment:
  KMS_CONFIG              the config file (default: the embedded default config)
  TERRAFORM_BINARY_NAME   the Terraform CLI (default: terraform on the PATH)
  TF_PROVIDER_MIRROR      install providers from this local mirror instead of the registry
                          (replaces TF_CLI_CONFIG_FILE for these runs)
  AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...   your credentials, used as they are

Exit codes: 0 planned, 1 Terraform failed, 2 bad usage or config, no stack, no Terraform CLI.`;

/** Where the command runs and writes. */
export interface PlanCommandContext {
  /** The project root (holds cdktf.out). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
  /**
   * Show Terraform's output on the terminal (true for the CLI); when false it is passed to `log`
   * and `error` once each command ends.
   * @default true
   */
  readonly inheritOutput?: boolean;
}

type ParsedArgs = { help: true } | { help: false; environment: string; synth: boolean } | { usageError: string };

function parseArgs(args: readonly string[]): ParsedArgs {
  if (args.includes('--help') || args.includes('-h')) return { help: true };
  const unknown = args.filter((a) => a.startsWith('-') && a !== '--no-synth');
  if (unknown.length > 0) return { usageError: `unknown option ${unknown.join(', ')}; allowed: --no-synth, --help` };
  const positional = args.filter((a) => !a.startsWith('-'));
  if (positional.length !== 1) {
    return { usageError: positional.length === 0 ? 'name the environment to plan' : `plan one environment at a time, got ${positional.join(', ')}` };
  }
  return { help: false, environment: positional[0], synth: !args.includes('--no-synth') };
}

/**
 * Synthesizes every environment into `<cwd>/cdktf.out` as `npm run synth` does (stale stacks
 * removed); returns the names, or an exit code on bad config.
 */
function synthesize(context: PlanCommandContext): string[] | number {
  try {
    const config = loadConfig(context.env, context.cwd);
    synthesizeConfig(config, join(context.cwd, 'cdktf.out'));
    return config.environments.map((e) => e.name);
  } catch (error) {
    if (error instanceof ConfigError) {
      context.error(error.message);
      return 2;
    }
    throw error;
  }
}

/** Runs `npm run plan` with `args`; resolves with the exit code. */
export async function runPlanCommand(args: readonly string[], context: PlanCommandContext): Promise<number> {
  const parsed = parseArgs(args);
  if ('usageError' in parsed) {
    context.error(`npm run plan: ${parsed.usageError}\n\n${PLAN_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    context.log(PLAN_USAGE);
    return 0;
  }
  const { environment } = parsed;
  const stackDir = join(context.cwd, 'cdktf.out', 'stacks', environment);
  const shownDir = relative(context.cwd, stackDir) || '.';
  if (parsed.synth) {
    const names = synthesize(context);
    if (typeof names === 'number') return names;
    if (!names.includes(environment)) {
      context.error(`npm run plan: no environment "${environment}" in the config; environments: ${names.join(', ')}`);
      return 2;
    }
  } else if (!existsSync(join(stackDir, 'cdk.tf.json'))) {
    context.error(`npm run plan: ${join(shownDir, 'cdk.tf.json')} does not exist; run \`npm run synth\` first, or drop --no-synth`);
    return 2;
  }

  const binary = findTerraformBinary(context.env);
  if (!binary.found) {
    context.error(`npm run plan: ${binary.reason}; install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`);
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), 'kms-plan-'));
  try {
    const env: NodeJS.ProcessEnv = { CHECKPOINT_DISABLE: '1', ...context.env };
    if (context.env[PROVIDER_MIRROR_ENV]) {
      const mirror = findProviderMirror(context.env);
      if (!mirror.found) {
        context.error(`npm run plan: ${mirror.reason}; unset ${PROVIDER_MIRROR_ENV} to install providers from the registry`);
        return 2;
      }
      env.TF_CLI_CONFIG_FILE = writeMirrorCliConfig(work, mirror.root);
    }
    const inherit = context.inheritOutput ?? true;
    const terraform = async (step: string[]) => {
      const result = await runTerraform(binary.path, step, { cwd: stackDir, env, inheritOutput: inherit && step[0] !== 'show' });
      if (!inherit && step[0] !== 'show') {
        if (result.stdout) context.log(result.stdout.trimEnd());
        if (result.stderr) context.error(result.stderr.trimEnd());
      }
      if (result.code !== 0) context.error(`npm run plan: terraform ${step.join(' ')} failed in ${shownDir} (exit ${result.code})`);
      return result;
    };
    const planFile = join(work, `${environment}.tfplan`);
    for (const step of [['init', '-input=false'], ['plan', '-input=false', `-out=${planFile}`]]) {
      if ((await terraform(step)).code !== 0) return 1;
    }
    const shown = await terraform(['show', '-json', planFile]);
    if (shown.code !== 0) {
      if (shown.stderr) context.error(shown.stderr.trimEnd());
      return 1;
    }
    const output = planJsonPath(join(context.cwd, USER_PLAN_DIR), environment);
    writePlanJson(output, shown.stdout);
    context.log(`Plan JSON for ${environment}: ${relative(context.cwd, output)}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

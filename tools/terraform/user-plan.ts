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
import { physicalPath } from '../../app/project';
import { keptStackWarning } from '../../app/stale-stacks';
import { type CommandContext, type PreparedLayout, prepareLayout, prepareSynth, withLockOf } from '../../app/synth';
import { OutputLockBusyError } from '../../app/output-lock';
import { writeOutput } from '../../app/write-output';
import { ConfigError } from '../../config/errors';
import type { AppConfig } from '../../config/schema';
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
Nothing is applied. With CDKTF_OUTDIR set, its folder takes the place of cdktf.out. The output
lock is held until Terraform ends: a synth started meanwhile waits (KMS_LOCK_WAIT_SECONDS).

Options:
  --no-synth   plan what cdktf.out already holds (run \`npm run synth\` first)
  -h, --help   show this help

Environment:
  KMS_CONFIG              the config file (default: the embedded default config)
  TERRAFORM_BINARY_NAME   the Terraform CLI (default: terraform on the PATH)
  CDKTF_OUTDIR            the output folder (default: cdktf.out)
  KMS_LOCK_WAIT_SECONDS   how long to wait for another synth or plan (default: 60)
  TF_PROVIDER_MIRROR      install providers from this local mirror instead of the registry
                          (replaces TF_CLI_CONFIG_FILE for these runs)
  AWS_PROFILE, AWS_REGION, AWS_ACCESS_KEY_ID, ...   your credentials, used as they are

Exit codes: 0 planned, 1 Terraform failed or the output lock stayed busy, 2 bad usage or config,
no stack, no Terraform CLI.`;

/** Where the command runs and writes. */
export interface PlanCommandContext extends CommandContext {
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
  // Everything that can be refused is checked before anything is written or Terraform runs.
  let prepared: PreparedLayout;
  let config: AppConfig | undefined;
  try {
    if (parsed.synth) {
      const synth = prepareSynth(context);
      prepared = synth;
      config = synth.config;
    } else prepared = prepareLayout(context);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    context.error(error.message);
    return 2;
  }
  if (config && !config.environments.some((e) => e.name === environment)) {
    context.error(`npm run plan: no environment "${environment}" in the config; environments: ${config.environments.map((e) => e.name).join(', ')}`);
    return 2;
  }
  const { outdir } = prepared.layout;
  const stackDir = join(outdir, 'stacks', environment);
  const shownDir = relative(physicalPath(context.cwd), stackDir) || '.';
  const missingStack = () => {
    if (existsSync(join(stackDir, 'cdk.tf.json'))) return false;
    context.error(`npm run plan: ${join(shownDir, 'cdk.tf.json')} does not exist; run \`npm run synth\` first, or drop --no-synth`);
    return true;
  };
  if (!config && missingStack()) return 2;
  const binary = findTerraformBinary(context.env);
  if (!binary.found) {
    context.error(`npm run plan: ${binary.reason}; install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`);
    return 2;
  }
  let mirrorRoot: string | undefined;
  if (context.env[PROVIDER_MIRROR_ENV]) {
    const mirror = findProviderMirror(context.env);
    if (!mirror.found) {
      context.error(`npm run plan: ${mirror.reason}; unset ${PROVIDER_MIRROR_ENV} to install providers from the registry`);
      return 2;
    }
    mirrorRoot = mirror.root;
  }
  try {
    // The lock is held until Terraform ends, so no synth rewrites the stack while it is planned.
    return await withLockOf(prepared, context, `npm run plan -- ${environment}`, async () => {
      if (config) {
        const result = writeOutput(config, prepared.layout, context.env);
        for (const kept of result.kept) context.error(keptStackWarning(kept, relative(physicalPath(context.cwd), kept.dir)));
      }
      if (missingStack()) return 2;
      return planStack({ context, binary: binary.path, mirrorRoot, stackDir, shownDir, environment, planDir: join(outdir, 'plans') });
    });
  } catch (error) {
    if (!(error instanceof OutputLockBusyError)) throw error;
    context.error(`npm run plan: ${error.message}`);
    return 1;
  }
}

/** What `planStack` needs. */
interface PlanStackInput {
  readonly context: PlanCommandContext;
  readonly binary: string;
  readonly mirrorRoot: string | undefined;
  readonly stackDir: string;
  readonly shownDir: string;
  readonly environment: string;
  readonly planDir: string;
}

/** terraform init, plan -out and show -json in one stack folder; writes the plan JSON. */
async function planStack(input: PlanStackInput): Promise<number> {
  const { context, stackDir, shownDir, environment } = input;
  const work = mkdtempSync(join(tmpdir(), 'kms-plan-'));
  try {
    const env: NodeJS.ProcessEnv = { CHECKPOINT_DISABLE: '1', ...context.env };
    if (input.mirrorRoot) env.TF_CLI_CONFIG_FILE = writeMirrorCliConfig(work, input.mirrorRoot);
    const inherit = context.inheritOutput ?? true;
    const terraform = async (step: string[]) => {
      const result = await runTerraform(input.binary, step, { cwd: stackDir, env, inheritOutput: inherit && step[0] !== 'show' });
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
    const output = planJsonPath(input.planDir, environment);
    writePlanJson(output, shown.stdout);
    context.log(`Plan JSON for ${environment}: ${relative(physicalPath(context.cwd), output)}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * `npm run plan -- <environment>`: plans one synthesized stack with the user's own credentials,
 * backend and environment, the way `cdktf diff` does, and keeps the plan as JSON for review tools.
 *
 * Steps: synthesize (unless `--no-synth`), `terraform init`, `terraform plan -out`, then
 * `terraform show -json` into `cdktf.out/plans/<environment>.plan.json`. Terraform's own output is
 * shown as it runs. Exit codes: 0 planned, 1 Terraform failed, 2 bad usage, bad config, no
 * synthesized stack or no Terraform CLI.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { STACK_FILE } from '../../app/output-format';
import { physicalPath } from '../../app/project';
import { keptStackWarning } from '../../app/stale-stacks';
import { type CommandContext, type PreparedLayout, prepareLayout, prepareSynth, withLockOf } from '../../app/synth';
import { parseCommandArgs, reportFailure, UsageError, wantsHelp } from '../../app/cli';
import { writeOutput } from '../../app/write-output';
import { ExternalJsonError } from '../../config/errors';
import type { AppConfig } from '../../config/schema';
import { findTerraformBinary } from './binary';
import { runTerraform } from './cli';
import { findProviderMirror, PROVIDER_MIRROR_ENV, writeMirrorCliConfig } from './mirror';
import { planJsonPath, USER_PLAN_DIR, writePlanJson } from './plan-output';

/** The folder under the output folder where `npm run plan` keeps Terraform's data (`TF_DATA_DIR`). */
export const TERRAFORM_DATA_FOLDER = 'terraform-data';

/** The command's help text. */
export const PLAN_USAGE = `Usage: npm run plan -- <environment> [--no-synth] [--keep-terraform-dir]

Plans one environment's stack with your AWS credentials and its configured backend, like
\`cdktf diff\`, and writes the plan as JSON to ${USER_PLAN_DIR}/<environment>.plan.json
(\`terraform show -json\`), which \`npm run access-report -- --plan ${USER_PLAN_DIR}\` reads.

Steps: synthesize every environment (the config named by KMS_CONFIG, else the default), then in
cdktf.out/stacks/<environment>: terraform init, terraform plan -out, terraform show -json.
Nothing is applied. With CDKTF_OUTDIR set, its folder takes the place of cdktf.out. The output
lock is held until Terraform ends: a synth started meanwhile waits (KMS_LOCK_WAIT_SECONDS).

Terraform's working data (providers, backend settings) goes to
cdktf.out/${TERRAFORM_DATA_FOLDER}/<environment> (TF_DATA_DIR), so the stack folder keeps only what
synth writes and the lock file; an explicit TF_DATA_DIR is used as it is.

Options:
  --no-synth             plan what cdktf.out already holds: cdk.tf.json, or cdk.tf from
                         \`npm run synth -- --hcl\` (run \`npm run synth\` first)
  --keep-terraform-dir   keep Terraform's data in the stack folder (.terraform), as plain
                         \`terraform -chdir=...\` does
  -h, --help             show this help

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
   * Show Terraform's output on the terminal as it runs (true for the CLI); when false it is passed
   * to `log` and `error` once each command ends.
   * @default true
   */
  readonly inheritOutput?: boolean;
}

/** The parsed arguments. */
interface PlanArgs {
  readonly environment: string;
  readonly synth: boolean;
  readonly keepTerraformDir: boolean;
}

const OPTIONS = {
  'no-synth': { type: 'boolean', default: false },
  'keep-terraform-dir': { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** Parses the arguments after `npm run plan --`; throws UsageError with one line. */
export function parsePlanArgs(args: readonly string[]): PlanArgs {
  const { values, positionals } = parseCommandArgs(args, OPTIONS, true);
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0 ? 'name the environment to plan' : `plan one environment at a time, got ${positionals.join(', ')}`,
    );
  }
  return { environment: positionals[0], synth: !values['no-synth'], keepTerraformDir: values['keep-terraform-dir'] };
}

/**
 * Where Terraform keeps its working data (providers, backend settings) for an environment:
 * outside the stack folder, so that folder holds only what synth writes and stays removable.
 */
export function terraformDataDir(outdir: string, environment: string): string {
  return join(outdir, TERRAFORM_DATA_FOLDER, environment);
}

/** Runs `npm run plan` with `args`; resolves with the exit code. */
export async function runPlanCommand(args: readonly string[], context: PlanCommandContext): Promise<number> {
  if (wantsHelp(args)) {
    context.log(PLAN_USAGE);
    return 0;
  }
  try {
    return await plan(parsePlanArgs(args), context);
  } catch (error) {
    return reportFailure(error, context, 'npm run plan');
  }
}

async function plan(args: PlanArgs, context: PlanCommandContext): Promise<number> {
  const { environment } = args;
  // Everything that can be refused is checked before anything is written or Terraform runs.
  let prepared: PreparedLayout;
  let config: AppConfig | undefined;
  if (args.synth) {
    const synth = prepareSynth(context);
    prepared = synth;
    config = synth.config;
    if (!config.environments.some((e) => e.name === environment)) {
      throw new UsageError(
        `no environment "${environment}" in the config; environments: ${config.environments.map((e) => e.name).join(', ')}`,
      );
    }
  } else prepared = prepareLayout(context);
  const { outdir } = prepared.layout;
  const stackDir = join(outdir, 'stacks', environment);
  const shownDir = relative(physicalPath(context.cwd), stackDir) || '.';
  // Terraform plans either format synth writes: cdk.tf.json, or cdk.tf from `npm run synth -- --hcl`.
  const checkStack = () => {
    const [json, hcl] = [STACK_FILE.json, STACK_FILE.hcl].map((file) => existsSync(join(stackDir, file)));
    if (json && hcl) {
      throw new UsageError(
        `${shownDir} holds both ${STACK_FILE.json} and ${STACK_FILE.hcl}, and Terraform would load both (every resource twice); ` +
          'remove the one you do not want, or run `npm run synth` (with or without --hcl) again, which keeps one',
      );
    }
    if (!json && !hcl) {
      throw new UsageError(
        `${shownDir} holds no synthesized stack (${STACK_FILE.json}, or ${STACK_FILE.hcl} from \`npm run synth -- --hcl\`); run \`npm run synth\` first, or drop --no-synth`,
      );
    }
  };
  if (!config) checkStack();
  const binary = findTerraformBinary(context.env);
  if (!binary.found) throw new UsageError(`${binary.reason}; install Terraform >= 1.10 or set TERRAFORM_BINARY_NAME`);
  let mirrorRoot: string | undefined;
  if (context.env[PROVIDER_MIRROR_ENV]) {
    const mirror = findProviderMirror(context.env);
    if (!mirror.found) throw new UsageError(`${mirror.reason}; unset ${PROVIDER_MIRROR_ENV} to install providers from the registry`);
    mirrorRoot = mirror.root;
  }
  // The lock is held until Terraform ends, so no synth rewrites the stack while it is planned.
  return withLockOf(prepared, context, `npm run plan -- ${environment}`, async () => {
    if (config) {
      const result = writeOutput(config, prepared.layout, context.env);
      for (const kept of result.kept) context.error(keptStackWarning(kept, relative(physicalPath(context.cwd), kept.dir)));
    }
    checkStack();
    const dataDir = args.keepTerraformDir || context.env.TF_DATA_DIR ? undefined : terraformDataDir(outdir, environment);
    return planStack({
      context,
      binary: binary.path,
      mirrorRoot,
      stackDir,
      shownDir,
      environment,
      planDir: join(outdir, 'plans'),
      dataDir,
    });
  });
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
  /** `TF_DATA_DIR`, or undefined for Terraform's default (`.terraform` in the stack folder). */
  readonly dataDir: string | undefined;
}

/**
 * What the AWS provider prints when it has no usable credentials: none found, expired or
 * rejected. Matched in Terraform's output to add the fix.
 */
const CREDENTIAL_FAILURES = [
  /No valid credential sources found/,
  /failed to refresh cached credentials/,
  /InvalidClientTokenId/,
  /ExpiredToken/,
  /security token included in the request is (invalid|expired)/,
  /SSO session .*(expired|invalid)/i,
  /token .*has expired/i,
];

/** The fix for missing credentials, or undefined when the failure is something else. */
export function credentialsAdvice(output: string): string | undefined {
  if (!CREDENTIAL_FAILURES.some((pattern) => pattern.test(output))) return undefined;
  return (
    'Terraform found no usable AWS credentials. Set AWS_PROFILE to a profile with a current session ' +
    '(`aws sso login --profile <name>` refreshes an SSO one), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY ' +
    '(and AWS_SESSION_TOKEN for temporary ones), then run the command again. `npm run synth` needs none.'
  );
}

/** terraform init, plan -out and show -json in one stack folder; writes the plan JSON. */
async function planStack(input: PlanStackInput): Promise<number> {
  const { context, stackDir, shownDir, environment } = input;
  const work = mkdtempSync(join(tmpdir(), 'kms-plan-'));
  try {
    const env: NodeJS.ProcessEnv = { CHECKPOINT_DISABLE: '1', ...context.env };
    if (input.mirrorRoot) env.TF_CLI_CONFIG_FILE = writeMirrorCliConfig(work, input.mirrorRoot);
    if (input.dataDir) {
      mkdirSync(input.dataDir, { recursive: true });
      env.TF_DATA_DIR = input.dataDir;
    }
    const echo = context.inheritOutput ?? true;
    const terraform = async (step: string[]) => {
      const result = await runTerraform(input.binary, step, { cwd: stackDir, env, echoOutput: echo && step[0] !== 'show' });
      if (!echo && step[0] !== 'show') {
        if (result.stdout) context.log(result.stdout.trimEnd());
        if (result.stderr) context.error(result.stderr.trimEnd());
      }
      if (result.code !== 0) {
        context.error(`npm run plan: terraform ${step.join(' ')} failed in ${shownDir} (exit ${result.code})`);
        const advice = credentialsAdvice(`${result.stderr}\n${result.stdout}`);
        if (advice) context.error(`npm run plan: ${advice}`);
      }
      return result;
    };
    const planFile = join(work, `${environment}.tfplan`);
    for (const step of [
      ['init', '-input=false'],
      ['plan', '-input=false', `-out=${planFile}`],
    ]) {
      if ((await terraform(step)).code !== 0) return 1;
    }
    const shown = await terraform(['show', '-json', planFile]);
    if (shown.code !== 0) {
      if (shown.stderr) context.error(shown.stderr.trimEnd());
      return 1;
    }
    const output = planJsonPath(input.planDir, environment);
    try {
      writePlanJson(output, shown.stdout);
    } catch (error) {
      if (!(error instanceof ExternalJsonError)) throw error;
      context.error(`npm run plan: terraform show -json printed no plan for ${environment}: ${error.oneLine}`);
      return 1;
    }
    context.log(`Plan JSON for ${environment}: ${relative(physicalPath(context.cwd), output)}`);
    return 0;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

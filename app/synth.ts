/**
 * The main job: validate the whole config and where its output and state go, then, holding the
 * output lock, synthesize every environment crash-safely (`write-output.ts`), remove stack folders
 * of environments no longer configured that hold only synth's files, and print a summary.
 * Exit codes: 0 done, 1 the output lock stayed busy or an internal error, 2 bad config or usage
 * (nothing written).
 */
import { join, relative } from 'node:path';
import { ConfigError } from '../config/errors';
import { loadConfig } from '../config/load';
import type { AppConfig } from '../config/schema';
import { parseCommandArgs, reportFailure, UsageError } from './cli';
import { envAsksForHcl, formatLabel, HCL_OUTPUT_ENV, type OutputFormat, STACK_FILE } from './output-format';
import { lockWaitMs, withOutputLock } from './output-lock';
import {
  ensureOutputFolder,
  findProjectRoot,
  OutputFolderError,
  type OutputLayout,
  outputLayout,
  physicalPath,
  PROJECT_MARKER,
  resolveOutdir,
} from './project';
import { keptStackWarning } from './stale-stacks';
import { checkLocations } from './state-locations';
import { summarizeStack } from './summary';
import { HclFormatError } from './terraform-fmt';
import { HclRenderError } from './hcl-render';
import { type OutputResult, writeOutput } from './write-output';

/** Where a command runs and how it talks. */
export interface CommandContext {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  readonly error: (line: string) => void;
}

/** The process's own context. */
export function processContext(): CommandContext {
  return { cwd: process.cwd(), env: process.env, log: (line) => console.log(line), error: (line) => console.error(line) };
}

/** Where the output goes, checked; nothing written yet. */
export interface PreparedLayout {
  readonly layout: OutputLayout;
  /** How long to wait for the output lock. */
  readonly lockWaitMs: number;
}

/** A config and where its output goes, both checked; nothing written yet. */
export interface PreparedSynth extends PreparedLayout {
  readonly config: AppConfig;
}

/** Finds the project root and the output folder; throws ConfigError when there is no project. */
export function prepareLayout(context: Pick<CommandContext, 'cwd' | 'env'>): PreparedLayout {
  const projectRoot = findProjectRoot(context.cwd);
  if (projectRoot === undefined) {
    throw new ConfigError(context.cwd, [`no ${PROJECT_MARKER} here or in any folder above; run the command inside the project`]);
  }
  const wait = lockWaitMs(context.env);
  if (typeof wait !== 'number') throw new ConfigError('environment', [wait.problem]);
  return { layout: outputLayout(projectRoot, resolveOutdir(context.env, context.cwd)), lockWaitMs: wait };
}

/**
 * Loads the config and checks the project root, the output folder and every local state path.
 * Throws ConfigError with every problem found.
 */
export function prepareSynth(context: Pick<CommandContext, 'cwd' | 'env'>): PreparedSynth {
  const config = loadConfig(context.env, context.cwd);
  const { layout, lockWaitMs: wait } = prepareLayout(context);
  const problems = checkLocations(config, layout);
  if (problems.length > 0) throw new ConfigError('output and state locations', problems);
  return { config, layout, lockWaitMs: wait };
}

/**
 * Creates the output folder (and its parents) and runs `work` holding its lock, telling the user
 * when it has to wait. `command` names the holder for others who wait.
 */
export function withLockOf<T>(prepared: PreparedLayout, context: CommandContext, command: string, work: () => Promise<T> | T): Promise<T> {
  ensureOutputFolder(prepared.layout.outdir);
  return withOutputLock(prepared.layout.outdir, { waitMs: prepared.lockWaitMs, command, onWait: context.error }, work);
}

/** Prints what a synthesis did: a summary per stack, the format, removed and kept stale folders. */
export function reportOutput(result: OutputResult, layout: OutputLayout, context: CommandContext): void {
  const shown = (path: string) => relative(physicalPath(context.cwd), path) || '.';
  for (const stack of result.stacks) {
    for (const line of summarizeStack(stack, shown(join(layout.outdir, 'stacks', stack.environment.name)))) context.log(line);
  }
  const count = `${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'}`;
  if (result.format === 'hcl') {
    context.log(`wrote ${formatLabel('hcl')} for ${count}, ${result.fmt?.formatted ? 'formatted with terraform fmt' : 'not formatted'}`);
    if (result.fmt && !result.fmt.formatted) {
      context.log(
        `note: the HCL is unformatted because Terraform was not found: ${result.fmt.reason}; install it, or run terraform fmt on the stack folders`,
      );
    }
  } else {
    context.log(`wrote ${formatLabel('json')} for ${count}`);
  }
  if (result.replaced.length > 0) {
    context.log(
      `removed the ${result.format === 'hcl' ? 'JSON' : 'HCL'} files an earlier synth wrote, so Terraform reads one format: ${result.replaced.join(', ')}`,
    );
  }
  for (const conflict of result.conflicts) {
    context.error(
      `warning: ${shown(join(conflict.dir, conflict.file))} is not a file synth wrote (a folder or a link), so it was left; ` +
        `Terraform would read it next to ${STACK_FILE[result.format]}: move it away`,
    );
  }
  if (result.removed.length > 0) context.log(`removed stacks no longer in the config: ${result.removed.join(', ')}`);
  if (result.leftovers.length > 0) context.log(`removed what an interrupted synth left: ${result.leftovers.join(', ')}`);
  for (const kept of result.kept) context.error(keptStackWarning(kept, shown(kept.dir)));
}

/** The text of `npm run synth -- --help`. */
export const SYNTH_USAGE = `Usage: npm run synth [-- [--hcl] [--help]]

Validates the config and where its output and state go, then synthesizes every environment into
cdktf.out/stacks/<environment>/cdk.tf.json (Terraform JSON), crash-safely and one run at a time,
removes stack folders of environments no longer in the config that hold only synth's own files,
and prints a summary. Needs no AWS credentials and no network.

Options:
  --hcl        write HCL, cdk.tf (with cdktf's metadata.json), instead of cdk.tf.json; formatted
               with terraform fmt when a Terraform CLI is found (TERRAFORM_BINARY_NAME, else
               terraform on the PATH), else left unformatted with a note saying so. A stack folder
               holds one format: the other format's files from an earlier synth are deleted (only
               those; state, .terraform and your files stay).
  --help, -h   this text

Environment:
  KMS_CONFIG              the config file (relative to the folder npm was run from); default: the
                          embedded default config
  CDKTF_OUTDIR            the output folder (default: cdktf.out); \`cdktf synth --output\` sets it
  KMS_LOCK_WAIT_SECONDS   how long to wait for another synth or plan (default: 60)
  ${HCL_OUTPUT_ENV}        cdktf's HCL switch, which synth does not follow: set to true or 1 (as
                          \`cdktf synth --hcl\` sets it) without --hcl, synth refuses (exit 2) rather
                          than guess. The tools' own synths (plan, access-report, verify, bench)
                          ignore it and always read JSON

Exit codes: 0 synthesized, 1 the output lock stayed busy or an internal error, 2 bad config or
usage (nothing written).`;

/** The arguments of `npm run synth`. */
const SYNTH_OPTIONS = {
  hcl: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/**
 * The format `args` and `env` ask for. `SYNTH_HCL_OUTPUT=true` (or `1`) without `--hcl` is refused:
 * writing JSON would ignore what the user (or `cdktf synth --hcl`) asked for, and honouring a
 * variable left in a shell would switch formats behind the user's back.
 */
function chooseFormat(hcl: boolean, env: NodeJS.ProcessEnv): OutputFormat {
  if (hcl) return 'hcl';
  if (envAsksForHcl(env)) {
    throw new UsageError(
      `${HCL_OUTPUT_ENV}=${env[HCL_OUTPUT_ENV]} is set (by your shell, or by \`cdktf synth --hcl\`), but this app writes HCL only when asked ` +
        `with \`npm run synth -- --hcl\`; run that for HCL, or unset ${HCL_OUTPUT_ENV} for Terraform JSON`,
    );
  }
  return 'json';
}

/** Runs the main job with the arguments after `npm run synth --`; resolves with the exit code. */
export async function runSynth(args: readonly string[] = [], context: CommandContext = processContext()): Promise<number> {
  const refuse = (error: unknown) => {
    const code = reportFailure(error, context, 'npm run synth');
    if (
      error instanceof ConfigError ||
      error instanceof UsageError ||
      error instanceof OutputFolderError ||
      error instanceof HclFormatError ||
      error instanceof HclRenderError
    ) {
      context.error('Nothing was synthesized; the output folder is unchanged.');
    }
    return code;
  };
  let format: OutputFormat;
  try {
    const { values } = parseCommandArgs(args, SYNTH_OPTIONS);
    if (values.help) {
      context.log(SYNTH_USAGE);
      return 0;
    }
    format = chooseFormat(values.hcl, context.env);
  } catch (error) {
    return refuse(error);
  }
  let prepared: PreparedSynth;
  try {
    prepared = prepareSynth(context);
  } catch (error) {
    return refuse(error);
  }
  try {
    const result = await withLockOf(prepared, context, 'npm run synth', () =>
      writeOutput(prepared.config, prepared.layout, context.env, { format }),
    );
    reportOutput(result, prepared.layout, context);
    return 0;
  } catch (error) {
    return refuse(error);
  }
}

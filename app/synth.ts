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
import { reportFailure, UsageError, wantsHelp } from './cli';
import { lockWaitMs, withOutputLock } from './output-lock';
import { ensureOutputFolder, findProjectRoot, OutputFolderError, type OutputLayout, outputLayout, physicalPath, PROJECT_MARKER, resolveOutdir } from './project';
import { keptStackWarning } from './stale-stacks';
import { checkLocations } from './state-locations';
import { summarizeStack } from './summary';
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

/** Prints what a synthesis did: a summary per stack, removed and kept stale folders. */
export function reportOutput(result: OutputResult, layout: OutputLayout, context: CommandContext): void {
  const shown = (path: string) => relative(physicalPath(context.cwd), path) || '.';
  for (const stack of result.stacks) {
    for (const line of summarizeStack(stack, shown(join(layout.outdir, 'stacks', stack.environment.name)))) context.log(line);
  }
  if (result.removed.length > 0) context.log(`removed stacks no longer in the config: ${result.removed.join(', ')}`);
  if (result.leftovers.length > 0) context.log(`removed what an interrupted synth left: ${result.leftovers.join(', ')}`);
  for (const kept of result.kept) context.error(keptStackWarning(kept, shown(kept.dir)));
}

/** The text of `npm run synth -- --help`. */
export const SYNTH_USAGE = `Usage: npm run synth [-- --help]

Validates the config and where its output and state go, then synthesizes every environment into
cdktf.out/stacks/<environment>/cdk.tf.json, crash-safely and one run at a time, removes stack
folders of environments no longer in the config that hold only synth's own files, and prints a
summary. Needs no AWS credentials and no network.

Environment:
  KMS_CONFIG              the config file (relative to the folder npm was run from); default: the
                          embedded default config
  CDKTF_OUTDIR            the output folder (default: cdktf.out); \`cdktf synth --output\` sets it
  KMS_LOCK_WAIT_SECONDS   how long to wait for another synth or plan (default: 60)

Exit codes: 0 synthesized, 1 the output lock stayed busy or an internal error, 2 bad config or
usage (nothing written).`;

/** Runs the main job with the arguments after `npm run synth --`; resolves with the exit code. */
export async function runSynth(args: readonly string[] = [], context: CommandContext = processContext()): Promise<number> {
  if (wantsHelp(args)) {
    context.log(SYNTH_USAGE);
    return 0;
  }
  const refuse = (error: unknown) => {
    const code = reportFailure(error, context, 'npm run synth');
    if (error instanceof ConfigError || error instanceof UsageError || error instanceof OutputFolderError) {
      context.error('Nothing was synthesized; the output folder is unchanged.');
    }
    return code;
  };
  if (args.length > 0) return refuse(new UsageError(`unknown argument ${JSON.stringify(args[0])}; allowed: --help`));
  let prepared: PreparedSynth;
  try {
    prepared = prepareSynth(context);
  } catch (error) {
    return refuse(error);
  }
  try {
    const result = await withLockOf(prepared, context, 'npm run synth', () => writeOutput(prepared.config, prepared.layout, context.env));
    reportOutput(result, prepared.layout, context);
    return 0;
  } catch (error) {
    return refuse(error);
  }
}

/**
 * Where things are: the project root (the folder holding `cdktf.json`), the output folder
 * (`CDKTF_OUTDIR`, which `cdktf synth --output` sets, else `cdktf.out`) and the physical paths
 * Terraform will see once symbolic links are followed.
 */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { fsReason } from '../config/errors';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** The file that marks the project root. */
export const PROJECT_MARKER = 'cdktf.json';

/** The output folder when `CDKTF_OUTDIR` is not set, relative to the working directory (as cdktf has it). */
export const DEFAULT_OUTDIR = 'cdktf.out';

/** The nearest folder at or above `start` that holds `cdktf.json`, or undefined. */
export function findProjectRoot(start: string): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, PROJECT_MARKER))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The project root for tools that synthesize into a temporary folder of their own (access report,
 * verify, tests): the nearest `cdktf.json` folder, else `cwd`. Only local state paths depend on it.
 */
export function projectRootOrCwd(cwd: string = process.cwd()): string {
  return findProjectRoot(cwd) ?? resolve(cwd);
}

/** The output folder as an absolute path: `CDKTF_OUTDIR` (relative to `cwd`) or `<cwd>/cdktf.out`. */
export function resolveOutdir(env: NodeJS.ProcessEnv, cwd: string): string {
  const configured = env.CDKTF_OUTDIR;
  return resolve(cwd, configured === undefined || configured === '' ? DEFAULT_OUTDIR : configured);
}

/**
 * `path` with every symbolic link of its existing part resolved; the part that does not exist yet
 * is appended as given. Terraform resolves `..` in a relative path physically, so relative paths
 * written into the output must be computed between physical paths.
 */
export function physicalPath(path: string): string {
  const missing: string[] = [];
  let existing = resolve(path);
  for (;;) {
    try {
      return join(realpathSync.native(existing), ...missing.reverse());
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
      const parent = dirname(existing);
      if (parent === existing) return resolve(path);
      missing.push(basename(existing));
      existing = parent;
    }
  }
}

/** True when `path` is `folder` or lies inside it (both absolute). */
export function isInside(path: string, folder: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** A relative path with `/` separators, as Terraform configuration wants it on every platform. */
export function portableRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/');
}

/**
 * Where a synthesis's output ends up and whose project it belongs to, both as physical paths (see
 * `physicalPath`): local state paths are written relative to the stack's folder, where Terraform
 * runs, so that the output holds no absolute path when it lies inside the project, and the state
 * file stays where the config says whatever the output folder.
 */
export interface OutputLayout {
  /** The project root: the folder holding `cdktf.json`. */
  readonly projectRoot: string;
  /** The output folder whose `stacks/<environment>` Terraform runs in. */
  readonly outdir: string;
}

/** The layout of an output folder of the project at `projectRoot`, with both paths made physical. */
export function outputLayout(projectRoot: string, outdir: string): OutputLayout {
  return { projectRoot: physicalPath(projectRoot), outdir: physicalPath(outdir) };
}

/** The output folder cannot be used: it is a file, or it cannot be created or written. Exit 2. */
export class OutputFolderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputFolderError';
  }
}

/** Creates the output folder and its parents when missing; throws OutputFolderError naming the problem. */
export function ensureOutputFolder(outdir: string): void {
  try {
    if (statSync(outdir, { throwIfNoEntry: false })?.isFile()) {
      throw new OutputFolderError(`the output folder ${outdir} is a file; remove it or set CDKTF_OUTDIR to a folder`);
    }
    mkdirSync(outdir, { recursive: true });
  } catch (error) {
    if (error instanceof OutputFolderError) throw error;
    throw new OutputFolderError(`cannot create the output folder ${outdir}: ${fsReason(error)}`);
  }
}

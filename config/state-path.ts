/**
 * The local backend's state file path: checked and normalised without touching the file system,
 * so that every later comparison (two environments sharing a state, a path inside `cdktf.out`)
 * works on one spelling of the path. The file-system checks (symbolic links, the actual output
 * folder) happen at synth, in `app/state-locations.ts`.
 */
import { posix } from 'node:path';

/** Folders a state file must not live in, with the reason; compared without case (macOS, Windows). */
const FORBIDDEN_TOP_FOLDERS: Readonly<Record<string, string>> = {
  'cdktf.out': 'is inside cdktf.out, which synth rewrites; keep state outside it, e.g. "state/<environment>.tfstate"',
  node_modules: 'is inside node_modules, which `npm ci` deletes; keep state outside it',
};

/** The longest path accepted; far beyond any real one, short enough for every file system. */
export const MAX_STATE_PATH_LENGTH = 1024;

/** A checked path (`path`, relative to the project root, `/`-separated) or what is wrong with it. */
export type StatePathResult = { readonly path: string } | { readonly problem: string };

/**
 * Checks a local state path given relative to the project root and returns it normalised
 * (`sub/../x.tfstate` and `./x.tfstate` become `x.tfstate`, `state//p.tfstate` becomes
 * `state/p.tfstate`). Refused: empty or over-long paths, control characters, `\` (the output
 * must work on every machine, so `/` is the only separator), absolute paths, paths that leave the
 * project, paths naming a folder, and paths inside `cdktf.out` or `node_modules`.
 */
export function normalizeStatePath(input: string): StatePathResult {
  const shown = JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input);
  if (input.length === 0) return { problem: 'must not be empty; give a file name such as "state/prod.tfstate"' };
  if (input.length > MAX_STATE_PATH_LENGTH)
    return { problem: `is ${input.length} characters long; at most ${MAX_STATE_PATH_LENGTH} are allowed` };
  // eslint-disable-next-line no-control-regex -- the point is to find control characters
  if (/[\u0000-\u001f\u007f]/.test(input)) return { problem: `${shown} contains a control character` };
  if (input.includes('\\')) return { problem: `${shown} contains "\\"; separate folders with "/" so the output works on every machine` };
  if (input.startsWith('/') || /^[A-Za-z]:/.test(input)) {
    return { problem: `${shown} is an absolute path; give a path relative to the project root` };
  }
  const normalized = posix.normalize(input);
  if (normalized === '..' || normalized.startsWith('../')) {
    return { problem: `${shown} leaves the project folder (it resolves to "${normalized}"); state must stay inside the project` };
  }
  const last = input.split('/').at(-1);
  if (normalized === '.' || input.endsWith('/') || last === '.' || last === '..') {
    return { problem: `${shown} names a folder, not a file; give a file name such as "state/prod.tfstate"` };
  }
  const top = normalized.split('/')[0].toLowerCase();
  const forbidden = FORBIDDEN_TOP_FOLDERS[top];
  if (forbidden !== undefined && normalized.includes('/')) return { problem: `${shown} ${forbidden}` };
  if (forbidden !== undefined) return { problem: `${shown} names the ${normalized} folder, not a file` };
  return { path: normalized };
}

/**
 * How two normalised state paths collide, compared without case (on macOS and Windows
 * `State.tfstate` and `state.tfstate` are one file): the same file, one inside the other (a file
 * used as a folder), or one being the other's `.backup` (Terraform writes `<path>.backup`).
 */
export function stateCollision(a: string, b: string): 'same' | 'nested' | 'backup' | undefined {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  if (x === y) return 'same';
  if (x.startsWith(`${y}/`) || y.startsWith(`${x}/`)) return 'nested';
  if (x === `${y}.backup` || y === `${x}.backup`) return 'backup';
  return undefined;
}

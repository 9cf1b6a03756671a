/**
 * One writer per output folder at a time. `npm run synth` and `npm run plan` take this lock
 * before they touch `<outdir>` and hold it until they are done (for `plan`, until Terraform ends).
 *
 * The lock is proper-lockfile's: a folder `<outdir>.lock` beside the output folder (outside the
 * folders synth writes), created atomically with mkdir and touched while held. A holder that dies
 * without releasing it (SIGKILL, power cut) leaves the folder behind; once it has not been touched
 * for `STALE_MS`, the next process takes it over. Beside it, `<outdir>.lock.json` names the holder
 * (pid, command, host, start) for the message a waiting process prints.
 */
import { hostname } from 'node:os';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { lock } from 'proper-lockfile';
import { z } from 'zod';
import { ExternalJsonError, fsReason, parseExternalJson, typed } from '../config/errors';
import { OutputFolderError } from './project';

/** A lock not touched for this long is abandoned. Generous, because synth is synchronous work that delays the touches. */
export const STALE_MS = 30_000;

/** How often a waiting process tries again. */
const RETRY_MS = 250;

/** The default bound on waiting for the lock, and the variable that changes it. */
export const DEFAULT_LOCK_WAIT_SECONDS = 60;
export const LOCK_WAIT_ENV = 'KMS_LOCK_WAIT_SECONDS';

/** Who holds the lock, as written into `<outdir>.lock.json`. */
export interface LockHolder {
  readonly pid: number;
  readonly command: string;
  readonly host: string;
  readonly since: string;
}

/** The lock could not be taken within the wait bound. */
export class OutputLockBusyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OutputLockBusyError';
  }
}

/** The lock folder and the holder file of an output folder. */
export function lockPaths(outdir: string): { readonly lock: string; readonly holder: string } {
  const base = outdir.replace(/[\\/]+$/, '');
  return { lock: `${base}.lock`, holder: `${base}.lock.json` };
}

/** What `describeHolder` prints from the holder file; other fields are ignored. */
const lockHolderSchema = typed<LockHolder, unknown>()(
  z.looseObject({
    pid: z.number().int().positive(),
    command: z.string(),
    host: z.string(),
    since: z.string(),
  }),
);

/** A holder file that exists but cannot be used: why, naming the file and the bad field. */
export interface UnreadableHolder {
  readonly problem: string;
}

/**
 * The holder recorded for `outdir`'s lock: undefined when none is recorded (yet), or the reason the
 * file cannot be used (written by something else, or damaged).
 */
export function readHolder(outdir: string): LockHolder | UnreadableHolder | undefined {
  const file = lockPaths(outdir).holder;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { problem: `${file}: cannot be read: ${fsReason(error)}` };
  }
  try {
    return parseExternalJson(lockHolderSchema, text, file);
  } catch (error) {
    if (!(error instanceof ExternalJsonError)) throw error;
    return { problem: error.oneLine };
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** "pid 123 (npm run synth, since ...)", saying whether that process still runs on this host. */
export function describeHolder(holder: LockHolder | UnreadableHolder | undefined): string {
  if (!holder) return 'a process that has not recorded itself yet';
  if ('problem' in holder) return `a process whose holder file cannot be used (${holder.problem})`;
  const here = holder.host === hostname();
  const state = here ? (isRunning(holder.pid) ? 'running' : 'no longer running') : `on host ${holder.host}`;
  return `pid ${holder.pid} (${holder.command}; ${state}; since ${holder.since})`;
}

/** Options of `withOutputLock`. */
export interface LockOptions {
  /** How long to wait for another holder, in milliseconds. */
  readonly waitMs: number;
  /** Told once when the lock is busy and this process starts waiting. */
  readonly onWait?: (message: string) => void;
  /** What the holder file says this process is doing. */
  readonly command: string;
}

/**
 * The wait bound from `KMS_LOCK_WAIT_SECONDS` (a whole number of seconds, 0-3600), or the default;
 * an error message when the variable is malformed.
 */
export function lockWaitMs(env: NodeJS.ProcessEnv): number | { readonly problem: string } {
  const raw = env[LOCK_WAIT_ENV];
  if (raw === undefined || raw === '') return DEFAULT_LOCK_WAIT_SECONDS * 1000;
  if (!/^\d{1,4}$/.test(raw) || Number(raw) > 3600) {
    return { problem: `${LOCK_WAIT_ENV}=${JSON.stringify(raw)} is not a whole number of seconds from 0 to 3600` };
  }
  return Number(raw) * 1000;
}

function isBusy(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ELOCKED';
}

/**
 * Runs `work` holding the lock of `outdir` (an absolute path; the folder need not exist) and
 * releases it afterwards, also when `work` throws. Throws OutputLockBusyError when another
 * process holds it for longer than `waitMs`.
 */
export async function withOutputLock<T>(outdir: string, options: LockOptions, work: () => Promise<T> | T): Promise<T> {
  const paths = lockPaths(outdir);
  let compromised: Error | undefined;
  const lockOptions = {
    lockfilePath: paths.lock,
    realpath: false,
    stale: STALE_MS,
    update: 5_000,
    onCompromised: (error: Error) => {
      compromised = error;
    },
  };
  let release: () => Promise<void>;
  try {
    release = await lock(outdir, lockOptions);
  } catch (error) {
    if (!isBusy(error)) throw new OutputFolderError(`cannot create the lock ${paths.lock}: ${fsReason(error)}`);
    options.onWait?.(
      `waiting up to ${Math.round(options.waitMs / 1000)} s for ${paths.lock}, held by ${describeHolder(readHolder(outdir))}`,
    );
    const retries = Math.ceil(options.waitMs / RETRY_MS);
    try {
      release = await lock(outdir, { ...lockOptions, retries: { retries, factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS } });
    } catch (again) {
      if (!isBusy(again)) throw again;
      throw new OutputLockBusyError(
        `${paths.lock} is held by ${describeHolder(readHolder(outdir))}; gave up after ${Math.round(options.waitMs / 1000)} s. ` +
          `Wait for it to finish, or raise ${LOCK_WAIT_ENV}. A lock whose holder died is taken over ${STALE_MS / 1000} s after its last update.`,
      );
    }
  }
  const holder: LockHolder = { pid: process.pid, command: options.command, host: hostname(), since: new Date().toISOString() };
  const temporary = `${paths.holder}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(holder)}\n`);
  renameSync(temporary, paths.holder);
  try {
    const result = await work();
    if (compromised) throw new Error(`the output lock ${paths.lock} was lost while working (${compromised.message}); run again`);
    return result;
  } finally {
    const recorded = readHolder(outdir);
    if (recorded && 'pid' in recorded && recorded.pid === process.pid) rmSync(paths.holder, { force: true });
    await release().catch(() => undefined);
  }
}

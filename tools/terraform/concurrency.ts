/**
 * The bound on how much Terraform runs at once: a machine-wide limiter that every test process
 * shares, so that jest's workers together never start more Terraform processes
 * than the machine has cores (each plan starts the 675 MB AWS provider two or three times and keeps
 * a core busy; more at once only adds memory and switching).
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';

/** Runs the functions given to it with a bound on how many run at once. */
export type Limiter = <R>(work: () => Promise<R>) => Promise<R>;

/** The variable that sets how many Terraform processes may run at once on this machine. */
export const TERRAFORM_SLOTS_ENV = 'TERRAFORM_SLOTS';

/** Options of a machine-wide limiter. */
export interface MachineLimiterOptions {
  /**
   * How many tasks may run at once across every process using `dir`; 1 or more.
   * @default `TERRAFORM_SLOTS`, else the number of cores (`os.availableParallelism()`)
   */
  readonly slots?: number;
  /**
   * The folder holding one lock per slot; processes that share it share the bound.
   * @default `<tmpdir>/cdktf-kms-terraform-slots-<uid>`
   */
  readonly dir?: string;
  /**
   * How long a waiting task sleeps between tries, in milliseconds.
   * @default 100
   */
  readonly pollMs?: number;
}

/** `TERRAFORM_SLOTS` as a number of slots, else the number of cores; a bad value is an error naming it. */
export function machineSlots(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[TERRAFORM_SLOTS_ENV];
  if (raw === undefined || raw === '') return availableParallelism();
  if (!/^[1-9][0-9]{0,2}$/.test(raw)) throw new Error(`${TERRAFORM_SLOTS_ENV} must be a whole number from 1 to 999, got "${raw}"`);
  return Number(raw);
}

/**
 * A limiter shared by every process that uses the same `dir`: a task holds one of `slots` locks
 * (proper-lockfile: a folder made atomically with mkdir and touched while held) while it runs. A
 * process killed while holding one leaves it behind; it is taken over once untouched for 20 s.
 * Waiting tasks poll, so the order among processes is not first come first served.
 */
export function createMachineLimiter(options: MachineLimiterOptions = {}): Limiter {
  const slots = options.slots ?? machineSlots();
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`slots must be a whole number of at least 1, got ${slots}`);
  const dir = options.dir ?? join(tmpdir(), `cdktf-kms-terraform-slots-${process.getuid?.() ?? 'user'}`);
  const pollMs = options.pollMs ?? 100;
  mkdirSync(dir, { recursive: true });

  const acquire = async (): Promise<() => Promise<void>> => {
    for (;;) {
      for (let i = 0; i < slots; i++) {
        try {
          return await lock(join(dir, `slot-${i}`), {
            realpath: false,
            retries: 0,
            stale: 20_000,
            update: 5_000,
            // A holder whose lock was taken over (its event loop stalled for 20 s) only means one
            // Terraform process more than the bound for a while: not worth failing a test for.
            onCompromised: () => undefined,
          });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  };

  return async <R>(work: () => Promise<R>): Promise<R> => {
    const release = await acquire();
    try {
      return await work();
    } finally {
      // A lock already gone (taken over as stale, or its folder removed) has nothing left to release.
      await release().catch(() => undefined);
    }
  };
}

let shared: Limiter | undefined;

/** The machine-wide Terraform limiter of this process (created on first use with the defaults). */
export function terraformSlots(): Limiter {
  shared ??= createMachineLimiter();
  return shared;
}

/**
 * The scratch set-up of the synth crash tests (crash-safety.test.ts and crash-safety.slow.test.ts):
 * `npm run synth` of this project (its cdktf.json) with the output in a fresh scratch folder per
 * test, run in-process or as a child process that can be killed, and snapshots of the output.
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { lockPaths } from '../../app/output-lock';
import { runSynth } from '../../app/synth';
import { KILL_AFTER_STEP_ENV } from '../../app/write-output';

/** The project root: the synth runs use its cdktf.json. */
export const ROOT = resolve(__dirname, '..', '..');

/** The environment of a child synth: PATH and HOME only, telemetry off, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1', ...extra };
}

/** What a crash test works with; the folders are new for every test. */
export interface CrashScratch {
  /** The test's output folder (`CDKTF_OUTDIR`). */
  readonly outdir: () => string;
  /** Writes a config with `environments` (each in eu-west-1 with `description` on its key); returns its path. */
  configFile(name: string, environments: readonly string[], description: string): string;
  /** Every file under the output folder, by relative path. */
  snapshot(dir?: string): Map<string, string>;
  /** Replaces the output folder with `files`. */
  restore(files: Map<string, string>): void;
  /** `npm run synth` in this process with `config`. */
  synthInProcess(config: string, args?: string[], env?: Record<string, string>): Promise<number>;
  /** `npm run synth` as a child process, killed with SIGKILL right after write step `step`. */
  synthKilledAfter(step: number, config: string, args?: string[]): SpawnSyncReturns<string>;
  /** Ages the lock a killed run left past the stale limit, as time would. */
  ageLeftLock(): void;
}

/** Registers the set-up (a bundle built once, a scratch folder per test) and returns the helpers. */
export function useCrashScratch(): CrashScratch {
  let scratch = '';
  let outdir = '';

  beforeAll(() => {
    // Builds the bundle once, so the timed runs do not race to build it.
    const warm = join(tmpdir(), `kms-warm-${process.pid}`);
    spawnSync(process.execPath, ['tools/run.mjs', 'main.ts'], { cwd: ROOT, env: childEnv({ CDKTF_OUTDIR: warm }) });
    rmSync(warm, { recursive: true, force: true });
    rmSync(`${warm}.lock`, { recursive: true, force: true });
  });
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'kms-crash-'));
    outdir = join(scratch, 'out');
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  const snapshot = (dir = outdir): Map<string, string> => {
    const files = new Map<string, string>();
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder)) {
        const path = join(folder, entry);
        if (statSync(path).isDirectory()) walk(path);
        else files.set(relative(dir, path), readFileSync(path, 'utf8'));
      }
    };
    if (existsSync(dir)) walk(dir);
    return files;
  };

  return {
    outdir: () => outdir,
    configFile(name, environments, description) {
      const file = join(scratch, `${name}.json`);
      const entries = environments.map((env) => [env, { region: 'eu-west-1', key: { alias: `${env}-key`, description } }]);
      writeFileSync(file, JSON.stringify({ environments: Object.fromEntries(entries) }));
      return file;
    },
    snapshot,
    restore(files) {
      rmSync(outdir, { recursive: true, force: true });
      for (const [file, content] of files) {
        mkdirSync(join(outdir, file, '..'), { recursive: true });
        writeFileSync(join(outdir, file), content);
      }
    },
    synthInProcess(config, args = [], env = {}) {
      return runSynth(args, {
        cwd: ROOT,
        env: { CDKTF_OUTDIR: outdir, KMS_CONFIG: config, ...env },
        log: () => undefined,
        error: () => undefined,
      });
    },
    synthKilledAfter(step, config, args = []) {
      return spawnSync(process.execPath, ['tools/run.mjs', 'main.ts', ...args], {
        cwd: ROOT,
        env: childEnv({ CDKTF_OUTDIR: outdir, KMS_CONFIG: config, [KILL_AFTER_STEP_ENV]: String(step) }),
        encoding: 'utf8',
      });
    },
    ageLeftLock() {
      const { lock } = lockPaths(outdir);
      if (existsSync(lock)) utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    },
  };
}

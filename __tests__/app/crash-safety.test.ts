/**
 * `npm run synth` as separate processes: killed with SIGKILL after every step that changes the
 * output folder, and two runs at once with different configs (docs/safety.md). The runs use this
 * project (its cdktf.json) with the output in a scratch folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { lockPaths } from '../../app/output-lock';
import { runSynth } from '../../app/synth';
import { KILL_AFTER_STEP_ENV, STAGING_PREFIX } from '../../app/write-output';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '..', '..');
let scratch: string;
let outdir: string;

beforeAll(() => {
  // Builds the bundle once, so the timed runs below do not race to build it.
  spawnSync(process.execPath, ['tools/run.mjs', 'main.ts'], {
    cwd: ROOT,
    env: childEnv({ CDKTF_OUTDIR: join(tmpdir(), `kms-warm-${process.pid}`) }),
  });
  rmSync(join(tmpdir(), `kms-warm-${process.pid}`), { recursive: true, force: true });
  rmSync(join(tmpdir(), `kms-warm-${process.pid}.lock`), { recursive: true, force: true });
});
beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'kms-crash-'));
  outdir = join(scratch, 'out');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, CHECKPOINT_DISABLE: '1', ...extra };
  return env;
}

function configFile(name: string, environments: string[], description: string): string {
  const file = join(scratch, `${name}.json`);
  const entries = environments.map((env) => [env, { region: 'eu-west-1', key: { alias: `${env}-key`, description } }]);
  writeFileSync(file, JSON.stringify({ environments: Object.fromEntries(entries) }));
  return file;
}

/** Every file under the output folder, by relative path. */
function snapshot(dir = outdir): Map<string, string> {
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
}

function restore(files: Map<string, string>): void {
  rmSync(outdir, { recursive: true, force: true });
  for (const [file, content] of files) {
    mkdirSync(join(outdir, file, '..'), { recursive: true });
    writeFileSync(join(outdir, file), content);
  }
}

async function synthInProcess(config: string, args: string[] = [], env: Record<string, string> = {}): Promise<number> {
  return runSynth(args, {
    cwd: ROOT,
    env: { CDKTF_OUTDIR: outdir, KMS_CONFIG: config, ...env },
    log: () => undefined,
    error: () => undefined,
  });
}

/** The stack files on disk and the manifest, checked against the two complete outputs a run may leave. */
function expectConsistent(before: Map<string, string>, after: Map<string, string>): void {
  const now = snapshot();
  // Staging folders hold partial work by design; the files Terraform and cdktf read are under stacks/.
  const stackFiles = [...now.keys()].filter((file) => file.startsWith(`stacks${sep}`) && file.endsWith('cdk.tf.json'));
  for (const file of stackFiles) {
    const content = now.get(file) as string;
    expect(content.length).toBeGreaterThan(0);
    expect(() => JSON.parse(content)).not.toThrow();
    expect([before.get(file), after.get(file)]).toContain(content);
  }
  const manifest = now.get('manifest.json') as string;
  expect([before.get('manifest.json'), after.get('manifest.json')]).toContain(manifest);
  for (const stack of Object.values<{ synthesizedStackPath: string }>(JSON.parse(manifest).stacks)) {
    expect(now.has(stack.synthesizedStackPath)).toBe(true);
  }
}

describe('crash-safe writes', () => {
  test('after a SIGKILL at every step, stack files are complete (old or new), the manifest lists only stacks that exist, and the next run recovers', async () => {
    const configA = configFile('a', ['alpha', 'beta', 'retired'], 'first');
    const configB = configFile('b', ['alpha', 'beta', 'delta'], 'second');
    const userState = join('stacks', 'kept', 'terraform.tfstate');
    const addKeptFolder = () => {
      mkdirSync(join(outdir, 'stacks', 'kept'), { recursive: true });
      writeFileSync(join(outdir, userState), '{"version":4,"serial":7}');
      writeFileSync(join(outdir, 'stacks', 'kept', 'cdk.tf.json'), '{"kept":true}');
    };
    expect(await synthInProcess(configB)).toBe(0);
    addKeptFolder();
    const after = snapshot();
    rmSync(outdir, { recursive: true, force: true });
    expect(await synthInProcess(configA)).toBe(0);
    addKeptFolder();
    const before = snapshot();
    expect(before.get(join('stacks', 'alpha', 'cdk.tf.json'))).not.toBe(after.get(join('stacks', 'alpha', 'cdk.tf.json')));

    let kills = 0;
    for (let step = 1; step < 30; step += 1) {
      restore(before);
      const run = spawnSync(process.execPath, ['tools/run.mjs', 'main.ts'], {
        cwd: ROOT,
        env: childEnv({ CDKTF_OUTDIR: outdir, KMS_CONFIG: configB, [KILL_AFTER_STEP_ENV]: String(step) }),
        encoding: 'utf8',
      });
      if (run.signal === null) {
        expect({ step, status: run.status, stderr: run.stderr }).toEqual({
          step,
          status: 0,
          stderr: expect.stringContaining('warning: kept'),
        });
        break;
      }
      expect(run.signal).toBe('SIGKILL');
      kills += 1;
      expectConsistent(before, after);
      expect(readFileSync(join(outdir, userState), 'utf8')).toBe('{"version":4,"serial":7}');

      // The killed run left its lock; age it past the stale limit, as time would.
      const { lock } = lockPaths(outdir);
      if (existsSync(lock)) utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect(await synthInProcess(configB)).toBe(0);
      expect(snapshot()).toEqual(after);
      expect(readdirSync(outdir).filter((entry) => entry.startsWith(STAGING_PREFIX))).toEqual([]);
    }
    // Staging, three stack files, the manifest, the stale folder's file and the folder, the staging removal.
    expect(kills).toBe(8);
  });
});

describe('crash-safe writes when the format changes (npm run synth -- --hcl)', () => {
  test('after a SIGKILL at every step of a JSON-to-HCL synth, the stack folder holds a complete file of one format (both only between the HCL’s arrival and the JSON’s deletion), never none, and the next run leaves one', async () => {
    const config = configFile('h', ['alpha'], 'hcl');
    // The same PATH in and out of process, so that both find (or miss) terraform fmt alike.
    const path = { PATH: process.env.PATH ?? '' };
    const userState = join('stacks', 'alpha', 'terraform.tfstate');
    expect(await synthInProcess(config, ['--hcl'], path)).toBe(0);
    writeFileSync(join(outdir, userState), '{"version":4,"serial":9}');
    const after = snapshot();
    rmSync(outdir, { recursive: true, force: true });
    expect(await synthInProcess(config, [], path)).toBe(0);
    writeFileSync(join(outdir, userState), '{"version":4,"serial":9}');
    const before = snapshot();
    const json = join('stacks', 'alpha', 'cdk.tf.json');
    const hcl = join('stacks', 'alpha', 'cdk.tf');

    let kills = 0;
    let both = 0;
    for (let step = 1; step < 20; step += 1) {
      restore(before);
      const run = spawnSync(process.execPath, ['tools/run.mjs', 'main.ts', '--hcl'], {
        cwd: ROOT,
        env: childEnv({ CDKTF_OUTDIR: outdir, KMS_CONFIG: config, [KILL_AFTER_STEP_ENV]: String(step) }),
        encoding: 'utf8',
      });
      if (run.signal === null) {
        expect({ step, status: run.status, stderr: run.stderr }).toEqual({ step, status: 0, stderr: '' });
        break;
      }
      expect(run.signal).toBe('SIGKILL');
      kills += 1;
      const now = snapshot();
      // Whatever is there is complete: the old JSON or the new HCL, never a part.
      if (now.has(json)) expect(now.get(json)).toBe(before.get(json));
      if (now.has(hcl)) expect(now.get(hcl)).toBe(after.get(hcl));
      expect(now.has(json) || now.has(hcl)).toBe(true);
      if (now.has(json) && now.has(hcl)) both += 1;
      const manifest = now.get('manifest.json') as string;
      expect([before.get('manifest.json'), after.get('manifest.json')]).toContain(manifest);
      for (const stack of Object.values<{ synthesizedStackPath: string }>(JSON.parse(manifest).stacks)) {
        expect(now.has(stack.synthesizedStackPath)).toBe(true);
      }
      expect(now.get(userState)).toBe('{"version":4,"serial":9}');

      const { lock } = lockPaths(outdir);
      if (existsSync(lock)) utimesSync(lock, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
      expect(await synthInProcess(config, ['--hcl'], path)).toBe(0);
      expect(snapshot()).toEqual(after);
    }
    // Staging, cdk.tf, metadata.json, the manifest, cdk.tf.json deleted, the staging removal.
    expect(kills).toBe(6);
    // Between the HCL's arrival (and the manifest naming it) and the JSON's deletion.
    expect(both).toBe(3);
  });
});

describe('one synth at a time', () => {
  test('two synths at once with different configs end with one config’s complete output', async () => {
    const names = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    const configs = { c: configFile('c', names('c'), 'c'), d: configFile('d', names('d'), 'd') };
    const start = (config: string) =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['tools/run.mjs', 'main.ts'], {
          cwd: ROOT,
          env: childEnv({ CDKTF_OUTDIR: outdir, KMS_CONFIG: config }),
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('close', (code) => done({ code, stderr }));
      });
    const results = await Promise.all([start(configs.c), start(configs.d)]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    const listed = Object.keys(manifest.stacks).sort();
    const winner = listed[0].startsWith('c') ? 'c' : 'd';
    expect(listed).toEqual(names(winner).sort());
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(listed);
    const final = snapshot();
    // The same as a clean synth of the winning config.
    rmSync(outdir, { recursive: true, force: true });
    expect(await synthInProcess(configs[winner])).toBe(0);
    expect(final).toEqual(snapshot());
  });
});

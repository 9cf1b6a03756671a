/**
 * `npm run synth` as separate processes: killed with SIGKILL after every step that changes the
 * output folder, and two runs at once with different configs (docs/safety.md). The runs use this
 * project (its cdktf.json) with the output in a scratch folder. The same kill test for a synth that
 * switches the format to HCL is in crash-safety.slow.test.ts.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { STAGING_PREFIX } from '../../app/write-output';
import { childEnv, type CrashScratch, ROOT, useCrashScratch } from './crash-harness';

jest.setTimeout(120_000);

const s = useCrashScratch();

/** The stack files on disk and the manifest, checked against the two complete outputs a run may leave. */
function expectConsistent(s: CrashScratch, before: Map<string, string>, after: Map<string, string>): void {
  const now = s.snapshot();
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
    const configA = s.configFile('a', ['alpha', 'beta', 'retired'], 'first');
    const configB = s.configFile('b', ['alpha', 'beta', 'delta'], 'second');
    const userState = join('stacks', 'kept', 'terraform.tfstate');
    const addKeptFolder = () => {
      mkdirSync(join(s.outdir(), 'stacks', 'kept'), { recursive: true });
      writeFileSync(join(s.outdir(), userState), '{"version":4,"serial":7}');
      writeFileSync(join(s.outdir(), 'stacks', 'kept', 'cdk.tf.json'), '{"kept":true}');
    };
    expect(await s.synthInProcess(configB)).toBe(0);
    addKeptFolder();
    const after = s.snapshot();
    rmSync(s.outdir(), { recursive: true, force: true });
    expect(await s.synthInProcess(configA)).toBe(0);
    addKeptFolder();
    const before = s.snapshot();
    expect(before.get(join('stacks', 'alpha', 'cdk.tf.json'))).not.toBe(after.get(join('stacks', 'alpha', 'cdk.tf.json')));

    let kills = 0;
    for (let step = 1; step < 30; step += 1) {
      s.restore(before);
      const run = s.synthKilledAfter(step, configB);
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
      expectConsistent(s, before, after);
      expect(readFileSync(join(s.outdir(), userState), 'utf8')).toBe('{"version":4,"serial":7}');

      // The killed run left its lock; age it past the stale limit, as time would.
      s.ageLeftLock();
      expect(await s.synthInProcess(configB)).toBe(0);
      expect(s.snapshot()).toEqual(after);
      expect(readdirSync(s.outdir()).filter((entry) => entry.startsWith(STAGING_PREFIX))).toEqual([]);
    }
    // Staging, three stack files, the manifest, the stale folder's file and the folder, the staging removal.
    expect(kills).toBe(8);
  });
});

describe('one synth at a time', () => {
  test('two synths at once with different configs end with one config’s complete output', async () => {
    const names = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    const configs = { c: s.configFile('c', names('c'), 'c'), d: s.configFile('d', names('d'), 'd') };
    const start = (config: string) =>
      new Promise<{ code: number | null; stderr: string }>((done) => {
        const child = spawn(process.execPath, ['tools/run.mjs', 'main.ts'], {
          cwd: ROOT,
          env: childEnv({ CDKTF_OUTDIR: s.outdir(), KMS_CONFIG: config }),
        });
        let stderr = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('close', (code) => done({ code, stderr }));
      });
    const results = await Promise.all([start(configs.c), start(configs.d)]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);

    const manifest = JSON.parse(readFileSync(join(s.outdir(), 'manifest.json'), 'utf8'));
    const listed = Object.keys(manifest.stacks).sort();
    const winner = listed[0].startsWith('c') ? 'c' : 'd';
    expect(listed).toEqual(names(winner).sort());
    expect(readdirSync(join(s.outdir(), 'stacks')).sort()).toEqual(listed);
    const final = s.snapshot();
    // The same as a clean synth of the winning config.
    rmSync(s.outdir(), { recursive: true, force: true });
    expect(await s.synthInProcess(configs[winner])).toBe(0);
    expect(final).toEqual(s.snapshot());
  });
});

/**
 * `npm run synth -- --hcl` over JSON output, killed with SIGKILL after every step that changes the
 * output folder: the stack folder always holds one complete file of one format, or both only in the
 * window between the HCL's arrival and the JSON's deletion (docs/safety.md). A slow suite: seven
 * more synth processes; crash-safety.test.ts kills the JSON synth the same way in `npm test`.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useCrashScratch } from './crash-harness';

jest.setTimeout(120_000);

const s = useCrashScratch();

describe('crash-safe writes when the format changes (npm run synth -- --hcl)', () => {
  test('after a SIGKILL at every step of a JSON-to-HCL synth, the stack folder holds a complete file of one format (both only between the HCL’s arrival and the JSON’s deletion), never none, and the next run leaves one', async () => {
    const config = s.configFile('h', ['alpha'], 'hcl');
    // The same PATH in and out of process, so that both find (or miss) terraform fmt alike.
    const path = { PATH: process.env.PATH ?? '' };
    const userState = join('stacks', 'alpha', 'terraform.tfstate');
    expect(await s.synthInProcess(config, ['--hcl'], path)).toBe(0);
    writeFileSync(join(s.outdir(), userState), '{"version":4,"serial":9}');
    const after = s.snapshot();
    rmSync(s.outdir(), { recursive: true, force: true });
    expect(await s.synthInProcess(config, [], path)).toBe(0);
    writeFileSync(join(s.outdir(), userState), '{"version":4,"serial":9}');
    const before = s.snapshot();
    const json = join('stacks', 'alpha', 'cdk.tf.json');
    const hcl = join('stacks', 'alpha', 'cdk.tf');

    let kills = 0;
    let both = 0;
    for (let step = 1; step < 20; step += 1) {
      s.restore(before);
      const run = s.synthKilledAfter(step, config, ['--hcl']);
      if (run.signal === null) {
        expect({ step, status: run.status, stderr: run.stderr }).toEqual({ step, status: 0, stderr: '' });
        break;
      }
      expect(run.signal).toBe('SIGKILL');
      kills += 1;
      const now = s.snapshot();
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

      s.ageLeftLock();
      expect(await s.synthInProcess(config, ['--hcl'], path)).toBe(0);
      expect(s.snapshot()).toEqual(after);
    }
    // Staging, cdk.tf, metadata.json, the manifest, cdk.tf.json deleted, the staging removal.
    expect(kills).toBe(6);
    // Between the HCL's arrival (and the manifest naming it) and the JSON's deletion.
    expect(both).toBe(3);
  });
});

/**
 * Where the synthesized stacks come from. By default the report synthesizes the config itself into
 * a fresh temporary folder (`buildApp(config, dir).app.synth()`: no network, well under a second),
 * so it never reads a stale `cdktf.out`; `--outdir DIR` reads what `npm run synth` already wrote.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../../app/build-app';
import type { AppConfig } from '../../config/schema';
import { readSynthesizedStack, type SynthesizedStack } from '../lib/synthesized';

/** The synthesized stack of each environment, by name. */
export type SynthesizedStacks = ReadonlyMap<string, SynthesizedStack>;

/** Synthesizes the config into a temporary folder, reads every stack, and removes the folder. */
export function synthesizeStacks(config: AppConfig): SynthesizedStacks {
  const dir = mkdtempSync(join(tmpdir(), 'access-report-'));
  try {
    buildApp(config, dir).app.synth();
    return readStacks(dir, config.environments.map((e) => e.name));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads the stacks of the named environments from an existing output folder. */
export function readStacks(outdir: string, environments: readonly string[]): SynthesizedStacks {
  return new Map(environments.map((name) => [name, readSynthesizedStack(outdir, name)]));
}

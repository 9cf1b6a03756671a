/** A description of the machine and tools a bench run used, for BENCHMARKS.md. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { ExternalJsonError, readJsonFile } from '../lib/external-json';

/** What the numbers were measured on. */
export interface MachineDescription {
  readonly date: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGib: number;
  readonly os: string;
  readonly node: string;
  readonly npm: string;
  readonly tinybench: string;
  readonly loadAtStart: string;
}

/** The one field of a package's package.json read here. */
const packageVersionSchema = z.looseObject({ version: z.string() });

/**
 * The installed version of package `name`, read from its package.json under `root`: `unknown` when
 * it is not installed, and the problem (file and field) when its package.json has no version string.
 */
export function installedVersion(root: string, name: string): string {
  const file = join(root, 'node_modules', name, 'package.json');
  if (!existsSync(file)) return 'unknown';
  try {
    return readJsonFile(packageVersionSchema, file).version;
  } catch (error) {
    if (!(error instanceof ExternalJsonError)) throw error;
    return `unknown (${error.oneLine})`;
  }
}

/** The 1, 5 and 15 minute load averages, rounded. */
export function loadAverages(): string {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' / ');
}

/** Describes this machine now. */
export function describeMachine(root: string): MachineDescription {
  const cpuList = cpus();
  const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' });
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    cpu: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGib: Math.round(totalmem() / 2 ** 30),
    os: `${type()} ${release()}`,
    node: process.version,
    npm: npm.status === 0 ? npm.stdout.trim() : 'unknown',
    tinybench: installedVersion(root, 'tinybench'),
    loadAtStart: loadAverages(),
  };
}

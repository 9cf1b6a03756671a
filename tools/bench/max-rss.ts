/**
 * Peak RSS of a command's largest process. GNU time (`time -f %M`) reports it for the whole tree it
 * waits for; without it, every Node process in the tree reports its own
 * `process.resourceUsage().maxRSS` through a preloaded script, and the largest wins.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** How peak RSS is measured on this machine. */
export type RssProbe =
  { readonly kind: 'gnu-time'; readonly binary: string } | { readonly kind: 'node-resource-usage'; readonly reporter: string };

/** A GNU `time` on PATH that understands `-f %M`, or undefined. */
export function findGnuTime(path = process.env.PATH ?? ''): string | undefined {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, 'time');
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const probe = spawnSync(candidate, ['-f', '%M', 'true'], { encoding: 'utf8' });
    if (probe.status === 0 && /^\d+\s*$/.test(probe.stderr)) return candidate;
  }
  return undefined;
}

/**
 * GNU time when present (`BENCH_TIME_BIN` may name it), else the Node reporter kept next to this
 * file in the project at `root`.
 */
export function chooseRssProbe(root: string, env: NodeJS.ProcessEnv = process.env): RssProbe {
  const binary = env.BENCH_TIME_BIN || findGnuTime(env.PATH);
  if (binary) return { kind: 'gnu-time', binary };
  return { kind: 'node-resource-usage', reporter: resolve(root, 'tools', 'bench', 'max-rss-reporter.cjs') };
}

/** Words for the report: where the RSS numbers come from. */
export function describeProbe(probe: RssProbe): string {
  return probe.kind === 'gnu-time'
    ? 'GNU time `-f %M` (largest process of the tree)'
    : 'largest `process.resourceUsage().maxRSS` of the Node processes in the tree (no GNU time found)';
}

/**
 * The command line and environment that run `command` under the probe, writing peak RSS (KiB)
 * to `rssFile`.
 */
export function wrapCommand(
  probe: RssProbe,
  command: readonly string[],
  env: NodeJS.ProcessEnv,
  rssFile: string,
): { argv: string[]; env: NodeJS.ProcessEnv } {
  if (probe.kind === 'gnu-time') return { argv: [probe.binary, '-f', '%M', '-o', rssFile, ...command], env };
  const preload = `--require=${JSON.stringify(probe.reporter)}`;
  return {
    argv: [...command],
    env: { ...env, BENCH_RSS_FILE: rssFile, NODE_OPTIONS: [env.NODE_OPTIONS, preload].filter(Boolean).join(' ') },
  };
}

/** Peak RSS in KiB from what the probe wrote: the largest number in the file. */
export function readPeakRssKib(rssFile: string): number {
  const numbers = readFileSync(rssFile, 'utf8')
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => Number.isFinite(n) && n > 0);
  if (numbers.length === 0) throw new Error(`${rssFile}: no peak RSS was recorded`);
  return Math.max(...numbers);
}

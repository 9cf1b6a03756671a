/** What one bench run measured, summarized. */
import type { Samples } from './harness';
import type { MachineDescription } from './machine';
import { type Summary, summarize } from './stats';
import type { TestSuiteTimes } from './test-timing';

/** Wall time (ms) and peak RSS (KiB) of one scenario. */
export interface Measured {
  readonly wallMs: Summary;
  readonly rssKib: Summary;
}

/** The main job and the floor measured side by side. */
export interface Comparison {
  readonly synth: Measured;
  readonly floor: Measured;
}

/** A comparison at one number of environments (stacks). */
export interface ScalePoint extends Comparison {
  readonly environments: number;
}

/** Something measured, or why it was not. */
export type Optional<T> = { readonly measured: T } | { readonly skipped: string };

/** Everything a bench run produced. */
export interface BenchResults {
  readonly machine: MachineDescription;
  readonly loadAtEnd: string;
  readonly rssSource: string;
  readonly benchSeconds: number;
  readonly defaultConfig: Comparison;
  readonly scale: readonly ScalePoint[];
  /** The whole command, and the evaluation time it printed itself (undefined when it printed none). */
  readonly accessReport: Optional<{ readonly command: Measured; readonly evaluationMs: Summary | undefined }>;
  readonly tests: Optional<{ readonly wall: Measured; readonly suite: TestSuiteTimes }>;
  /** `npm run typecheck`, every run cold (no incremental build info). */
  readonly typecheck: Measured;
  /** Whether jest transpiles only (type-checking left to `tsc --noEmit`), and what showed it. */
  readonly transpileOnly: { readonly met: boolean; readonly detail: string };
}

/** Summaries of a task's pooled samples. */
export function summarizeSamples(samples: Samples | undefined): Measured {
  if (!samples || samples.wallMs.length === 0) throw new Error('a scenario produced no samples');
  return { wallMs: summarize(samples.wallMs), rssKib: summarize(samples.rssKib) };
}

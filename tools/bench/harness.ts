/**
 * Timing with tinybench. Tasks that are compared run in alternating rounds (A B, then B A, ...)
 * so that load from other processes on this shared machine falls on both sides alike; each round
 * is a tinybench run, and the samples of all rounds are pooled.
 */
import type { Bench as BenchType } from 'tinybench';

/** One measured thing: a function that runs it once and returns its peak RSS in KiB. */
export interface MeasuredTask {
  readonly name: string;
  readonly once: () => Promise<number>;
}

/** How many times to run: rounds x runs per round, with optional warm-up runs before the first. */
export interface Plan {
  readonly rounds: number;
  readonly perRound: number;
  readonly warmup: number;
}

/** Pooled samples of one task: wall time in ms and peak RSS in KiB, one entry per measured run. */
export interface Samples {
  readonly wallMs: number[];
  readonly rssKib: number[];
}

/** Runs `tasks` to `plan` and returns their samples by task name. Warm-up runs are not kept. */
export async function measure(tasks: readonly MeasuredTask[], plan: Plan): Promise<Map<string, Samples>> {
  // tinybench is an ES module; a dynamic import keeps this file loadable from the CommonJS bundle.
  const { Bench } = await import('tinybench');
  const results = new Map<string, Samples>(tasks.map((t) => [t.name, { wallMs: [], rssKib: [] }]));
  for (let round = 0; round < plan.rounds; round++) {
    const warmup = round === 0 && plan.warmup > 0;
    const bench: BenchType = new Bench({
      time: 0,
      iterations: plan.perRound,
      warmup,
      warmupIterations: warmup ? plan.warmup : 0,
      warmupTime: 0,
      retainSamples: true,
      throws: true,
    });
    const ordered = round % 2 === 0 ? tasks : [...tasks].reverse();
    for (const task of ordered) {
      let phase: string | undefined;
      const samples = results.get(task.name)!;
      bench.add(
        task.name,
        async () => {
          const rss = await task.once();
          if (phase === 'run') samples.rssKib.push(rss);
        },
        {
          async: true,
          beforeAll: (mode) => {
            phase = mode;
          },
        },
      );
    }
    await bench.run();
    for (const task of tasks) {
      const latency = bench.getTask(task.name)?.result;
      if (!latency || !('latency' in latency)) throw new Error(`tinybench kept no result for ${task.name}`);
      results.get(task.name)!.wallMs.push(...(latency.latency.samples ?? []));
    }
  }
  return results;
}

/** Runs async work with a bound on how much runs at once. */

/** Runs the functions given to it with at most `limit` running at once, first come first served. */
export type Limiter = <R>(work: () => Promise<R>) => Promise<R>;

/** A limiter for `limit` concurrent tasks, e.g. Terraform processes on a two-core machine. */
export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`limit must be a whole number of at least 1, got ${limit}`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    waiting.shift()?.();
  };
  return async <R>(work: () => Promise<R>): Promise<R> => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}

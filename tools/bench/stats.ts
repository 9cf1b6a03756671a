/** Summaries of measured samples: median and spread, as the bench prints them. */

/** Median, extremes and count of a set of samples. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** The median of `values` (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no samples');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min, max and count of `values`. */
export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), count: values.length };
}

/**
 * Cost of one more unit between two sizes: `(at(large) - at(small)) / (large - small)`, e.g. the
 * marginal seconds per environment between 100 and 1000 environments.
 */
export function marginal(small: { size: number; value: number }, large: { size: number; value: number }): number {
  if (large.size <= small.size) throw new Error(`marginal cost needs a larger second size, got ${small.size} then ${large.size}`);
  return (large.value - small.value) / (large.size - small.size);
}

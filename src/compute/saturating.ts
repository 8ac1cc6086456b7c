/**
 * Sums that stay finite. Every figure a tracker accepts is finite, but two counters
 * near `Number.MAX_VALUE` (in two components, or two workers) add up to Infinity,
 * which no snapshot or export may carry; these hold the result at ±`Number.MAX_VALUE`.
 */

/** `a + b`, held within ±`Number.MAX_VALUE`. */
export function add(a: number, b: number): number {
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, a + b));
}

/** The sum, held within ±`Number.MAX_VALUE` (see {@link add}). */
export function sum(values: readonly number[]): number {
  let total = 0;
  for (const value of values) total = add(total, value);
  return total;
}

/**
 * A figure in MB rounded to 4 decimals, as snapshots carry them (sums of such figures
 * would otherwise show float noise, 0.30000000000000004). A figure too large to scale
 * by 10,000 has no decimals left to round, and is returned as it is.
 */
export function roundMb(mb: number): number {
  const scaled = mb * 10_000;
  return Number.isFinite(scaled) ? Math.round(scaled) / 10_000 : mb;
}

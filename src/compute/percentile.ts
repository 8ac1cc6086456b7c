/**
 * Exact percentiles by linear interpolation between closest ranks: the definition
 * numpy uses by default and spreadsheets call PERCENTILE.INC. For the samples
 * 1..100 it gives p50 = 50.5, p90 = 90.1 and p99 = 99.01.
 *
 * The percentile is taken as a whole number of percent so that the rank
 * `(n - 1) * percent / 100` splits into an integer part and an exact remainder:
 * with a fractional `q` instead, `99 * 0.9` is 89.10000000000001 and p90 of 1..100
 * would come out as 90.10000000000001.
 */

import { checkFinite, describeValue } from "../shared/validate.js";

/**
 * The `percent` percentile of `length` values that are sorted when read through
 * `order`: the value of rank `i` is `values[order[i]]`.
 *
 * @param values - the samples.
 * @param order - indices into `values`, ascending by value, at least `length` long;
 *   `undefined` when `values` itself is sorted.
 * @param length - how many ranks to use (> 0).
 * @param percent - from 0 to 100.
 * @returns the interpolated value.
 */
export function percentileIndexed(
  values: ArrayLike<number>,
  order: ArrayLike<number> | undefined,
  length: number,
  percent: number,
): number {
  const scaled = (length - 1) * percent;
  const rank = Math.floor(scaled / 100);
  const remainder = scaled - rank * 100;
  const lower = (order === undefined ? values[rank] : values[order[rank] as number]) as number;
  if (remainder === 0) return lower;
  const upper = (
    order === undefined ? values[rank + 1] : values[order[rank + 1] as number]
  ) as number;
  return interpolate(lower, upper, remainder);
}

/**
 * The `percent` percentile of `length` ascending values that are not in one array
 * (the union of several sorted windows): the value of rank `i` is `valueAt(i)`,
 * asked for at most two ranks. The same arithmetic as {@link percentileIndexed},
 * which keeps its own copy because it runs on every summary of every window.
 *
 * @param valueAt - the value of a rank, from 0 to `length - 1`.
 * @param length - how many ranks there are (> 0).
 * @param percent - from 0 to 100.
 * @returns the interpolated value.
 */
export function percentileOfRanks(
  valueAt: (rank: number) => number,
  length: number,
  percent: number,
): number {
  const scaled = (length - 1) * percent;
  const rank = Math.floor(scaled / 100);
  const remainder = scaled - rank * 100;
  const lower = valueAt(rank);
  if (remainder === 0) return lower;
  return interpolate(lower, valueAt(rank + 1), remainder);
}

/**
 * `lower + (upper - lower) * remainder / 100`, the interpolation both functions above
 * share, and finite for finite bounds: two values far apart (0 and `Number.MAX_VALUE`)
 * overflow that product, and are then weighed instead, which cannot overflow.
 */
function interpolate(lower: number, upper: number, remainder: number): number {
  const value = lower + ((upper - lower) * remainder) / 100;
  if (Number.isFinite(value) || !Number.isFinite(lower) || !Number.isFinite(upper)) return value;
  const fraction = remainder / 100;
  return lower * (1 - fraction) + upper * fraction;
}

/**
 * The `percent` percentile of values sorted ascending.
 *
 * @param sorted - ascending values, at least one.
 * @param percent - from 0 to 100.
 * @returns the interpolated value, finite when the values are; `NaN` when `sorted` is empty.
 * @throws TypeError when `percent` is not a number, RangeError when it is not from 0 to 100.
 * @example
 * ```ts
 * percentileSorted([1, 2, 3, 4], 50); // 2.5
 * ```
 */
export function percentileSorted(sorted: ArrayLike<number>, percent: number): number {
  checkFinite(percent, "percent");
  if (percent < 0 || percent > 100) {
    throw new RangeError(`Expected \`percent\` to be from 0 to 100, got ${describeValue(percent)}`);
  }
  if (sorted.length === 0) return Number.NaN;
  return percentileIndexed(sorted, undefined, sorted.length, percent);
}

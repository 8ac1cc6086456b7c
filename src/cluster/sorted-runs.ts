import { percentileOfRanks } from "../compute/percentile.js";

/**
 * Statistics of the union of ascending runs (the workers' timing windows) without
 * merging them. Pure.
 *
 * The exact percentiles of the union need only the values of a few ranks. Each is
 * found by {@link selectRank} in about log2(n) rounds of one binary search per run
 * and no allocation of the union: with 8 runs of 1000 samples, the four percentiles
 * of an operation cost about a third of merging the runs into one sorted array,
 * which made a merged scrape of 8 workers × 500 full windows spend most of its time
 * copying.
 */

/** How many values the runs hold together. */
export function lengthOf(runs: readonly Float64Array[]): number {
  let length = 0;
  for (const run of runs) length += run.length;
  return length;
}

/** The first index of `run[from, to)` whose value is >= `value` (< when `strict` is false: > `value`). */
function bound(
  run: Float64Array,
  value: number,
  from: number,
  to: number,
  strict: boolean,
): number {
  let low = from;
  let high = to;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const item = run[middle] as number;
    if (item < value || (!strict && item === value)) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The value of rank `rank` (0-based) in the union of ascending runs: what
 * `merged[rank]` would be.
 *
 * Each run keeps an active range that holds the answer's candidates. A round takes
 * the middle value of the largest range as a pivot and counts, by binary search in
 * every range, the values below it and up to it. The rank then falls below the
 * pivot (every range is cut to its values below it), at it (the answer), or above
 * it (every range is cut to its values above it). Either cut removes at least the
 * half of the largest range on the far side of its middle, so the ranges shrink in
 * every round and the search ends.
 *
 * @param runs - ascending runs.
 * @param rank - from 0 to {@link lengthOf}`(runs) - 1`.
 * @returns the value.
 * @throws RangeError when `rank` is out of range.
 */
export function selectRank(runs: readonly Float64Array[], rank: number): number {
  const total = lengthOf(runs);
  if (!(Number.isInteger(rank) && rank >= 0 && rank < total)) {
    throw new RangeError(`Expected \`rank\` to be an integer from 0 to ${total - 1}, got ${rank}`);
  }
  const count = runs.length;
  const low = new Int32Array(count);
  const high = Int32Array.from(runs, (run) => run.length);
  const below = new Int32Array(count);
  const upTo = new Int32Array(count);
  let wanted = rank;
  for (;;) {
    let largest = 0;
    for (let i = 1; i < count; i++) {
      if (
        (high[i] as number) - (low[i] as number) >
        (high[largest] as number) - (low[largest] as number)
      )
        largest = i;
    }
    const pivotRun = runs[largest] as Float64Array;
    const pivot = pivotRun[((low[largest] as number) + (high[largest] as number)) >>> 1] as number;
    let less = 0;
    let lessOrEqual = 0;
    for (let i = 0; i < count; i++) {
      const run = runs[i] as Float64Array;
      const first = bound(run, pivot, low[i] as number, high[i] as number, true);
      const after = bound(run, pivot, first, high[i] as number, false);
      below[i] = first;
      upTo[i] = after;
      less += first - (low[i] as number);
      lessOrEqual += after - (low[i] as number);
    }
    if (wanted < less) {
      high.set(below);
    } else if (wanted < lessOrEqual) {
      return pivot;
    } else {
      wanted -= lessOrEqual;
      low.set(upTo);
    }
  }
}

/**
 * The `percent` percentile of the union of ascending runs, by the library's one
 * definition (`percentileOfRanks`, the same as every tracker's window).
 *
 * @param runs - ascending runs holding at least one value together.
 * @param percent - from 0 to 100.
 */
export function percentileOfRuns(runs: readonly Float64Array[], percent: number): number {
  return percentileOfRanks((rank) => selectRank(runs, rank), lengthOf(runs), percent);
}

/** The smallest value of the runs; `Infinity` when they are empty. */
export function minOfRuns(runs: readonly Float64Array[]): number {
  let least = Number.POSITIVE_INFINITY;
  for (const run of runs)
    if (run.length > 0 && (run[0] as number) < least) least = run[0] as number;
  return least;
}

/** The largest value of the runs; `-Infinity` when they are empty. */
export function maxOfRuns(runs: readonly Float64Array[]): number {
  let most = Number.NEGATIVE_INFINITY;
  for (const run of runs) {
    const last = run[run.length - 1];
    if (last !== undefined && last > most) most = last;
  }
  return most;
}

/**
 * The mean of every value of the runs, summed with Neumaier's compensation (as a
 * tracker's window sums, and never overflowing to Infinity) and clamped to the
 * runs' extremes, so rounding never puts it outside them; 0 for no values.
 */
export function meanOfRuns(runs: readonly Float64Array[]): number {
  const length = lengthOf(runs);
  if (length === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (const run of runs) {
    for (let i = 0; i < run.length; i++) {
      const value = run[i] as number;
      const total = sum + value;
      compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
      sum = total;
    }
  }
  let mean = (sum + compensation) / length;
  // Values near Number.MAX_VALUE overflow the sum; their mean does not overflow when
  // each is divided first.
  if (!Number.isFinite(mean)) {
    mean = 0;
    for (const run of runs)
      for (let i = 0; i < run.length; i++) mean += (run[i] as number) / length;
  }
  return Math.min(maxOfRuns(runs), Math.max(minOfRuns(runs), mean));
}

/**
 * Merges ascending runs into one ascending array: the union of several timing
 * windows, from which exact percentiles are read. Pure.
 *
 * Runs are merged in pairs, level by level (a balanced merge tree): O(n log k) for
 * n samples in k runs, where concatenating and sorting would be O(n log n) and call
 * a comparator n log n times. Each worker sends its window already sorted (the
 * tracker keeps a sort index), so this is all the primary has to do.
 *
 * @param runs - ascending runs; none is modified.
 * @returns a new ascending array of every value (a run itself is never returned).
 */
export function mergeSorted(runs: readonly ArrayLike<number>[]): Float64Array {
  if (runs.length === 0) return new Float64Array(0);
  let level: ArrayLike<number>[] = [...runs];
  while (level.length > 1) {
    const next: ArrayLike<number>[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const right = level[i + 1];
      next.push(
        right === undefined
          ? (level[i] as ArrayLike<number>)
          : mergeTwo(level[i] as ArrayLike<number>, right),
      );
    }
    level = next;
  }
  const [only] = level as [ArrayLike<number>];
  return runs.length === 1 ? Float64Array.from(only) : (only as Float64Array);
}

function mergeTwo(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const merged = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    // `<=` takes equal values from the left run first: the merge is stable.
    if (x <= y) {
      merged[k++] = x;
      i++;
    } else {
      merged[k++] = y;
      j++;
    }
  }
  while (i < a.length) merged[k++] = a[i++] as number;
  while (j < b.length) merged[k++] = b[j++] as number;
  return merged;
}

/**
 * The mean of ascending values, summed with Neumaier's compensation (as a tracker's
 * window sums, and never overflowing to Infinity) and clamped to `[first, last]`, so rounding never puts it outside
 * the values; 0 for no values. Pure.
 */
export function meanSorted(sorted: ArrayLike<number>): number {
  const length = sorted.length;
  if (length === 0) return 0;
  let sum = 0;
  let compensation = 0;
  for (let i = 0; i < length; i++) {
    const value = sorted[i] as number;
    const total = sum + value;
    compensation += Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    sum = total;
  }
  let mean = (sum + compensation) / length;
  // Values near Number.MAX_VALUE overflow the sum; their mean does not overflow when
  // each is divided first.
  if (!Number.isFinite(mean)) {
    mean = 0;
    for (let i = 0; i < length; i++) mean += (sorted[i] as number) / length;
  }
  return Math.min(sorted[length - 1] as number, Math.max(sorted[0] as number, mean));
}

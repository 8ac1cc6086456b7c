/**
 * The event loop's delay over a sliding window, from `monitorEventLoopDelay`.
 *
 * Node's event-loop histogram cannot be merged into another (`RecordableHistogram.add`
 * refuses it) nor read sample by sample, so the window is a ring of slices: the live
 * histogram is summarised and reset at every slice boundary, and a read combines
 * the summaries of the slices in the window with the live one.
 */

/** The summary of one slice of samples, delays in milliseconds. */
export interface DelaySlice {
  /** Samples taken. */
  count: number;
  /** Sum of the delays. */
  sumMs: number;
  /** Largest delay. */
  maxMs: number;
  /** 50th percentile. */
  p50Ms: number;
  /** 90th percentile. */
  p90Ms: number;
  /** 99th percentile. */
  p99Ms: number;
}

/** The event loop's delay over a window, in milliseconds. */
export interface DelaySummary {
  /** Samples taken in the window. */
  count: number;
  /** Mean delay (exact over the window). */
  meanMs: number;
  /** Largest delay (exact over the window). */
  maxMs: number;
  /** Median: the largest slice median (an upper bound of the window's). */
  p50Ms: number;
  /** 90th percentile: the largest slice's (an upper bound of the window's). */
  p90Ms: number;
  /** 99th percentile: the largest slice's (an upper bound of the window's). */
  p99Ms: number;
}

/** What {@link delaySlice} reads of a Node histogram (values in nanoseconds). */
export interface HistogramReading {
  readonly count: number;
  readonly mean: number;
  readonly max: number;
  percentile(percentile: number): number;
}

const NS_PER_MS = 1e6;

/**
 * Summarises a `monitorEventLoopDelay` histogram. Its samples are the intervals
 * between timer ticks meant to fire every `resolutionMs`, so the delay is each
 * interval minus `resolutionMs` (an idle loop reads about 0, not 10 ms).
 *
 * @param histogram - the live histogram.
 * @param resolutionMs - the sampling interval it was created with.
 * @returns the slice; all zeros when it holds no sample.
 */
export function delaySlice(histogram: HistogramReading, resolutionMs: number): DelaySlice {
  const { count } = histogram;
  if (!(count > 0)) return { count: 0, sumMs: 0, maxMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0 };
  const delay = (ns: number): number => Math.max(0, ns / NS_PER_MS - resolutionMs);
  return {
    count,
    sumMs: delay(histogram.mean) * count,
    maxMs: delay(histogram.max),
    p50Ms: delay(histogram.percentile(50)),
    p90Ms: delay(histogram.percentile(90)),
    p99Ms: delay(histogram.percentile(99)),
  };
}

/**
 * Combines slices into the window's summary. Pure. Count, mean and maximum are
 * exact. Each percentile is the largest of the slices' percentiles: the window's
 * own percentile is never above it (in every slice at least that share of samples
 * is at or below it), so a threshold on it never misses lag, and it can exceed the
 * window's when a single slice lagged.
 *
 * @param slices - slice summaries; empty ones are skipped.
 * @returns the summary, all zeros without samples.
 */
export function mergeDelaySlices(slices: readonly DelaySlice[]): DelaySummary {
  let count = 0;
  let sumMs = 0;
  let maxMs = 0;
  let p50Ms = 0;
  let p90Ms = 0;
  let p99Ms = 0;
  for (const slice of slices) {
    if (slice.count === 0) continue;
    count += slice.count;
    sumMs += slice.sumMs;
    maxMs = Math.max(maxMs, slice.maxMs);
    p50Ms = Math.max(p50Ms, slice.p50Ms);
    p90Ms = Math.max(p90Ms, slice.p90Ms);
    p99Ms = Math.max(p99Ms, slice.p99Ms);
  }
  return { count, meanMs: count > 0 ? sumMs / count : 0, maxMs, p50Ms, p90Ms, p99Ms };
}

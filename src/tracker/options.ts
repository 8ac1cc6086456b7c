import { type HealthConfig, type HealthOptions, resolveHealthConfig } from "../compute/health.js";
import { type Clock, checkClockOption } from "../shared/clock.js";
import { checkInteger, describeValue } from "../shared/validate.js";
import { checkTimingBuckets } from "../stores/timing-histogram.js";
import { MAX_TIMING_WINDOW } from "../stores/timing-store.js";
import type { CallErrorHandler } from "./call-failures.js";

/** Options of {@link BaseStatisticsTracker}; an option left out or `undefined` takes its default. */
export interface TrackerOptions {
  /**
   * Error records kept; 0 keeps none but still counts errors.
   * @defaultValue 100
   */
  maxErrors?: number | undefined;
  /**
   * Lifetime of a cached snapshot or health score, in whole milliseconds; 0 disables caching.
   * @defaultValue 5000
   */
  cacheTtlMs?: number | undefined;
  /**
   * Timings kept per operation for averages, extremes and percentiles.
   * @defaultValue 1000
   */
  timingWindow?: number | undefined;
  /**
   * Upper bounds of every operation's lifetime histogram buckets, in milliseconds:
   * 1 to 64 finite numbers > 0, strictly ascending (exported as Prometheus `le`).
   * @defaultValue {@link DEFAULT_TIMING_BUCKETS_MS} (0.1 ms to 10 s, 16 bounds)
   */
  timingBucketsMs?: readonly number[] | undefined;
  /**
   * Distinct names per kind (counters, gauges, operations) before new ones fold into `"__overflow__"`.
   * @defaultValue 10000
   */
  maxMetricNames?: number | undefined;
  /**
   * The clock every time-dependent piece reads; inject {@link manualClock} in tests.
   * Its readings must be finite numbers (epoch milliseconds).
   * @defaultValue {@link systemClock}
   */
  clock?: Clock | undefined;
  /** Changes to {@link DEFAULT_HEALTH_CONFIG}. */
  health?: HealthOptions | undefined;
  /**
   * Called with every call that rejected for bad input or a broken clock, and the
   * method's name, whether or not the caller awaits the call. Such a rejection never
   * becomes an unhandled rejection. Without `onError`, each distinct failure is shown
   * once per process as a warning (`process.emitWarning`, type
   * `ComponentStatsWarning`). A handler that throws is ignored.
   * @defaultValue a process warning, once per distinct cause
   */
  onError?: CallErrorHandler | undefined;
  /**
   * Length of the sliding window `getStats().recent` counts calls and failures over,
   * in whole milliseconds (see {@link RecentActivity}).
   * @defaultValue 60000
   */
  recentWindowMs?: number | undefined;
}

/** Every option with its default, checked. */
export interface ResolvedTrackerOptions {
  readonly maxErrors: number;
  readonly cacheTtlMs: number;
  readonly timingWindow: number;
  readonly timingBucketsMs: readonly number[] | undefined;
  readonly maxMetricNames: number;
  readonly clock: Clock | undefined;
  readonly health: Readonly<HealthConfig>;
  readonly onError: CallErrorHandler | undefined;
  readonly recentWindowMs: number;
}

/**
 * Checks a tracker's options and fills in the defaults.
 *
 * @param options - the options as passed.
 * @returns the options, each checked; `clock` stays `undefined` when not given (the
 *   tracker then stamps writes with the coarse system clock).
 * @throws TypeError or RangeError naming the option that is not valid.
 */
export function resolveTrackerOptions(options: unknown): ResolvedTrackerOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const {
    maxErrors = 100,
    cacheTtlMs = 5000,
    timingWindow = 1000,
    timingBucketsMs,
    maxMetricNames = 10_000,
    clock,
    health,
    onError,
    recentWindowMs = 60_000,
  } = options as TrackerOptions;
  checkInteger(maxErrors, "maxErrors", 0, 1_000_000);
  // Whole milliseconds: lru-cache rejects a fractional TTL with a message naming no option.
  checkInteger(cacheTtlMs, "cacheTtlMs", 0);
  checkInteger(timingWindow, "timingWindow", 1, MAX_TIMING_WINDOW);
  checkInteger(maxMetricNames, "maxMetricNames", 1);
  checkInteger(recentWindowMs, "recentWindowMs", 1);
  const bucketsMs =
    timingBucketsMs === undefined
      ? undefined
      : checkTimingBuckets(timingBucketsMs, "timingBucketsMs");
  checkClockOption(clock, "clock");
  if (onError !== undefined && typeof onError !== "function") {
    throw new TypeError(`Expected \`onError\` to be a function, got ${describeValue(onError)}`);
  }
  return {
    maxErrors,
    cacheTtlMs,
    timingWindow,
    timingBucketsMs: bucketsMs,
    maxMetricNames,
    clock,
    health: resolveHealthConfig(health),
    onError,
    recentWindowMs,
  };
}

/**
 * The data contract: the plain-data shapes a tracker reports and every consumer
 * (the registry's checks, the copier, the exporters, the dashboard) reads. A field
 * added here is added for all of them.
 */

/** Statistics of one operation's timings. */
export interface TimingSummary {
  /** Lifetime number of timings recorded. */
  count: number;
  /** Mean over the window, in milliseconds. */
  avgMs: number;
  /** Smallest timing in the window, in milliseconds. */
  minMs: number;
  /** Largest timing in the window, in milliseconds. */
  maxMs: number;
  /** Exact 50th percentile over the window (linear interpolation), in milliseconds. */
  p50Ms: number;
  /** Exact 90th percentile over the window, in milliseconds. */
  p90Ms: number;
  /** Exact 95th percentile over the window, in milliseconds. */
  p95Ms: number;
  /** Exact 99th percentile over the window, in milliseconds. */
  p99Ms: number;
  /**
   * Lifetime sum of every timing recorded, in milliseconds: with `count`, what
   * Prometheus' `_sum`/`_count` and OpenTelemetry's histogram sum report. Only grows
   * until `resetMetrics()`. A tracker always sets it; a hand-written provider may leave
   * it out, and the exporters then leave this operation's histogram out.
   */
  sumMs?: number;
  /** Smallest timing recorded since creation or reset, in milliseconds. */
  lifetimeMinMs?: number;
  /** Largest timing recorded since creation or reset, in milliseconds. */
  lifetimeMaxMs?: number;
  /**
   * Lifetime number of timings per histogram bucket (not cumulative), one more than
   * the component's `timingBucketsMs`: slot `i` counts timings `<= timingBucketsMs[i]`
   * and above the previous bound, the last slot those above the largest bound. They
   * add up to `count`.
   */
  bucketCounts?: number[];
}

/** The percentiles every timing summary reports, in percent. */
export const SUMMARY_PERCENTILES = [50, 90, 95, 99] as const;

/** The summary field that holds each of {@link SUMMARY_PERCENTILES}, in the same order. */
export const PERCENTILE_FIELDS = [
  "p50Ms",
  "p90Ms",
  "p95Ms",
  "p99Ms",
] as const satisfies readonly (keyof TimingSummary)[];

/** The scalar fields every {@link TimingSummary} has, in the order a summary lists them. */
export const SUMMARY_FIELDS = [
  "count",
  "avgMs",
  "minMs",
  "maxMs",
  ...PERCENTILE_FIELDS,
] as const satisfies readonly (keyof TimingSummary)[];

/**
 * The optional scalar fields of a {@link TimingSummary}: lifetime figures a tracker
 * always reports (beside `bucketCounts`) and a hand-written provider may leave out.
 */
export const LIFETIME_SUMMARY_FIELDS = [
  "sumMs",
  "lifetimeMinMs",
  "lifetimeMaxMs",
] as const satisfies readonly (keyof TimingSummary)[];

/** One tracked error, as plain data. */
export interface ErrorRecord {
  /** The error's message. */
  error: string;
  /** The error's class name, `"Unknown"` for values that are not Errors. */
  errorType: string;
  /** Where the error happened, as the caller described it. */
  context: string;
  /** A bounded, JSON-safe copy of the caller's details. */
  details: Record<string, unknown>;
  /** When the error was tracked, in epoch milliseconds. */
  timestamp: number;
}

/** Distinct names folded into `"__overflow__"` per kind, once a store reached `maxMetricNames`. */
export interface FoldedNames {
  /** Counter names folded. */
  counters: number;
  /** Gauge names folded. */
  gauges: number;
  /** Operation names folded. */
  operations: number;
}

/**
 * A snapshot of one component. Plain data: `JSON.stringify` round-trips it, and
 * mutating it never changes what the tracker returns next.
 */
export interface ComponentStats {
  /** The component's name. */
  name: string;
  /** The component's status. */
  status: string;
  /** Whole seconds since the tracker was created (rounded down, never negative). */
  uptimeSeconds: number;
  /** Epoch milliseconds of the last write, `null` when none since creation or reset. */
  lastActivity: number | null;
  /** Errors tracked since creation or reset (not capped by `maxErrors`). */
  errorCount: number;
  /**
   * Epoch milliseconds since which the lifetime figures count (counters, `errorCount`,
   * timing counts, sums and histograms): the tracker's creation or its last
   * `resetMetrics()`. OpenTelemetry's cumulative start time. A tracker always sets it.
   */
  countingSince?: number;
  /**
   * How many times `resetMetrics()` ran since the tracker was created; present once
   * it has. A reset restarts the lifetime figures, and when the clock has not moved
   * since the last snapshot `countingSince` does not show it: this does
   * (OpenTelemetry's delta temporality reads it).
   */
  resetCount?: number;
  /** Estimated memory in MB, or the subclass's `getMemoryUsage()`. */
  memoryUsageMb: number;
  /** Health score 0..100, one decimal. */
  healthScore: number;
  /** Every counter. */
  counters: Record<string, number>;
  /**
   * The counters that ever received a negative increment since creation or reset, in
   * the order of `counters`; present once there is one. They are exported as gauges
   * (Prometheus) and up-down counters (OpenTelemetry), so that no series typed
   * counter ever goes down.
   */
  upDownCounters?: string[];
  /** Every gauge. */
  gauges: Record<string, number>;
  /** A timing summary per operation. */
  performanceMetrics: Record<string, TimingSummary>;
  /**
   * Upper bounds of the timing histogram's buckets in milliseconds, ascending, shared
   * by every operation's `bucketCounts`; present when any operation has them.
   */
  timingBucketsMs?: number[];
  /** Present once any name was folded into `"__overflow__"`: how many distinct names were. */
  overflow?: FoldedNames;
  /**
   * Calls and failures over the tracker's recent sliding window (what the verdict
   * reads). Every tracker reports it; a stats source that is not a tracker may not.
   */
  recent?: RecentActivity;
  /**
   * Only in a merged view of many processes (`component-stats/cluster`): gauges kept
   * apart per worker, gauge name → worker → value. The exporters write each as one
   * series per worker, with a `worker` label.
   */
  workerGauges?: Record<string, Record<string, number>>;
}

/**
 * Default upper bounds of the timing histogram's buckets, in milliseconds: 0.1 ms to
 * 10 s in 16 steps of 1, 2.5 and 5 per decade (a `+Inf` bucket follows implicitly).
 */
export const DEFAULT_TIMING_BUCKETS_MS: readonly number[] = Object.freeze([
  0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000,
]);

/**
 * What a component is doing now, for probes and alerts: `"healthy"`, `"degraded"`
 * (still serving, worth a look) or `"unhealthy"` (take it out of rotation, page).
 */
export type Verdict = "healthy" | "degraded" | "unhealthy";

/** Calls and failures over a tracker's recent sliding window. */
export interface RecentActivity {
  /** The window's length, in milliseconds. */
  windowMs: number;
  /** Calls in the window: positive increments of operation counters plus recorded timings. */
  calls: number;
  /** Errors tracked in the window. */
  errors: number;
  /**
   * The share of recent calls that failed, `errors / max(calls, errors)`: 0..1, and 0
   * with neither calls nor errors. A failure tracked without a counted call counts as
   * a failed call, so 15 errors and no calls read 1, not 0.
   */
  errorRate: number;
}

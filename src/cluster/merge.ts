import { roundMb } from "../compute/saturating.js";
import { REGISTRY_RECENT_ERRORS } from "../registry/registry.js";
import type { ComponentReport } from "../registry/types.js";
import { truncate } from "../shared/sanitize.js";
import {
  type ComponentStats,
  type ErrorRecord,
  LIFETIME_SUMMARY_FIELDS,
  type RecentActivity,
  type TimingSummary,
} from "../types.js";
import {
  type FieldRule,
  first,
  keysOf,
  latest,
  lifetime,
  live,
  type MergeContext,
  type MergeTable,
  max,
  mergeFields,
  min,
  type Owned,
  sum,
  sumEach,
  sumRecords,
} from "./merge-fields.js";
import { worstStatus, worstVerdict } from "./severity.js";
import { lengthOf, maxOfRuns, meanOfRuns, minOfRuns, percentileOfRuns } from "./sorted-runs.js";

/**
 * How many workers' data becomes one, field by field: one table per shape. Pure.
 *
 * {@link TIMING_RULES} (a timing summary), {@link STATS_RULES} (a component's stats)
 * and {@link REPORT_RULES} (a component's report) are typed over every key of their
 * shape, so a field added to `src/types.ts` or `src/registry/types.ts` does not
 * compile until its row here says how it merges. Each row is `lifetime(rule)` or
 * `live(rule)`: see `merge-fields.ts` for what the two scopes mean.
 */

// ---- timing summaries --------------------------------------------------------

/** What the timing rules need besides the values. */
export interface TimingContext {
  /**
   * The fresh workers' windows, each ascending; `undefined` when one of them did not
   * send its window (a source that is not a tracker): the window rules then fall
   * back to estimates.
   */
  readonly runs: readonly Float64Array[] | undefined;
  /** The fresh summaries' lifetime counts, aligned with the fresh values. */
  readonly counts: readonly number[];
}

type TimingRule = FieldRule<number, TimingContext>;

/**
 * A field read from the union of the windows (0 when it is empty), or from
 * `fallback` without them.
 */
const fromWindows = (
  read: (runs: readonly Float64Array[]) => number,
  fallback: (values: readonly number[], context: MergeContext & TimingContext) => number,
): TimingRule =>
  live((values, context) => {
    const { runs } = context;
    if (runs === undefined) return fallback(values, context);
    return lengthOf(runs) === 0 ? 0 : read(runs);
  });

const percentile =
  (percent: number) =>
  (runs: readonly Float64Array[]): number =>
    percentileOfRuns(runs, percent);

/** Without windows, the means weighted by each worker's count: an estimate. */
function countWeightedMean(values: readonly number[], context: TimingContext): number {
  const total = sum(context.counts);
  let mean = 0;
  values.forEach((value, i) => {
    // Dividing first keeps the product of a huge mean and count finite.
    mean += total > 0 ? value * ((context.counts[i] ?? 0) / total) : value / values.length;
  });
  return mean;
}

/**
 * One timing summary from many. With every fresh worker's window, the window fields
 * are exact: they are read from the union of the windows, as one tracker holding
 * every sample would report them (the same percentile definition,
 * `percentileOfRanks`, over the ranks of the union). Without (a worker's source is not a tracker), min and max are
 * still exact, each percentile is the largest of the workers' (an estimate, chosen
 * to err towards the slow side a latency alert watches) and the mean is weighted
 * by count.
 *
 * The lifetime fields are summed (`sumMs`, `bucketCounts`, element-wise) or taken
 * at their extreme (`lifetimeMinMs`, `lifetimeMaxMs`) over every worker that ever
 * counted, as `count` is, so they stay exact: the merged buckets add up to the merged
 * `count`, and `sumMs / count` is the mean of every sample. {@link mergeStats} leaves
 * out a lifetime field that a contributing worker does not report, and the buckets of
 * a worker with other bounds (see {@link STATS_RULES}), rather than report a part as
 * the whole.
 */
export const TIMING_RULES: MergeTable<TimingSummary, TimingContext> = {
  count: lifetime(sum),
  avgMs: fromWindows(meanOfRuns, countWeightedMean),
  minMs: fromWindows(minOfRuns, min),
  maxMs: fromWindows(maxOfRuns, max),
  p50Ms: fromWindows(percentile(50), max),
  p90Ms: fromWindows(percentile(90), max),
  p95Ms: fromWindows(percentile(95), max),
  p99Ms: fromWindows(percentile(99), max),
  sumMs: lifetime(sum),
  lifetimeMinMs: lifetime(min),
  lifetimeMaxMs: lifetime(max),
  bucketCounts: lifetime(sumEach),
};

// ---- component stats ---------------------------------------------------------

/**
 * How a gauge merges over workers: their `"sum"` (connections, queue lengths), their
 * `"min"` or `"max"`, or `"perWorker"`: kept apart, one value per worker, in
 * `ComponentStats.workerGauges` (the exporters write one series per worker with a
 * `worker` label).
 */
export type GaugeRule = "sum" | "min" | "max" | "perWorker";

/** What the stats rules need besides the values. */
export interface StatsContext {
  /** Each fresh worker's windows by operation, by worker key. */
  readonly windows: ReadonlyMap<string, ReadonlyMap<string, Float64Array>>;
  /** The rule of a gauge name. */
  readonly gaugeRule: (name: string) => GaugeRule;
}

/**
 * What the rules of {@link STATS_RULES} read: the caller's {@link StatsContext} and
 * the histogram bounds {@link mergeStats} takes from the values.
 */
export interface StatsTableContext extends StatsContext {
  /** Each contributing worker's `timingBucketsMs` (fresh and carried), by worker key. */
  readonly boundsOf: ReadonlyMap<string, readonly number[]>;
  /** The merged bounds: those of the first fresh worker that reports any. */
  readonly bucketsMs: readonly number[] | undefined;
}

const GAUGE_MERGES: Readonly<Record<Exclude<GaugeRule, "perWorker">, typeof sum>> = {
  sum,
  min,
  max,
};

function mergeGauges(
  values: readonly Record<string, number>[],
  context: StatsContext,
): Record<string, number> {
  const entries: [string, number][] = [];
  for (const name of keysOf(values)) {
    const rule = context.gaugeRule(name);
    if (rule === "perWorker") continue; // gathered by mergeStats
    const present: number[] = [];
    for (const gauges of values) {
      const value = gauges[name];
      if (value !== undefined) present.push(value);
    }
    entries.push([name, GAUGE_MERGES[rule](present)]);
  }
  return Object.fromEntries(entries);
}

function mergeTimings(
  values: readonly Record<string, TimingSummary>[],
  context: MergeContext & StatsTableContext,
): Record<string, TimingSummary> {
  const { fresh, owners, windows } = context;
  const entries: [string, TimingSummary][] = [];
  for (const operation of keysOf(values.slice(0, fresh))) {
    const freshSummaries: Owned<TimingSummary>[] = [];
    const carried: Owned<TimingSummary>[] = [];
    const runs: Float64Array[] = [];
    let exact = true;
    values.forEach((record, i) => {
      const summary = record[operation];
      if (summary === undefined) return;
      const owner = owners[i] as string;
      if (i >= fresh) {
        carried.push({ owner, value: summary });
        return;
      }
      freshSummaries.push({ owner, value: summary });
      const run = windows.get(owner)?.get(operation);
      if (run === undefined) exact = false;
      else runs.push(run);
    });
    const summary = mergeFields(TIMING_RULES, freshSummaries, carried, {
      runs: exact ? runs : undefined,
      counts: freshSummaries.map(({ value }) => value.count),
    });
    dropPartial(summary, [...freshSummaries, ...carried], context);
    entries.push([operation, summary]);
  }
  return Object.fromEntries(entries);
}

/**
 * Leaves out of a merged summary each lifetime field that a contributing worker does
 * not report (a source that is not a tracker), and the buckets when a worker counted
 * them over other bounds than the merged ones: a sum over some of the workers would
 * pass for the total, against a `count` of them all (Prometheus' `_sum` and buckets
 * against its `_count`). The exporters then leave out the histogram of that
 * operation; its count and window figures stay.
 */
function dropPartial(
  summary: TimingSummary,
  parts: readonly Owned<TimingSummary>[],
  context: StatsTableContext,
): void {
  for (const field of LIFETIME_SUMMARY_FIELDS) {
    if (parts.some(({ value }) => value[field] === undefined)) delete summary[field];
  }
  const { bucketsMs, boundsOf } = context;
  const whole = parts.every(
    ({ owner, value }) =>
      value.bucketCounts !== undefined &&
      bucketsMs !== undefined &&
      sameBounds(boundsOf.get(owner), bucketsMs),
  );
  if (!whole) delete summary.bucketCounts;
}

function sameBounds(a: readonly number[] | undefined, b: readonly number[]): boolean {
  return a !== undefined && a.length === b.length && a.every((bound, i) => bound === b[i]);
}

/** The union of name lists, in the order names are first met. */
function unionNames(values: readonly (readonly string[])[]): string[] {
  return [...new Set(values.flat())];
}

/** Per-worker gauges of merged views merged again: unioned by gauge name, then by worker. */
function unionWorkerGauges(
  values: readonly Record<string, Record<string, number>>[],
): Record<string, Record<string, number>> {
  const entries: [string, Record<string, number>][] = [];
  for (const name of keysOf(values)) {
    entries.push([
      name,
      Object.fromEntries(values.flatMap((value) => Object.entries(value[name] ?? {}))),
    ]);
  }
  return Object.fromEntries(entries);
}

/**
 * One component's stats from many workers. Gauges whose rule is `"perWorker"` are
 * gathered into `workerGauges` by {@link mergeStats}, after the table: that rule
 * moves values from one field to another, which a row cannot.
 *
 * Histograms: the merged `timingBucketsMs` are the first fresh worker's (workers of
 * one program share them). An operation keeps its merged `bucketCounts` only when
 * every worker that counted it reports them over those same bounds; a worker with
 * other bounds cannot be added bucket by bucket, so the operation's histogram is left
 * out rather than approximated, and the bounds are left out when no operation keeps
 * a histogram.
 */
export const STATS_RULES: MergeTable<ComponentStats, StatsTableContext> = {
  name: live(first),
  status: live(worstStatus),
  // How long the component has existed anywhere: its oldest worker's uptime.
  uptimeSeconds: live(max),
  lastActivity: live(latest),
  errorCount: lifetime(sum),
  // The lifetime figures count since the earliest start of any worker they include.
  countingSince: lifetime(min),
  // Resets in any worker, those that left included: it grows whenever one worker's
  // reset restarts its part of the sums.
  resetCount: lifetime(sum),
  // Memory held in all processes together; rounded as the registry's total is.
  memoryUsageMb: live((values) => roundMb(sum(values))),
  // A component is as healthy as its least healthy worker.
  healthScore: live(min),
  counters: lifetime(sumRecords),
  // A counter that went down in any worker, carried ones included, can go down in the
  // sum: it stays an up-down counter for good, so its exported type never flips.
  // mergeStats lists them in the order of the merged counters.
  upDownCounters: lifetime(unionNames),
  gauges: live(mergeGauges),
  performanceMetrics: lifetime(mergeTimings),
  timingBucketsMs: live(first),
  recent: live(mergeRecentActivity),
  // Names folded per worker, summed: a name folded in two workers counts twice.
  overflow: live(sumRecords),
  workerGauges: live(unionWorkerGauges),
};

/**
 * Merges one component's stats from many workers with {@link STATS_RULES}, then
 * gathers the gauges whose rule is `"perWorker"` into `workerGauges`.
 *
 * @param fresh - the stats of workers that answered now, in worker order.
 * @param carried - the last stats of workers that did not answer it now or have exited.
 * @param context - windows and gauge rules.
 * @returns the merged stats.
 */
export function mergeStats(
  fresh: readonly Owned<ComponentStats>[],
  carried: readonly Owned<ComponentStats>[],
  context: StatsContext,
): ComponentStats {
  const boundsOf = new Map<string, readonly number[]>();
  for (const { owner, value } of [...fresh, ...carried]) {
    if (value.timingBucketsMs !== undefined) boundsOf.set(owner, value.timingBucketsMs);
  }
  const bucketsMs = fresh.find(({ value }) => value.timingBucketsMs !== undefined)?.value
    .timingBucketsMs;
  const merged = mergeFields(STATS_RULES, fresh, carried, { ...context, boundsOf, bucketsMs });
  const histograms = Object.values(merged.performanceMetrics);
  if (!histograms.some((summary) => summary.bucketCounts !== undefined)) {
    delete merged.timingBucketsMs;
  }
  // Carried lists count even when no fresh worker has one (the row sees fresh ones only then).
  const upDown = new Set([...fresh, ...carried].flatMap(({ value }) => value.upDownCounters ?? []));
  const upDownCounters = Object.keys(merged.counters).filter((name) => upDown.has(name));
  if (upDownCounters.length > 0) merged.upDownCounters = upDownCounters;
  else delete merged.upDownCounters;
  const perWorker = new Map<string, [string, number][]>();
  for (const { owner, value } of fresh) {
    for (const [name, gauge] of Object.entries(value.gauges)) {
      if (context.gaugeRule(name) !== "perWorker") continue;
      const series = perWorker.get(name) ?? [];
      if (series.length === 0) perWorker.set(name, series);
      series.push([owner, gauge]);
    }
  }
  if (perWorker.size > 0) {
    const gathered = [...perWorker].map(([name, series]) => [name, Object.fromEntries(series)]);
    merged.workerGauges = { ...merged.workerGauges, ...Object.fromEntries(gathered) };
  }
  return merged;
}

/**
 * Recent activity of many workers (for `ComponentStats.recent`): calls and errors
 * summed, the rate recomputed from the sums (a mean of rates would weigh an idle
 * worker like a busy one), the longest window. Pure.
 */
export function mergeRecentActivity(values: readonly RecentActivity[]): RecentActivity {
  const calls = sum(values.map((value) => value.calls));
  const errors = sum(values.map((value) => value.errors));
  return {
    windowMs: max(values.map((value) => value.windowMs)),
    calls,
    errors,
    // As one tracker computes it (RecentActivity.errorRate): failures without a call count as calls.
    errorRate: Math.max(calls, errors) > 0 ? errors / Math.max(calls, errors) : 0,
  };
}

// ---- component reports -------------------------------------------------------

const MAX_REASON_LENGTH = 1024;

/**
 * Error records of many workers interleaved by time, oldest first; the newest
 * `limit` are kept. Records of equal time keep the order of their workers.
 */
export function interleaveErrors(
  lists: readonly (readonly ErrorRecord[])[],
  limit: number,
): ErrorRecord[] {
  // Array.prototype.sort is stable: ties keep worker order, and each list's own order.
  const all = lists.flat().sort((a, b) => a.timestamp - b.timestamp);
  return limit === 0 ? [] : all.slice(-limit);
}

/** What the report rules need besides the values. */
export interface ReportContext extends StatsContext {
  /** The last stats of this component from workers that did not answer it now. */
  readonly carried: readonly Owned<ComponentStats>[];
}

/**
 * One component's report from many workers. A worker whose registry could not
 * collect the component contributes its failed report: status `"error"` or
 * `"timeout"`, health 0, its reason.
 *
 * The verdict is the worst of the workers' verdicts, each given by its own
 * registry's rules; the reasons are theirs, each prefixed with its worker
 * (`cluster-2: status "disconnected"`). The merged view does not judge again: the
 * rules live with the workers' registries.
 */
export const REPORT_RULES: MergeTable<ComponentReport, ReportContext> = {
  name: live(first),
  // Collected when any worker collected it; the failures show in status, health and reason.
  outcome: live((values) =>
    values.includes("ok") ? "ok" : values.includes("error") ? "error" : "timeout",
  ),
  status: live(worstStatus),
  healthScore: live(min),
  weight: live(max),
  stats: live((values, context) =>
    mergeStats(
      values.map((value, i) => ({ owner: context.owners[i] as string, value })),
      context.carried,
      context,
    ),
  ),
  recentErrors: live((values) => interleaveErrors(values, REGISTRY_RECENT_ERRORS)),
  reason: live((values, context) =>
    truncate(
      values.map((reason, i) => `${context.owners[i]}: ${reason}`).join("; "),
      MAX_REASON_LENGTH,
    ),
  ),
  // The oldest call still pending in any worker.
  pendingSinceMs: live(min),
  verdict: live(worstVerdict),
  reasons: live((values, context) =>
    values.flatMap((reasons, i) => reasons.map((reason) => `${context.owners[i]}: ${reason}`)),
  ),
};

import { describeValue } from "../shared/validate.js";
import { checkTimingBuckets } from "../stores/timing-histogram.js";
import {
  type ComponentStats,
  type ErrorRecord,
  type FoldedNames,
  LIFETIME_SUMMARY_FIELDS,
  type RecentActivity,
  SUMMARY_FIELDS,
  type TimingSummary,
} from "../types.js";

/** A snapshot that passed {@link checkStats}: a {@link ComponentStats} whose health may be missing. */
export type CheckedStats = Omit<ComponentStats, "healthScore"> & {
  healthScore: number | undefined;
};

/**
 * Checks what a component's `getStats()` resolved to, field by field, and returns
 * it as a {@link ComponentStats}: the value itself when `copy` is false, else a copy
 * built from the values that passed (each read once, so a getter cannot answer the
 * check and the copy differently), holding the contract's fields and no others.
 *
 * A {@link BaseStatisticsTracker} returns a well-formed, fresh snapshot, but a
 * registry accepts any {@link StatsSource}, and the exporters write every number
 * they are given: a `null` counter or a missing `performanceMetrics` would either
 * crash the collection or put an invalid sample into the Prometheus text. A snapshot
 * that fails these checks makes the component's outcome `"error"` instead.
 *
 * `healthScore` may be missing (the registry then asks `getHealthScore()`); when
 * present it must be a number from 0 to 100.
 *
 * @param value - what `getStats()` resolved to.
 * @param copy - whether to return a copy: true for objects the registry does not own.
 * @returns the checked snapshot; `healthScore` is `undefined` when it had none.
 * @throws TypeError or RangeError naming the field that is not valid.
 */
export function checkStats(value: unknown, copy: boolean): CheckedStats {
  const stats = objectOrThrow(value, "getStats()");
  const name = stats.name;
  const status = stats.status;
  stringOrThrow(name, "getStats().name");
  stringOrThrow(status, "getStats().status");
  const uptimeSeconds = finiteOrThrow(stats.uptimeSeconds, "getStats().uptimeSeconds");
  const errorCount = finiteOrThrow(stats.errorCount, "getStats().errorCount");
  const memoryUsageMb = finiteOrThrow(stats.memoryUsageMb, "getStats().memoryUsageMb");
  const { lastActivity, healthScore, overflow } = stats;
  if (lastActivity !== null) finiteOrThrow(lastActivity, "getStats().lastActivity");
  if (healthScore !== undefined) {
    scoreOrThrow(healthScore, "getStats().healthScore", "getStats().healthScore to be");
  }
  const counters = numberRecord(stats.counters, "getStats().counters", copy);
  const gauges = numberRecord(stats.gauges, "getStats().gauges", copy);
  const countingSince =
    stats.countingSince === undefined
      ? undefined
      : finiteOrThrow(stats.countingSince, "getStats().countingSince");
  const resetCount =
    stats.resetCount === undefined
      ? undefined
      : countOrThrow(stats.resetCount, "getStats().resetCount");
  const upDownCounters =
    stats.upDownCounters === undefined ? undefined : upDownNames(stats.upDownCounters, counters);
  const bounds =
    stats.timingBucketsMs === undefined
      ? undefined
      : checkTimingBuckets(stats.timingBucketsMs, "getStats().timingBucketsMs");
  const performanceMetrics = summaryRecord(stats.performanceMetrics, copy, bounds);
  const folded = overflow === undefined ? undefined : foldedNames(overflow);
  // Present in a merged view of many processes, which may itself be merged again.
  const workerGauges =
    stats.workerGauges === undefined ? undefined : perWorkerGauges(stats.workerGauges, copy);
  // The verdict reads it: a NaN here would decide a verdict no rule describes.
  const recent = stats.recent === undefined ? undefined : recentActivity(stats.recent);
  if (!copy) return stats as unknown as CheckedStats;
  const checked: CheckedStats = {
    name,
    status,
    uptimeSeconds,
    lastActivity: lastActivity as number | null,
    errorCount,
    memoryUsageMb,
    healthScore: healthScore as number | undefined,
    counters,
    gauges,
    performanceMetrics,
  };
  if (countingSince !== undefined) checked.countingSince = countingSince;
  if (resetCount !== undefined) checked.resetCount = resetCount;
  if (upDownCounters !== undefined) checked.upDownCounters = upDownCounters;
  if (bounds !== undefined) checked.timingBucketsMs = [...bounds];
  if (folded !== undefined) checked.overflow = folded;
  if (recent !== undefined) checked.recent = recent;
  if (workerGauges !== undefined) checked.workerGauges = workerGauges;
  return checked;
}

/**
 * Checks what a component's `getHealthScore()` resolved to.
 *
 * @param value - the score.
 * @returns the score, a finite number from 0 to 100.
 * @throws TypeError or RangeError when it is anything else.
 */
export function checkHealthScore(value: unknown): number {
  return scoreOrThrow(value, "getHealthScore()", "getHealthScore() to resolve to");
}

/**
 * Checks what a component's `getRecentErrors()` resolved to: an array of objects.
 *
 * @param value - the records.
 * @param copy - whether to return a deep copy: true for arrays the registry does not own.
 * @returns the array, or a deep copy of it.
 * @throws TypeError when it is not an array of objects, or cannot be cloned.
 */
export function checkRecentErrors(value: unknown, copy: boolean): ErrorRecord[] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Expected getRecentErrors() to resolve to an array, got ${describeValue(value)}`,
    );
  }
  const records = copy ? (structuredClone(value) as unknown[]) : value;
  records.forEach((record, i) => {
    objectOrThrow(record, `getRecentErrors()[${i}]`);
  });
  return records as ErrorRecord[];
}

/**
 * A record of finite numbers, or a copy of it. Without a copy the values are read
 * with `Object.values`: looking 50 keys up again costs more than the check itself.
 * The failing key is looked for only once a value failed.
 */
function numberRecord(value: unknown, path: string, copy: boolean): Record<string, number> {
  const record = objectOrThrow(value, path);
  if (!copy) {
    for (const item of Object.values(record)) {
      if (!isFiniteNumber(item)) throwAtKey(record, path, finiteOrThrow);
    }
    return record as Record<string, number>;
  }
  const out: Record<string, number> = {};
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (!isFiniteNumber(item)) finiteOrThrow(item, `${path}[${JSON.stringify(key)}]`);
    setData(out, key, item);
  }
  return out;
}

/** Gauge name → worker → value: a record of {@link numberRecord}s, or a copy of it. */
function perWorkerGauges(value: unknown, copy: boolean): Record<string, Record<string, number>> {
  const path = "getStats().workerGauges";
  const record = objectOrThrow(value, path);
  const out: Record<string, Record<string, number>> = {};
  for (const key of Object.keys(record)) {
    setData(out, key, numberRecord(record[key], `${path}[${JSON.stringify(key)}]`, copy));
  }
  return copy ? out : (record as Record<string, Record<string, number>>);
}

function summaryRecord(
  value: unknown,
  copy: boolean,
  bounds: readonly number[] | undefined,
): Record<string, TimingSummary> {
  const path = "getStats().performanceMetrics";
  const record = objectOrThrow(value, path);
  if (!copy) {
    for (const summary of Object.values(record)) {
      if (readSummary(summary, false, bounds) === undefined) {
        throwAtKey(record, path, (item, at) => summaryOrThrow(item, at, bounds));
      }
    }
    return record as Record<string, TimingSummary>;
  }
  const out: Record<string, TimingSummary> = {};
  for (const key of Object.keys(record)) {
    const summary = record[key];
    const checked = readSummary(summary, true, bounds);
    if (checked === undefined) summaryOrThrow(summary, `${path}[${JSON.stringify(key)}]`, bounds);
    setData(out, key, checked);
  }
  return out;
}

/**
 * A timing summary whose {@link SUMMARY_FIELDS} are all finite: the value itself, or
 * a copy made of the values checked (each field read once); `undefined` when any
 * fails. The fields are named one by one, not looked up from the list: keyed loads
 * of eight names per summary made the check cost five times as much, and a test
 * checks that every field of the list is checked and copied.
 */
function readSummary(
  value: unknown,
  copy: boolean,
  bounds: readonly number[] | undefined,
): TimingSummary | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const {
    count,
    avgMs,
    minMs,
    maxMs,
    p50Ms,
    p90Ms,
    p95Ms,
    p99Ms,
    sumMs,
    lifetimeMinMs,
    lifetimeMaxMs,
    bucketCounts,
  } = value as Record<keyof TimingSummary, unknown>;
  if (
    !isFiniteNumber(count) ||
    !isFiniteNumber(avgMs) ||
    !isFiniteNumber(minMs) ||
    !isFiniteNumber(maxMs) ||
    !isFiniteNumber(p50Ms) ||
    !isFiniteNumber(p90Ms) ||
    !isFiniteNumber(p95Ms) ||
    !isFiniteNumber(p99Ms)
  ) {
    return undefined;
  }
  if (
    !optionalFinite(sumMs) ||
    !optionalFinite(lifetimeMinMs) ||
    !optionalFinite(lifetimeMaxMs) ||
    (bucketCounts !== undefined && !bucketsFit(bucketCounts, bounds, count))
  ) {
    return undefined;
  }
  if (!copy) return value as TimingSummary;
  const summary: TimingSummary = { count, avgMs, minMs, maxMs, p50Ms, p90Ms, p95Ms, p99Ms };
  if (sumMs !== undefined) summary.sumMs = sumMs as number;
  if (lifetimeMinMs !== undefined) summary.lifetimeMinMs = lifetimeMinMs as number;
  if (lifetimeMaxMs !== undefined) summary.lifetimeMaxMs = lifetimeMaxMs as number;
  if (bucketCounts !== undefined) summary.bucketCounts = [...(bucketCounts as number[])];
  return summary;
}

const optionalFinite = (value: unknown): boolean => value === undefined || isFiniteNumber(value);

/** Whether `counts` has one slot per bound plus one, each an integer >= 0, adding up to `count`. */
function bucketsFit(
  counts: unknown,
  bounds: readonly number[] | undefined,
  count: number,
): boolean {
  if (!Array.isArray(counts) || bounds === undefined || counts.length !== bounds.length + 1) {
    return false;
  }
  let total = 0;
  for (const n of counts) {
    if (!Number.isSafeInteger(n) || n < 0) return false;
    total += n;
  }
  return total === count;
}

/** Counter names that went negative: an array of names the snapshot's counters hold. */
function upDownNames(value: unknown, counters: Record<string, number>): string[] {
  if (
    !Array.isArray(value) ||
    !value.every((name) => typeof name === "string" && Object.hasOwn(counters, name))
  ) {
    throw new TypeError(
      `Expected getStats().upDownCounters to be an array of counter names, got ${describeValue(value)}`,
    );
  }
  return [...value];
}

/** Throws naming the field of a summary that {@link readSummary} refused. */
function summaryOrThrow(
  value: unknown,
  path: string,
  bounds: readonly number[] | undefined,
): never {
  const summary = objectOrThrow(value, path);
  for (const field of SUMMARY_FIELDS) finiteOrThrow(summary[field], `${path}.${field}`);
  for (const field of LIFETIME_SUMMARY_FIELDS) {
    if (summary[field] !== undefined) finiteOrThrow(summary[field], `${path}.${field}`);
  }
  const counts = summary.bucketCounts;
  if (counts !== undefined && !bucketsFit(counts, bounds, summary.count as number)) {
    throw new TypeError(
      `Expected ${path}.bucketCounts to be ${bounds === undefined ? "absent without getStats().timingBucketsMs" : `${bounds.length + 1} integers >= 0 adding up to count ${String(summary.count)}`}, got ${describeValue(counts)}`,
    );
  }
  // Only a getter answering differently the second time gets here.
  throw new TypeError(`Expected ${path} to hold finite numbers, got one that changed when read`);
}

/** Finds the key whose value `check` refuses, and throws its error. */
function throwAtKey(
  record: Record<string, unknown>,
  path: string,
  check: (value: unknown, path: string) => unknown,
): never {
  for (const key of Object.keys(record)) check(record[key], `${path}[${JSON.stringify(key)}]`);
  throw new TypeError(`Expected ${path} to hold finite numbers, got one that changed when read`);
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === "number" && Number.isFinite(value);

function recentActivity(value: unknown): RecentActivity {
  const recent = objectOrThrow(value, "getStats().recent");
  return {
    windowMs: finiteOrThrow(recent.windowMs, "getStats().recent.windowMs"),
    calls: finiteOrThrow(recent.calls, "getStats().recent.calls"),
    errors: finiteOrThrow(recent.errors, "getStats().recent.errors"),
    errorRate: finiteOrThrow(recent.errorRate, "getStats().recent.errorRate"),
  };
}

function foldedNames(value: unknown): FoldedNames {
  const folded = objectOrThrow(value, "getStats().overflow");
  return {
    counters: finiteOrThrow(folded.counters, "getStats().overflow.counters"),
    gauges: finiteOrThrow(folded.gauges, "getStats().overflow.gauges"),
    operations: finiteOrThrow(folded.operations, "getStats().overflow.operations"),
  };
}

/** Sets `record[key]`, keeping a key named `__proto__` as data rather than a prototype. */
function setData(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(record, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    record[key] = value;
  }
}

function objectOrThrow(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected ${path} to be an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function stringOrThrow(value: unknown, path: string): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(`Expected ${path} to be a string, got ${describeValue(value)}`);
  }
}

function finiteOrThrow(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`Expected ${path} to be a finite number, got ${describeValue(value)}`);
  }
  return value;
}

/** A count: a safe integer >= 0. */
function countOrThrow(value: unknown, path: string): number {
  const count = finiteOrThrow(value, path);
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`Expected ${path} to be an integer >= 0, got ${describeValue(count)}`);
  }
  return count;
}

/** `expected` is the subject and verb of the range message, e.g. `"getHealthScore() to resolve to"`. */
function scoreOrThrow(value: unknown, path: string, expected: string): number {
  const score = finiteOrThrow(value, path);
  if (score < 0 || score > 100) {
    throw new RangeError(
      `Expected ${expected} a number from 0 to 100, got ${describeValue(score)}`,
    );
  }
  return score;
}

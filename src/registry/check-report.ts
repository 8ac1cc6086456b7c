import { describeValue } from "../shared/validate.js";
import {
  type ComponentStats,
  type ErrorRecord,
  type FoldedNames,
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
  const lastActivity =
    stats.lastActivity === null
      ? null
      : finiteOrThrow(stats.lastActivity, "getStats().lastActivity");
  const healthScore =
    stats.healthScore === undefined
      ? undefined
      : scoreOrThrow(stats.healthScore, "getStats().healthScore to be");
  const counters = numberRecord(stats.counters, "getStats().counters", copy);
  const gauges = numberRecord(stats.gauges, "getStats().gauges", copy);
  const performanceMetrics = summaryRecord(stats.performanceMetrics, copy);
  const overflow = stats.overflow === undefined ? undefined : foldedNames(stats.overflow);
  if (!copy) return stats as unknown as CheckedStats;
  const checked: CheckedStats = {
    name,
    status,
    uptimeSeconds,
    lastActivity,
    errorCount,
    memoryUsageMb,
    healthScore,
    counters,
    gauges,
    performanceMetrics,
  };
  if (overflow !== undefined) checked.overflow = overflow;
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
  return scoreOrThrow(value, "getHealthScore() to resolve to");
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

/** A record of finite numbers, or a copy of it; the loop builds no strings unless a value fails. */
function numberRecord(value: unknown, path: string, copy: boolean): Record<string, number> {
  const record = objectOrThrow(value, path);
  const out: Record<string, unknown> = copy ? {} : record;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (typeof item !== "number" || !Number.isFinite(item)) {
      finiteOrThrow(item, `${path}[${JSON.stringify(key)}]`);
    }
    if (copy) setData(out, key, item);
  }
  return out as Record<string, number>;
}

function summaryRecord(value: unknown, copy: boolean): Record<string, TimingSummary> {
  const path = "getStats().performanceMetrics";
  const record = objectOrThrow(value, path);
  const out: Record<string, unknown> = copy ? {} : record;
  for (const key of Object.keys(record)) {
    const summary = record[key];
    if (typeof summary !== "object" || summary === null || Array.isArray(summary)) {
      objectOrThrow(summary, `${path}[${JSON.stringify(key)}]`);
    }
    const fields = summary as Record<string, unknown>;
    const checked: Record<string, unknown> | undefined = copy ? {} : undefined;
    for (const field of SUMMARY_FIELDS) {
      const item = fields[field];
      if (typeof item !== "number" || !Number.isFinite(item)) {
        finiteOrThrow(item, `${path}[${JSON.stringify(key)}].${field}`);
      }
      if (checked !== undefined) checked[field] = item;
    }
    if (checked !== undefined) setData(out, key, checked);
  }
  return out as Record<string, TimingSummary>;
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

/** `expected` is the subject and verb of the message, e.g. `"getHealthScore() to resolve to"`. */
function scoreOrThrow(value: unknown, expected: string): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > 100) {
    const ErrorType = typeof value === "number" ? RangeError : TypeError;
    throw new ErrorType(`Expected ${expected} a number from 0 to 100, got ${describeValue(value)}`);
  }
  return value;
}

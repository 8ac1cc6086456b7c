import { describeValue } from "../shared/validate.js";
import { copyStats } from "../tracker/stats.js";
import type { ComponentStats, ErrorRecord, TimingSummary } from "../types.js";

/**
 * Checks what a provider's `getStats()` resolved to and returns a copy.
 *
 * A {@link BaseStatisticsTracker} always returns a well-formed snapshot, but a
 * registry accepts any `StatisticsProvider`, and the exporters write every number
 * they are given: a `null` counter or a missing `performanceMetrics` would either
 * crash the collection or put an invalid sample into the Prometheus text. A snapshot
 * that fails these checks makes the component's outcome `"error"` instead.
 *
 * @param value - what `getStats()` resolved to.
 * @returns a deep copy, so later changes to the provider's object do not show.
 * @throws TypeError naming the field that is not valid.
 */
export function checkStats(value: unknown): ComponentStats {
  const stats = objectOrThrow(value, "getStats()");
  stringOrThrow(stats.name, "getStats().name");
  stringOrThrow(stats.status, "getStats().status");
  for (const field of ["uptimeSeconds", "errorCount", "memoryUsageMb", "healthScore"] as const) {
    finiteOrThrow(stats[field], `getStats().${field}`);
  }
  if (stats.lastActivity !== null) finiteOrThrow(stats.lastActivity, "getStats().lastActivity");
  for (const field of ["counters", "gauges"] as const) {
    const record = objectOrThrow(stats[field], `getStats().${field}`);
    for (const key of Object.keys(record)) {
      finiteOrThrow(record[key], `getStats().${field}[${JSON.stringify(key)}]`);
    }
  }
  const timings = objectOrThrow(stats.performanceMetrics, "getStats().performanceMetrics");
  for (const key of Object.keys(timings)) {
    const path = `getStats().performanceMetrics[${JSON.stringify(key)}]`;
    const summary = objectOrThrow(timings[key], path);
    for (const field of SUMMARY_FIELDS) finiteOrThrow(summary[field], `${path}.${field}`);
  }
  if (stats.recent !== undefined) {
    // The verdict reads it: a NaN here would decide a verdict no rule describes.
    const recent = objectOrThrow(stats.recent, "getStats().recent");
    for (const field of ["windowMs", "calls", "errors", "errorRate"] as const) {
      finiteOrThrow(recent[field], `getStats().recent.${field}`);
    }
  }
  return copyStats(stats as unknown as ComponentStats);
}

const SUMMARY_FIELDS: readonly (keyof TimingSummary)[] = [
  "count",
  "avgMs",
  "minMs",
  "maxMs",
  "p50Ms",
  "p90Ms",
  "p95Ms",
  "p99Ms",
];

/**
 * Checks what a provider's `getHealthScore()` resolved to.
 *
 * @param value - the score.
 * @returns the score, a finite number from 0 to 100.
 * @throws TypeError or RangeError when it is anything else.
 */
export function checkHealthScore(value: unknown): number {
  finiteOrThrow(value, "getHealthScore()");
  if (value < 0 || value > 100) {
    throw new RangeError(
      `Expected getHealthScore() to resolve to a number from 0 to 100, got ${describeValue(value)}`,
    );
  }
  return value;
}

/**
 * Checks what a provider's `getRecentErrors()` resolved to and returns a copy.
 *
 * @param value - the records.
 * @returns a deep copy of the array.
 * @throws TypeError when it is not an array of objects, or cannot be cloned.
 */
export function checkRecentErrors(value: unknown): ErrorRecord[] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Expected getRecentErrors() to resolve to an array, got ${describeValue(value)}`,
    );
  }
  value.forEach((record, i) => {
    objectOrThrow(record, `getRecentErrors()[${i}]`);
  });
  return structuredClone(value) as ErrorRecord[];
}

function objectOrThrow(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected ${path} to be an object, got ${describeValue(value)}`);
  }
  return value as Record<string, unknown>;
}

function stringOrThrow(value: unknown, path: string): void {
  if (typeof value !== "string") {
    throw new TypeError(`Expected ${path} to be a string, got ${describeValue(value)}`);
  }
}

function finiteOrThrow(value: unknown, path: string): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new TypeError(`Expected ${path} to be a finite number, got ${describeValue(value)}`);
  }
}

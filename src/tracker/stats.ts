import type { ComponentStats, TimingSummary } from "../types.js";

/**
 * A deep copy of a snapshot, as `getStats()` returns a cached one: the caller may
 * change it freely without touching the tracker's cached snapshot. A snapshot taken
 * fresh is copied only when it is also cached.
 *
 * Spreads copy own fields with their keys as data (a counter or operation named
 * `__proto__` stays an own property, as it is in the source), and a summary is
 * copied whole, whatever fields it has, so a field added to {@link TimingSummary}
 * needs no change here. For 100 operations it takes a few microseconds on Node 20,
 * several times less than `structuredClone` (the bench's `getStatsCached` workload
 * measures both).
 *
 * @param stats - a snapshot: plain data, as the tracker builds it.
 * @returns a copy sharing no object or array with `stats`.
 */
export function copyStats(stats: ComponentStats): ComponentStats {
  const performanceMetrics = { ...stats.performanceMetrics };
  // Assigning to an own key (even `__proto__`) writes that own property.
  for (const operation in performanceMetrics) {
    performanceMetrics[operation] = copySummary(performanceMetrics[operation] as TimingSummary);
  }
  const copy: ComponentStats = {
    ...stats,
    counters: { ...stats.counters },
    gauges: { ...stats.gauges },
    performanceMetrics,
  };
  // Any other field holding an array or object (overflow, timingBucketsMs, …) is
  // copied too, so a field added to ComponentStats needs no change here either.
  for (const field in copy) {
    if (field === "counters" || field === "gauges" || field === "performanceMetrics") continue;
    const value = copy[field as keyof ComponentStats] as unknown;
    if (typeof value === "object" && value !== null) {
      (copy as unknown as Record<string, unknown>)[field] = copyData(value);
    }
  }
  return copy;
}

/** A summary's numbers spread, and any array or object inside it copied in turn. */
function copySummary(summary: TimingSummary): TimingSummary {
  const copy = { ...summary };
  for (const field in copy) {
    const value = copy[field as keyof TimingSummary] as unknown;
    if (typeof value === "object" && value !== null) {
      (copy as Record<string, unknown>)[field] = copyData(value);
    }
  }
  return copy;
}

/** A deep copy of plain data: arrays and plain objects of numbers, strings and `null`. */
function copyData(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyData);
  const copy: Record<string, unknown> = { ...value };
  for (const key in copy) copy[key] = copyData(copy[key]);
  return copy;
}

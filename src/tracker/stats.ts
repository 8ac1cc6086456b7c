import type { ComponentStats, TimingSummary } from "../types.js";
import { SummaryCopy, type SummaryRecordCopiers } from "./summary-copy.js";

/** Copies a record of numbers, keeping a key named `__proto__` as data. */
export function copyRecord<T>(
  source: Record<string, T>,
  copyValue: (value: T) => T,
): Record<string, T> {
  const copy: Record<string, T> = {};
  for (const key of Object.keys(source)) {
    const value = copyValue(source[key] as T);
    if (key === "__proto__") {
      Object.defineProperty(copy, key, {
        value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      copy[key] = value;
    }
  }
  return copy;
}

const same = <T>(value: T): T => value;
/** The one summary copier, shared with the cached path (see {@link SummaryCopy}). */
const copySummary = (s: TimingSummary): TimingSummary => new SummaryCopy(s);

/** A deep copy of a snapshot; cheaper than `structuredClone` for this fixed shape. */
export function copyStats(stats: ComponentStats): ComponentStats {
  const copy: ComponentStats = {
    name: stats.name,
    status: stats.status,
    uptimeSeconds: stats.uptimeSeconds,
    lastActivity: stats.lastActivity,
    errorCount: stats.errorCount,
    memoryUsageMb: stats.memoryUsageMb,
    healthScore: stats.healthScore,
    counters: copyRecord(stats.counters, same),
    gauges: copyRecord(stats.gauges, same),
    performanceMetrics: copyRecord(stats.performanceMetrics, copySummary),
  };
  if (stats.overflow !== undefined) copy.overflow = { ...stats.overflow };
  if (stats.recent !== undefined) copy.recent = { ...stats.recent };
  return copy;
}

/**
 * A snapshot the tracker built and caches, never mutated, and copied once per read.
 *
 * A cache hit must still return a deep copy, and with many operations that copy is
 * nearly the whole cost of the hit. The operation names and summaries are taken out
 * once; the first copy clones the timing record with a spread and overwrites each
 * summary (about 20 ns a keyed store into a 100-key object), and later copies, the
 * cache hits, build it with one object literal compiled for these keys by
 * {@link SummaryRecordCopiers}, which takes about half as long.
 */
export class StatsSnapshot {
  readonly #stats: ComponentStats;
  readonly #operations: string[];
  readonly #summaries: TimingSummary[];
  readonly #copiers: SummaryRecordCopiers;
  #copies = 0;

  /**
   * @param stats - a snapshot the tracker built (plain records, no symbol keys); kept, not copied.
   * @param copiers - the tracker's cache of compiled record copiers.
   */
  constructor(stats: ComponentStats, copiers: SummaryRecordCopiers) {
    const timings = stats.performanceMetrics;
    this.#stats = stats;
    this.#operations = Object.keys(timings);
    this.#summaries = this.#operations.map((operation) => timings[operation] as TimingSummary);
    this.#copiers = copiers;
  }

  /** A deep copy, equal to `copyStats(stats)`. */
  copy(): ComponentStats {
    const stats = this.#stats;
    const summaries = this.#summaries;
    const compiled = this.#copies++ > 0 ? this.#copiers.copierFor(this.#operations) : undefined;
    let performanceMetrics: Record<string, TimingSummary>;
    if (compiled !== undefined) {
      performanceMetrics = compiled(summaries);
    } else {
      const operations = this.#operations;
      performanceMetrics = { ...stats.performanceMetrics };
      for (let i = 0; i < operations.length; i++) {
        performanceMetrics[operations[i] as string] = new SummaryCopy(
          summaries[i] as TimingSummary,
        );
      }
    }
    const copy: ComponentStats = {
      ...stats,
      counters: { ...stats.counters },
      gauges: { ...stats.gauges },
      performanceMetrics,
    };
    if (stats.overflow !== undefined) copy.overflow = { ...stats.overflow };
    if (stats.recent !== undefined) copy.recent = { ...stats.recent };
    return copy;
  }
}

import type { ComponentStats, ErrorRecord } from "../types.js";

/**
 * What a {@link StatisticsRegistry} reads from a component: a snapshot, and
 * optionally a health score and recent errors. Read-only: a registry never writes
 * to a component. Every {@link BaseStatisticsTracker} and every
 * {@link StatisticsProvider} is one; so is any object with a `getStats()` method.
 *
 * @example
 * ```ts
 * const pool: StatsSource = {
 *   async getStats() {
 *     return { ...poolStats(), healthScore: 100 };
 *   },
 * };
 * registry.register(pool, { name: "pool" });
 * ```
 */
export interface StatsSource {
  /** The name the registry lists it under when `register()` is given none. */
  readonly componentName?: string | undefined;
  /**
   * A snapshot of the component. Its `healthScore` is the component's health; a
   * snapshot without one is completed by `getHealthScore()`.
   */
  getStats(): ComponentStats | PromiseLike<ComponentStats>;
  /** The health score 0..100, asked only when the snapshot carries none. */
  getHealthScore?(): number | PromiseLike<number>;
  /** The newest `limit` error records, oldest first. */
  getRecentErrors?(limit: number): ErrorRecord[] | PromiseLike<ErrorRecord[]>;
}

const OPTIONAL_METHODS = ["getHealthScore", "getRecentErrors"] as const;

/**
 * Whether `value` is a {@link StatsSource}, checked at run time: an object (or
 * function) with a `getStats()` method, whose `getHealthScore` and
 * `getRecentErrors`, when present, are methods too.
 *
 * @param value - anything.
 * @returns true when a registry can collect it.
 */
export function isStatsSource(value: unknown): value is StatsSource {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const candidate = value as Record<string, unknown>;
  try {
    if (typeof candidate.getStats !== "function") return false;
    return OPTIONAL_METHODS.every((method) => {
      const member = candidate[method];
      return member === undefined || typeof member === "function";
    });
  } catch {
    return false; // a throwing getter or a revoked Proxy is not a source
  }
}

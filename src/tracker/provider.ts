import type { ComponentStats } from "../types.js";

/**
 * What a component that records and reports statistics offers: the four writes, a
 * snapshot and a health score. {@link BaseStatisticsTracker} implements it. A
 * registry needs only the reads: every provider is a `StatsSource`, one kind of
 * what `StatisticsRegistry.register()` accepts.
 */
export interface StatisticsProvider {
  /** Adds `value` (default 1) to a counter. */
  increment(metric: string, value?: number): Promise<void>;
  /** Sets a gauge. */
  setGauge(metric: string, value: number): Promise<void>;
  /** Records one duration of an operation. */
  recordTiming(operation: string, durationMs: number): Promise<void>;
  /** Records an error with where it happened and extra facts. */
  trackError(error: unknown, context: string, details?: Record<string, unknown>): Promise<void>;
  /** A snapshot of the component. */
  getStats(): Promise<ComponentStats>;
  /** The health score, 0..100. */
  getHealthScore(): Promise<number>;
}

const PROVIDER_METHODS = [
  "increment",
  "setGauge",
  "recordTiming",
  "trackError",
  "getStats",
  "getHealthScore",
] as const;

/**
 * Whether `value` has every method of {@link StatisticsProvider}, checked at run time.
 *
 * @param value - anything.
 * @returns true when each of the six methods is a function.
 */
export function isStatisticsProvider(value: unknown): value is StatisticsProvider {
  if ((typeof value !== "object" && typeof value !== "function") || value === null) return false;
  const candidate = value as Record<string, unknown>;
  try {
    return PROVIDER_METHODS.every((method) => typeof candidate[method] === "function");
  } catch {
    return false; // a throwing getter or a revoked Proxy is not a provider
  }
}

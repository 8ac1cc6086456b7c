import type { Clock } from "../shared/clock.js";
import type { ComponentStats, ErrorRecord } from "../types.js";

/** Options of a {@link StatisticsRegistry}. */
export interface RegistryOptions {
  /**
   * How long `collect()` waits for one component, in milliseconds.
   * @defaultValue 1000
   */
  componentTimeoutMs?: number;
  /**
   * Overall health at or above which the registry counts as healthy.
   * @defaultValue 70
   */
  healthyThreshold?: number;
  /**
   * Has no effect: collections are not cached, each component caches its own snapshot.
   * Still checked (whole milliseconds >= 0), so code written for 0.1 runs unchanged.
   * @deprecated Remove it; a registry asks its components on every collection.
   */
  cacheTtlMs?: number;
  /** The clock collections are timed on. */
  clock?: Clock;
}

/** Options of one registration. */
export interface RegisterOptions {
  /** The name to list the component under; defaults to the source's `componentName`. */
  name?: string;
  /**
   * Weight of the component in the weighted mean health.
   * @defaultValue 1
   */
  weight?: number;
}

/** How collecting one component went. */
export type CollectionOutcome = "ok" | "error" | "timeout";

/** One component in a registry snapshot. */
export interface ComponentReport {
  /** The name the component is registered under. */
  name: string;
  /** Whether its snapshot was collected. */
  outcome: CollectionOutcome;
  /** The component's status when collected; `"error"` or `"timeout"` when not. */
  status: string;
  /** Health 0..100; 0 when the component could not be collected. */
  healthScore: number;
  /** The weight it carries in the weighted mean. */
  weight: number;
  /** Its snapshot, when collected. */
  stats?: ComponentStats;
  /** Its latest errors, when the source offers `getRecentErrors()`. */
  recentErrors?: ErrorRecord[];
  /** Why it could not be collected. */
  reason?: string;
  /**
   * With outcome `"timeout"`: when the call that has not answered was made, in epoch
   * milliseconds on the registry's clock. Until that call settles the component is
   * not asked again, and each collection reports it as timed out since then.
   */
  pendingSinceMs?: number;
}

/** Sums over every collected component. */
export interface RegistryTotals {
  /** Components registered. */
  components: number;
  /** Components that failed or timed out. */
  failed: number;
  /** Sum of `errorCount`. */
  errors: number;
  /** Sum of every counter. */
  operations: number;
  /** Sum of `memoryUsageMb`. */
  memoryUsageMb: number;
}

/** The registry's verdict. */
export interface RegistryHealth {
  /** The overall score: the lowest component score (100 with no components). */
  score: number;
  /** The lowest component score. */
  lowest: number;
  /** The weighted mean of component scores, one decimal. */
  weightedMean: number;
  /** The threshold `score` is compared with. */
  threshold: number;
  /** Whether `score >= threshold` and no component failed. */
  healthy: boolean;
}

/** One collection over every registered component. Plain data. */
export interface RegistrySnapshot {
  /** When it was collected, in epoch milliseconds. */
  timestamp: number;
  /** Components in registration order. */
  components: ComponentReport[];
  /** Sums. */
  totals: RegistryTotals;
  /** The verdict. */
  health: RegistryHealth;
}

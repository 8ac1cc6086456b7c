/**
 * What the dashboard page reads: the `/stats` JSON, typed from the data contract.
 * The fields the health verdict adds (`verdict`, `reasons`, `stats.recent`) are
 * optional here because the page also renders a snapshot that lacks them.
 */
import type { ComponentReport, RegistryHealth, RegistrySnapshot } from "../../registry/types.js";
import type { ComponentStats, RecentActivity, Verdict } from "../../types.js";

/** A component's stats as served, with its recent activity when the tracker reports it. */
export type ShownStats = ComponentStats & { recent?: RecentActivity };

/** One component as served: its report, verdict and reasons. */
export type ShownReport = Omit<ComponentReport, "stats" | "verdict" | "reasons"> & {
  stats?: ShownStats;
  verdict?: Verdict;
  reasons?: readonly string[];
};

/** The registry's health as served, with its verdict and reasons when present. */
export type ShownHealth = Omit<RegistryHealth, "verdict" | "reasons"> & {
  verdict?: Verdict;
  reasons?: readonly string[];
};

/** The `/stats` body: `exportJson` writes the timestamp as an ISO 8601 string. */
export interface ShownSnapshot
  extends Omit<RegistrySnapshot, "timestamp" | "components" | "health"> {
  /** When the registry was collected: ISO 8601 (as served) or epoch milliseconds. */
  timestamp: string | number;
  /** Components in registration order. */
  components: ShownReport[];
  /** The registry's score and verdict. */
  health: ShownHealth;
}

/**
 * `component-stats/cluster`: one view of many processes. {@link shareStats} in each
 * `node:cluster` worker or worker thread, {@link ClusterRegistry} in the primary.
 *
 * @packageDocumentation
 */
export { ClusterRegistry } from "./cluster-registry.js";
export type { GaugeRule } from "./merge.js";
export { STATUS_ORDER } from "./severity.js";
export { shareStats } from "./share.js";
export type {
  ClusterRegistryOptions,
  ClusterSnapshot,
  SharedRegistry,
  ShareStatsOptions,
  StatsSharing,
  WorkerInfo,
  WorkerKind,
  WorkerOutcome,
  WorkerReport,
  WorkerSnapshot,
} from "./types.js";

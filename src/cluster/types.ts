import type { RegistrySnapshot } from "../registry/types.js";
import type { Clock } from "../shared/clock.js";
import type { GaugeRule } from "./merge.js";

/** Where a worker runs. */
export type WorkerKind = "cluster" | "thread" | "port" | "primary";

/** Which worker a figure came from. */
export interface WorkerInfo {
  /**
   * The worker's key, unique in one cluster registry: `"cluster-<id>"` for a
   * `node:cluster` worker (its `worker.id`), `"thread-<threadId>"` for a worker
   * thread, `"port-<n>"` for a `MessagePort`, `"primary"` for the registry of the
   * process that merges, or the name given to `addWorker`. It is the `worker` label
   * of per-worker gauges.
   */
  worker: string;
  /** Where it runs. */
  kind: WorkerKind;
  /** Its process id (cluster workers and the primary). */
  pid?: number;
  /** Its thread id (worker threads). */
  threadId?: number;
}

/**
 * How asking one worker went: `"ok"`; `"timeout"` (no answer within `timeoutMs`:
 * busy, hung, or it never called `shareStats()`); `"error"` (it answered with a
 * failure, or with something that is not a snapshot); `"exited"` (it exited or was
 * disconnected before answering, or since the last collection).
 */
export type WorkerOutcome = "ok" | "timeout" | "error" | "exited";

/** One worker in a merged snapshot. */
export interface WorkerReport extends WorkerInfo {
  /** How asking it went. */
  outcome: WorkerOutcome;
  /** Why it did not answer, when it did not. */
  reason?: string;
  /** Milliseconds from the request to its answer, on the cluster registry's clock. */
  durationMs?: number;
  /** Components in its answer. */
  components?: number;
}

/** One worker's own snapshot, for debugging: {@link ClusterRegistry.collectWorkers}. */
export interface WorkerSnapshot extends WorkerReport {
  /** Its registry's snapshot, when it answered. */
  snapshot?: RegistrySnapshot;
}

/**
 * A merged snapshot of many workers: a {@link RegistrySnapshot} (so every exporter
 * takes it) with a `workers` section.
 */
export interface ClusterSnapshot extends RegistrySnapshot {
  /**
   * Every worker asked, in order (the primary, cluster workers by id, then added
   * threads and ports), and each worker that left since the last collection, once,
   * as `"exited"`.
   */
  workers: WorkerReport[];
}

/** Options of a {@link ClusterRegistry}. */
export interface ClusterRegistryOptions {
  /**
   * How long a collection waits for the workers, in milliseconds. Keep it above the
   * workers' own `componentTimeoutMs`, so that a slow component is reported by its
   * worker instead of the whole worker timing out.
   * @defaultValue 2000
   */
  timeoutMs?: number | undefined;
  /** Gauge rules by gauge name; a name not listed takes `defaultGaugeRule`. */
  gauges?: Readonly<Record<string, GaugeRule>> | undefined;
  /**
   * The rule of gauges not listed in `gauges`.
   * @defaultValue `"sum"`
   */
  defaultGaugeRule?: GaugeRule | undefined;
  /**
   * The score threshold reported beside the merged score (`health.threshold`). It
   * decides nothing here: each worker's registry judges its own components by its
   * rules (its `healthyThreshold` and `verdict` options), and the merged verdict of a
   * component is the worst of its workers'.
   * @defaultValue 70
   */
  healthyThreshold?: number | undefined;
  /**
   * Component names whose unhealthy verdict makes the merged view only degraded, as
   * `verdict.nonCritical` does for a `StatisticsRegistry`: give it the names your
   * workers' registries list there, so that the primary's `/health` answers as theirs
   * do. A failed worker is the component `worker:<key>` and may be listed too.
   * @defaultValue []
   */
  nonCritical?: readonly string[] | undefined;
  /**
   * A registry of this process to merge with the workers', as worker `"primary"`
   * (worker threads usually leave work on the main thread too).
   */
  local?: SharedRegistry | undefined;
  /**
   * Whether to ask every `node:cluster` worker (when this process is the primary).
   * False limits the view to the worker threads and ports given to `addWorker`.
   * @defaultValue true
   */
  clusterWorkers?: boolean | undefined;
  /** The clock timestamps and answer times are read from. */
  clock?: Clock | undefined;
}

/** What {@link shareStats} shares: a `StatisticsRegistry`, or anything that collects like one. */
export interface SharedRegistry {
  /** Collects the snapshot. */
  collect(): Promise<RegistrySnapshot>;
}

/** Options of {@link shareStats}. */
export interface ShareStatsOptions {
  /**
   * The port to answer on; by default the worker thread's `parentPort`, else the
   * process's IPC channel (a `node:cluster` worker, or a child forked with IPC).
   */
  port?: import("node:worker_threads").MessagePort | undefined;
}

/** What {@link shareStats} returns. */
export interface StatsSharing {
  /** How requests arrive: the process's IPC channel or a message port. */
  readonly channel: "process" | "port";
  /**
   * Stops answering: the listener is removed (so an otherwise idle worker can exit)
   * and a collection in progress is not answered. Calling it again does nothing.
   */
  stop(): void;
}

/**
 * The merged scrape: a primary merging 8 workers × 10 components × 50 operations,
 * each operation's window full, into one exact view and rendering it, against
 * prom-client's AggregatorRegistry doing the same with the same operations as
 * 16-bucket histograms.
 *
 * The workers are real worker threads, or real `node:cluster` processes, running
 * this same file (the branch at the bottom). They fill their windows once; every
 * scrape then asks all 8, transfers their snapshots and windows (structured clone
 * between threads, base64 in JSON over a process's IPC channel), merges them and
 * renders /metrics.
 */
import cluster from "node:cluster";
import { fileURLToPath } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { AggregatorRegistry, Histogram, Registry } from "prom-client";
import { ClusterRegistry, shareStats } from "../src/cluster/index.js";
import { percentileSorted } from "../src/compute/percentile.js";
import { formatPrometheus } from "../src/export/prometheus.js";
import { StatisticsRegistry } from "../src/registry/registry.js";
import { BaseStatisticsTracker } from "../src/tracker/tracker.js";
import { DEFAULT_TIMING_BUCKETS_MS } from "../src/types.js";
import { durations, names } from "./data.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";

export const WORKERS = 8;
export const COMPONENTS = 10;
export const OPERATIONS = 50;
const COMPONENT_NAMES = names("component_", COMPONENTS);
const OPERATION_NAMES = names("op_", OPERATIONS);

interface BenchWorkerData {
  readonly benchCluster: true;
  readonly index: number;
  readonly window: number;
}

/** The samples worker `index` records for one operation: a seed per (worker, component, operation). */
function samplesOf(index: number, c: number, o: number, window: number): Float64Array {
  return durations(window, 1 + index * COMPONENTS * OPERATIONS + c * OPERATIONS + o);
}

/** Starts one bench worker thread (through tsx's register, as `npm run bench` runs TypeScript). */
function startWorker(data: BenchWorkerData): Worker {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new Worker(new URL(self), { workerData: data });
  return new Worker(
    `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(self)}); });`,
    { eval: true, workerData: data },
  );
}

/** 8 threads with full windows of `window` samples, and a cluster registry asking them. */
async function startThreads(window: number) {
  const workers = Array.from({ length: WORKERS }, (_, index) =>
    startWorker({ benchCluster: true, index, window }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  // Only these threads: the processes started beside them have a view of their own.
  const registry = new ClusterRegistry({ timeoutMs: 60_000, clusterWorkers: false });
  for (const worker of workers) registry.addWorker(worker);
  return {
    registry,
    stop: () => Promise.all(workers.map((worker) => worker.terminate())).then(() => undefined),
  };
}

/** 8 `node:cluster` worker processes with full windows, and a cluster registry asking them. */
async function startProcesses(window: number) {
  cluster.setupPrimary({
    exec: fileURLToPath(import.meta.url),
    execArgv: ["--import", "tsx"],
  });
  const workers = Array.from({ length: WORKERS }, (_, index) =>
    cluster.fork({ BENCH_CLUSTER_INDEX: String(index), BENCH_CLUSTER_WINDOW: String(window) }),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once("message", resolve))));
  const registry = new ClusterRegistry({ timeoutMs: 60_000 });
  return {
    registry,
    stop: () =>
      Promise.all(
        workers.map((worker) => {
          const exit = new Promise((resolve) => worker.once("exit", resolve));
          worker.kill();
          return exit;
        }),
      ).then(() => undefined),
  };
}

/** One scrape: collect every worker, merge, render. Returns the exposition text. */
async function scrape(registry: ClusterRegistry): Promise<string> {
  return formatPrometheus(await registry.collect());
}

/**
 * The merged view must be exact before it is timed: the first and last operation of
 * each component checked against a sort of all 8 workers' samples (percentiles, max,
 * histogram buckets, lifetime sum), and the counters summed.
 */
async function checkExact(registry: ClusterRegistry, window: number): Promise<void> {
  const snapshot = await registry.collect();
  check(
    snapshot.workers.length === WORKERS && snapshot.workers.every((w) => w.outcome === "ok"),
    "not every worker answered",
  );
  check(snapshot.components.length === COMPONENTS, "components were not merged by name");
  for (const [c, report] of snapshot.components.entries()) {
    check(report.stats?.counters.calls === WORKERS * OPERATIONS * window, "counters not summed");
    for (const o of [0, OPERATIONS - 1]) {
      const all = Array.from({ length: WORKERS }, (_, index) => [...samplesOf(index, c, o, window)])
        .flat()
        .sort((a, b) => a - b);
      const merged = report.stats?.performanceMetrics[OPERATION_NAMES[o] as string];
      check(merged?.count === WORKERS * window, "timing counts not summed");
      for (const [field, percent] of [
        ["p50Ms", 50],
        ["p99Ms", 99],
      ] as const) {
        check(merged?.[field] === percentileSorted(all, percent), `${field} is not exact`);
      }
      check(merged?.maxMs === all.at(-1), "maxMs is not exact");
      // Every window is every sample here: the lifetime figures are the same samples'.
      const buckets = [...DEFAULT_TIMING_BUCKETS_MS, Number.POSITIVE_INFINITY].map(
        (bound, b) =>
          all.filter(
            (v) => v <= bound && (b === 0 || v > (DEFAULT_TIMING_BUCKETS_MS[b - 1] as number)),
          ).length,
      );
      check(
        merged?.bucketCounts?.every((count, b) => count === buckets[b]) === true,
        "bucketCounts are not summed exactly",
      );
      const sumMs = all.reduce((total, v) => total + v, 0);
      check(Math.abs((merged?.sumMs ?? 0) - sumMs) <= 1e-9 * sumMs, "sumMs is not summed");
    }
  }
}

/** prom-client's cluster path, in one thread: each worker's JSON, sent as IPC would, aggregated and rendered. */
function promCluster(window: number) {
  const registries = Array.from({ length: WORKERS }, (_, index) => {
    const registry = new Registry();
    for (const [o, operation] of OPERATION_NAMES.entries()) {
      const histogram = new Histogram({
        name: `${operation}_duration_seconds`,
        help: operation,
        labelNames: ["component"],
        buckets: DEFAULT_TIMING_BUCKETS_MS.map((ms) => ms / 1000),
        registers: [registry],
      });
      for (const [c, component] of COMPONENT_NAMES.entries()) {
        for (const ms of samplesOf(index, c, o, window))
          histogram.observe({ component }, ms / 1000);
      }
    }
    return registry;
  });
  return async (): Promise<string> => {
    const sent = await Promise.all(
      registries.map(async (registry) =>
        JSON.parse(JSON.stringify(await registry.getMetricsAsJSON())),
      ),
    );
    return AggregatorRegistry.aggregate(sent).metrics();
  };
}

/**
 * The merged-scrape workload: time and bytes per merged scrape of 8 workers × 10
 * components × 50 operations, with full windows of 1000 samples (the default) and of 100.
 */
export async function clusterWorkload(options: RunOptions): Promise<Table> {
  const full = await startThreads(1000);
  const small = await startThreads(100);
  const processes = await startProcesses(1000);
  try {
    await checkExact(full.registry, 1000);
    await checkExact(small.registry, 100);
    await checkExact(processes.registry, 1000);
    const prom = promCluster(1000);

    const fullText = await scrape(full.registry);
    const smallText = await scrape(small.registry);
    const promText = await prom();
    check(promText.includes("op_0_duration_seconds_bucket"), "prom-client aggregated nothing");
    const perWorker = await full.registry.collectWorkers();
    const snapshotBytes = perWorker.reduce(
      (total, worker) => total + Buffer.byteLength(JSON.stringify(worker.snapshot)),
      0,
    );
    const windowBytes = (window: number) => WORKERS * COMPONENTS * OPERATIONS * window * 8;

    const rows = await compare(
      [
        {
          key: "subject",
          label: "component-stats  collect() + formatPrometheus, 8 threads, windows of 1000",
          kind: "subject",
          fn: () => scrape(full.registry),
        },
        {
          key: "small",
          label: "component-stats  the same, windows of 100",
          kind: "info",
          fn: () => scrape(small.registry),
        },
        {
          key: "processes",
          label: "component-stats  the same, 8 cluster.fork() processes, windows of 1000",
          kind: "info",
          fn: () => scrape(processes.registry),
        },
        {
          key: "prom",
          label: "prom-client      8 × getMetricsAsJSON + JSON round trip, aggregate(), metrics()",
          kind: "baseline",
          fn: prom,
        },
      ],
      options,
    );
    const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
    return {
      id: "cluster",
      title: `Merged scrape: ${WORKERS} workers × ${COMPONENTS} components × ${OPERATIONS} operations (median per scrape)`,
      unit: "ns",
      rows,
      notes: [
        "Checked before measuring: every worker answered, counters are summed, and p50, p99, max, the histogram buckets and the lifetime sum of the first and last operation of each component equal those of all 8 workers' samples.",
        `Bytes per scrape: merged /metrics ${kb(Buffer.byteLength(fullText))} (windows of 100: ${kb(Buffer.byteLength(smallText))}); from the workers, snapshots ${kb(snapshotBytes)} plus windows ${kb(windowBytes(1000))} (windows of 100: ${kb(windowBytes(100))}); prom-client's aggregated text ${kb(Buffer.byteLength(promText))}.`,
        "component-stats runs its workers as real threads or processes (their collect and serialisation run beside the primary on 2 cores); prom-client's 8 registries live in the primary's thread, which does all their work, so its row is the CPU of the whole cluster path.",
        `Over process IPC the windows travel as base64 in JSON: ${kb((windowBytes(1000) * 4) / 3)} per scrape with windows of 1000.`,
        "prom-client sums the workers' histogram buckets (16 buckets, the same bounds); its quantiles would come from buckets, these are exact over every window.",
      ],
    };
  } finally {
    await Promise.all([full.stop(), small.stop(), processes.stop()]);
  }
}

/** The worker side: fill every window, share, say ready. */
async function runWorker(index: number, window: number, ready: () => void): Promise<void> {
  const registry = new StatisticsRegistry();
  for (const [c, component] of COMPONENT_NAMES.entries()) {
    const tracker = new BaseStatisticsTracker(component, { timingWindow: window });
    registry.register(tracker);
    for (const [o, operation] of OPERATION_NAMES.entries()) {
      for (const ms of samplesOf(index, c, o, window)) await tracker.recordTiming(operation, ms);
    }
    await tracker.increment("calls", OPERATIONS * window);
  }
  shareStats(registry);
  ready();
}

if (!isMainThread && (workerData as BenchWorkerData | undefined)?.benchCluster === true) {
  const { index, window } = workerData as BenchWorkerData;
  await runWorker(index, window, () => parentPort?.postMessage({ ready: true }));
} else if (cluster.isWorker && process.env.BENCH_CLUSTER_WINDOW !== undefined) {
  const index = Number(process.env.BENCH_CLUSTER_INDEX);
  await runWorker(index, Number(process.env.BENCH_CLUSTER_WINDOW), () =>
    process.send?.({ ready: true }),
  );
}

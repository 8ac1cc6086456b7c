import { BaseStatisticsTracker, DEFAULT_HEALTH_CONFIG, scoreHealth } from "../src/index.js";
import { compare, type RunOptions, type Table } from "./harness.js";

/** A tracker with some of everything the health score reads. */
async function busyTracker(cacheTtlMs: number): Promise<BaseStatisticsTracker> {
  const tracker = new BaseStatisticsTracker("bench_health", { cacheTtlMs });
  for (let i = 0; i < 10; i++) await tracker.increment(`requests_${i}`, 100);
  for (let i = 0; i < 10; i++) await tracker.trackError(new Error("timeout"), "fetch");
  await tracker.setStatus("connected");
  return tracker;
}

/** Workload 6: `getHealthScore()` uncached; the pure scorer and the cached read for context. */
export async function healthWorkload(options: RunOptions): Promise<Table> {
  const uncached = await busyTracker(0);
  const cached = await busyTracker(5000);
  const input = {
    errorCount: 10,
    operationCount: 1000,
    uptimeMs: 60_000,
    msSinceLastActivity: 10,
    status: "connected",
  };

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  await getHealthScore() (cacheTtlMs 0)",
        kind: "subject",
        fn: () => uncached.getHealthScore(),
      },
      {
        key: "cached",
        label: "cached           await getHealthScore() (TTL 5 s)",
        kind: "info",
        fn: () => cached.getHealthScore(),
      },
      {
        key: "pure",
        label: "pure             scoreHealth(input, config) (sync)",
        kind: "info",
        fn: () => scoreHealth(input, DEFAULT_HEALTH_CONFIG),
      },
    ],
    options,
  );

  return {
    id: "health",
    title: "6. getHealthScore() uncached (median ns/op)",
    unit: "ns",
    rows,
    notes: ["No baseline or target: the pure scorer shows the tracker's own overhead."],
  };
}

import { Registry, Summary } from "prom-client";
import { BaseStatisticsTracker, type TimingSummary } from "../src/index.js";
import { names, SampleStream } from "./data.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";
import { SortedSnapshotRings } from "./sort-baseline.js";

export const OPERATIONS = 100;
export const WINDOW = 1000;
const PERCENTILES = [0.5, 0.9, 0.95, 0.99];
const OPERATION_NAMES = names("op_", OPERATIONS);

/** Something that takes one sample per operation and then produces a snapshot. */
interface Store {
  record(operation: number, durationMs: number): void | Promise<void>;
  snapshot(): unknown;
}

/** Fills every operation's window with the same stream of samples. */
async function filled<S extends Store>(store: S): Promise<{ store: S; stream: SampleStream }> {
  const stream = new SampleStream();
  for (let i = 0; i < WINDOW; i++) {
    for (let op = 0; op < OPERATIONS; op++) await store.record(op, stream.next());
  }
  return { store, stream };
}

/** A tracker holding 100 operations; `cacheTtlMs` 0 makes every `getStats()` compute. */
export async function trackerStore(cacheTtlMs: number) {
  const tracker = new BaseStatisticsTracker("bench_get_stats", { cacheTtlMs });
  return filled({
    tracker,
    record: (op: number, durationMs: number) =>
      tracker.recordTiming(OPERATION_NAMES[op] as string, durationMs),
    snapshot: () => tracker.getStats(),
  });
}

function sortStore() {
  const rings = new SortedSnapshotRings(WINDOW);
  return filled({
    record: (op: number, durationMs: number) =>
      rings.record(OPERATION_NAMES[op] as string, durationMs),
    snapshot: () => rings.snapshot(),
  });
}

function promStore() {
  const registry = new Registry();
  const summaries = OPERATION_NAMES.map(
    (name) => new Summary({ name, help: name, percentiles: PERCENTILES, registers: [registry] }),
  );
  return filled({
    registry,
    record: (op: number, durationMs: number) => (summaries[op] as Summary).observe(durationMs),
    snapshot: () => registry.getMetricsAsJSON(),
  });
}

/** One iteration of workload 4: a new sample in every operation, then a snapshot. */
function recordThenSnapshot({ store, stream }: { store: Store; stream: SampleStream }) {
  return async () => {
    for (let op = 0; op < OPERATIONS; op++) await store.record(op, stream.next());
    return store.snapshot();
  };
}

/**
 * The tracker's summaries and the sort baseline's, after the same samples, must
 * agree: otherwise the baseline is not doing the same work. Min, max, percentiles
 * and count exactly; the mean within rounding (the tracker sums with compensation).
 */
async function checkSameStatistics(): Promise<void> {
  const tracker = await trackerStore(0);
  const rings = await sortStore();
  for (let i = 0; i < 3; i++) {
    const fromTracker = (await recordThenSnapshot(tracker)()) as {
      performanceMetrics: Record<string, TimingSummary>;
    };
    const fromSort = (await recordThenSnapshot(rings)()) as Record<string, TimingSummary>;
    for (const name of OPERATION_NAMES) {
      const a = fromTracker.performanceMetrics[name] as TimingSummary;
      const b = fromSort[name] as TimingSummary;
      for (const field of [
        "count",
        "minMs",
        "maxMs",
        "p50Ms",
        "p90Ms",
        "p95Ms",
        "p99Ms",
      ] as const) {
        check(a[field] === b[field], `${name}.${field}: tracker ${a[field]}, sort ${b[field]}`);
      }
      check(Math.abs(a.avgMs - b.avgMs) <= 1e-9 * b.avgMs, `${name}.avgMs differs`);
    }
  }
}

/**
 * Workload 4: `getStats()` uncached on 100 full windows, each changed by one sample
 * since the last snapshot, against sorting every window and prom-client's JSON.
 */
export async function getStatsUncachedWorkload(options: RunOptions): Promise<Table> {
  await checkSameStatistics();
  const tracker = await trackerStore(0);
  const rings = await sortStore();
  const prom = await promStore();

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  100 × recordTiming, then getStats() (cacheTtlMs 0)",
        kind: "subject",
        fn: recordThenSnapshot(tracker),
      },
      {
        key: "sort",
        label: "sort             100 ring writes, then copy + sort each window",
        kind: "baseline",
        fn: recordThenSnapshot(rings),
      },
      {
        key: "prom",
        label: "prom-client      100 × Summary.observe, then registry.getMetricsAsJSON()",
        kind: "baseline",
        fn: recordThenSnapshot(prom),
      },
    ],
    options,
  );

  const json = await prom.store.registry.getMetricsAsJSON();
  check(json.length === OPERATIONS, "prom-client lost summaries");

  return {
    id: "getStatsUncached",
    title:
      "4. getStats() uncached, 100 operations × 1000-sample windows, 1 new sample each (median µs/op)",
    unit: "ns",
    rows,
    notes: [
      "Checked before measuring: after the same samples the sort baseline's count, min, max and p50/p90/p95/p99 equal the tracker's exactly.",
      "component-stats awaits each of its 100 recordTiming calls, as its users do; the baselines' writes are synchronous.",
      "prom-client Summaries are t-digests over all samples ever observed (no 1000-sample window): approximate percentiles.",
    ],
  };
}

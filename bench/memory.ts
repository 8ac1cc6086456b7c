import { BaseStatisticsTracker } from "../src/index.js";
import { names, SampleStream } from "./data.js";
import { check, median, type Row, type RunOptions, type Table } from "./harness.js";

const OPERATIONS = 100;
const TIMINGS = 1_000_000;
const WINDOW = 1000;
const COUNTER_NAMES = 100_000;
const REPETITIONS = 3;

declare const gc: (() => void) | undefined;

/**
 * Memory the process holds: the JS heap plus `external`, which covers the backing
 * stores of typed arrays (`arrayBuffers` is a part of `external`, so it is not
 * added again). A `Float64Array`'s samples live there, not in `heapUsed`.
 */
function heldBytes(): number {
  if (typeof gc !== "function") throw new Error("Run with node --expose-gc (npm run bench does)");
  for (let i = 0; i < 3; i++) gc();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

/** Bytes still held, after a full GC, by what `build` returns. */
async function retained(build: () => Promise<unknown> | unknown): Promise<number> {
  const before = heldBytes();
  let kept: unknown = await build();
  const after = heldBytes();
  check(kept !== undefined, "nothing was built");
  kept = undefined;
  return after - before;
}

async function measureRetained(
  key: string,
  label: string,
  kind: Row["kind"],
  build: () => Promise<unknown> | unknown,
): Promise<Row> {
  await retained(build); // first run compiles the code it runs; not counted
  const samples: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) samples.push(await retained(build));
  return { key, label, kind, value: median(samples), samples };
}

const OPERATION_NAMES = names("op_", OPERATIONS);

async function timingTracker(): Promise<BaseStatisticsTracker> {
  const tracker = new BaseStatisticsTracker("bench_memory");
  const stream = new SampleStream();
  for (let i = 0; i < TIMINGS; i++) {
    await tracker.recordTiming(OPERATION_NAMES[i % OPERATIONS] as string, stream.next());
  }
  const stats = await tracker.getStats(); // percentiles computed: the index is built too
  check(Object.keys(stats.performanceMetrics).length === OPERATIONS, "operations lost");
  return tracker;
}

function plainRings(): Map<string, Float64Array> {
  const rings = new Map<string, Float64Array>();
  const stream = new SampleStream();
  for (const name of OPERATION_NAMES) rings.set(name, new Float64Array(WINDOW));
  for (let i = 0; i < TIMINGS; i++) {
    const ring = rings.get(OPERATION_NAMES[i % OPERATIONS] as string) as Float64Array;
    ring[Math.floor(i / OPERATIONS) % WINDOW] = stream.next();
  }
  return rings;
}

async function counterTracker(maxMetricNames?: number): Promise<BaseStatisticsTracker> {
  const tracker = new BaseStatisticsTracker(
    "bench_memory",
    maxMetricNames === undefined ? {} : { maxMetricNames },
  );
  for (let i = 0; i < COUNTER_NAMES; i++) await tracker.increment(`counter_${i}`);
  return tracker;
}

function counterMap(): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < COUNTER_NAMES; i++) counts.set(`counter_${i}`, 1);
  return counts;
}

/** Workload 7a: retained bytes after 1M `recordTiming` over 100 operations, default window. */
export async function timingMemoryWorkload(_options: RunOptions): Promise<Table> {
  const rows = [
    await measureRetained(
      "subject",
      "component-stats  1M recordTiming over 100 operations (window 1000)",
      "subject",
      timingTracker,
    ),
    await measureRetained(
      "rings",
      "plain rings      100 × Float64Array(1000) in a Map, same writes",
      "baseline",
      plainRings,
    ),
  ];
  return {
    id: "memoryTimings",
    title: "7a. Retained memory after 1,000,000 recordTiming (heapUsed + external, bytes)",
    unit: "bytes",
    rows,
    notes: [
      `Median of ${REPETITIONS} builds, each measured after global.gc(); the samples alone are ${OPERATIONS} × ${WINDOW} × 8 = ${(OPERATIONS * WINDOW * 8).toLocaleString("en-US")} B.`,
    ],
  };
}

/** Workload 7b: retained bytes after 100,000 distinct counter names. */
export async function counterMemoryWorkload(_options: RunOptions): Promise<Table> {
  const rows = [
    await measureRetained(
      "subject",
      "component-stats  100k counter names, default maxMetricNames (10k kept)",
      "subject",
      () => counterTracker(),
    ),
    await measureRetained(
      "uncapped",
      "component-stats  100k counter names, maxMetricNames 100k",
      "info",
      () => counterTracker(COUNTER_NAMES),
    ),
    await measureRetained("map", "plain Map        100k names → number", "baseline", counterMap),
  ];
  return {
    id: "memoryCounters",
    title: "7b. Retained memory after 100,000 distinct counter names (heapUsed + external, bytes)",
    unit: "bytes",
    rows,
    notes: [
      "With the default cap, names past 10,000 fold into __overflow__ and are counted by a 4 KiB sketch, not kept.",
    ],
  };
}

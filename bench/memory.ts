import { BaseStatisticsTracker } from "../src/index.js";
import { names, SampleStream } from "./data.js";
import { check, median, type Row, type RunOptions, type Table } from "./harness.js";

const OPERATIONS = 100;
const TIMINGS = 1_000_000;
const WINDOW = 1000;
const COUNTER_NAMES = 100_000;
const REPETITIONS = 3;
const WARMUP_BUILDS = 2;

declare const gc: (() => void) | undefined;

/**
 * Memory the process holds: the JS heap plus `external`, which covers the backing
 * stores of typed arrays (`arrayBuffers` is a part of `external`, so it is not
 * added again). A `Float64Array`'s samples live there, not in `heapUsed`.
 */
async function heldBytes(): Promise<number> {
  const collect = gc;
  if (typeof collect !== "function") {
    throw new Error("Run with node --expose-gc (npm run bench does)");
  }
  // V8 frees dead ArrayBuffer backing stores on a sweeper task after the GC, so
  // `external` can still count them right after gc(): collect and yield to the
  // event loop until two readings agree.
  let last = Number.NaN;
  for (let attempt = 0; attempt < 20; attempt++) {
    collect();
    await new Promise((resolve) => setImmediate(resolve));
    const usage = process.memoryUsage();
    const bytes = usage.heapUsed + usage.external;
    if (Math.abs(bytes - last) <= 1024) return bytes;
    last = bytes;
  }
  return last;
}

/** Where a build is kept while it is measured, so that dropping it is explicit. */
const holder: { kept: unknown } = { kept: undefined };

/** Awaits the build in a frame of its own: a finished frame keeps no stale reference to it. */
async function keep(build: () => Promise<unknown> | unknown): Promise<void> {
  holder.kept = await build();
}

/** What one build was measured to hold: memory grown while building it, and freed when dropped. */
interface Retained {
  readonly grownBytes: number;
  readonly freedBytes: number;
}

/**
 * Bytes held, after a full GC, by what `build` returns, measured two ways. Freed
 * on drop (`after - released`) is the figure reported: nothing but dropping the
 * build happens between those readings. Grown while building (`after - before`)
 * also moves with whatever else the runtime freed or finished meanwhile (optimised
 * code installed, buffers swept late), so it only serves as a cross-check.
 */
async function retained(build: () => Promise<unknown> | unknown): Promise<Retained> {
  const before = await heldBytes();
  await keep(build);
  const after = await heldBytes();
  check(holder.kept !== undefined, "nothing was built");
  holder.kept = undefined;
  const released = await heldBytes();
  return { grownBytes: after - before, freedBytes: after - released };
}

/** Builds tried again, per repetition, while its two readings disagree. */
const MAX_RETRIES = 3;

/** Whether the heap's growth and what dropping the build freed tell the same size. */
function agree(grownBytes: number, freedBytes: number): boolean {
  return Math.abs(grownBytes - freedBytes) <= 0.05 * freedBytes + 32 * 1024;
}

async function measureRetained(
  key: string,
  label: string,
  kind: Row["kind"],
  build: () => Promise<unknown> | unknown,
  disagreements: string[],
): Promise<Row> {
  // The first builds also leave the code they compiled behind: run, not counted.
  for (let i = 0; i < WARMUP_BUILDS; i++) await retained(build);
  const runs: Retained[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    // A build whose two readings disagree caught the runtime freeing something else
    // (compiled code, a previous build's leftovers) while it was dropped: build again.
    let run = await retained(build);
    for (let retry = 0; retry < MAX_RETRIES && !agree(run.grownBytes, run.freedBytes); retry++) {
      run = await retained(build);
    }
    runs.push(run);
  }
  const samples = runs.map((run) => run.freedBytes);
  const value = median(samples);
  const grown = median(runs.map((run) => run.grownBytes));
  if (!agree(grown, value)) {
    disagreements.push(
      `${key}: ${value} B freed on drop, but the heap grew ${grown} B while building (runtime noise)`,
    );
  }
  return { key, label, kind, value, samples };
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
  const disagreements: string[] = [];
  const rows = [
    await measureRetained(
      "subject",
      "component-stats  1M recordTiming over 100 operations (window 1000)",
      "subject",
      timingTracker,
      disagreements,
    ),
    await measureRetained(
      "rings",
      "plain rings      100 × Float64Array(1000) in a Map, same writes",
      "baseline",
      plainRings,
      disagreements,
    ),
  ];
  return {
    id: "memoryTimings",
    title: "7a. Retained memory after 1,000,000 recordTiming (heapUsed + external, bytes)",
    unit: "bytes",
    rows,
    notes: [
      `Median of ${REPETITIONS} builds: bytes freed, after global.gc(), when the build is dropped; a build whose heap growth disagrees with that is built again (up to ${MAX_RETRIES} times). The samples alone are ${OPERATIONS} × ${WINDOW} × 8 = ${(OPERATIONS * WINDOW * 8).toLocaleString("en-US")} B.`,
      ...disagreements,
    ],
  };
}

/** Workload 7b: retained bytes after 100,000 distinct counter names. */
export async function counterMemoryWorkload(_options: RunOptions): Promise<Table> {
  const disagreements: string[] = [];
  const rows = [
    await measureRetained(
      "subject",
      "component-stats  100k counter names, default maxMetricNames (10k kept)",
      "subject",
      () => counterTracker(),
      disagreements,
    ),
    await measureRetained(
      "uncapped",
      "component-stats  100k counter names, maxMetricNames 100k",
      "info",
      () => counterTracker(COUNTER_NAMES),
      disagreements,
    ),
    await measureRetained(
      "map",
      "plain Map        100k names → number",
      "baseline",
      counterMap,
      disagreements,
    ),
  ];
  return {
    id: "memoryCounters",
    title: "7b. Retained memory after 100,000 distinct counter names (heapUsed + external, bytes)",
    unit: "bytes",
    rows,
    notes: [
      "With the default cap, names past 10,000 fold into __overflow__ and are counted by a 4 KiB sketch, not kept.",
      ...disagreements,
    ],
  };
}

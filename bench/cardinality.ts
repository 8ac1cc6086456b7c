/**
 * Cardinality benchmark: the memory one tracker retains after a flood of
 * distinct names, against stores that keep every name.
 *
 *   node --expose-gc --import tsx bench/cardinality.ts [--names 1000000]
 *
 * Each case writes `--names` distinct names (fresh strings, built on the fly so that
 * only what the store keeps stays reachable) and reports the memory still held once
 * the store alone keeps it: the JS heap plus `external` (typed-array backing stores).
 * Cases run one at a time and are dropped before the next.
 */
import { parseArgs } from "node:util";
import { Counter, Registry } from "prom-client";
import { BaseStatisticsTracker, manualClock } from "../src/index.js";

const { values: flags } = parseArgs({
  options: { names: { type: "string", default: "1000000" } },
});
const NAMES = Number(flags.names);
if (!Number.isInteger(NAMES) || NAMES < 1) {
  throw new RangeError(`Expected --names to be a positive integer, got ${flags.names}`);
}

declare const gc: (() => void) | undefined;
const MB = 2 ** 20;

/** Heap plus external memory after collections have settled. */
async function heldBytes(): Promise<number> {
  if (typeof gc !== "function") {
    throw new Error("Run with node --expose-gc --import tsx bench/cardinality.ts");
  }
  let last = Number.NaN;
  for (let attempt = 0; attempt < 20; attempt++) {
    gc();
    // Dead ArrayBuffer backing stores are freed on a task after the GC.
    await new Promise((resolve) => setImmediate(resolve));
    const { heapUsed, external } = process.memoryUsage();
    if (Math.abs(heapUsed + external - last) <= 4096) return heapUsed + external;
    last = heapUsed + external;
  }
  return last;
}

interface Result {
  label: string;
  writes: number;
  retainedBytes: number;
  elapsedMs: number;
  note: string;
}

const holder: { kept: unknown } = { kept: undefined };

async function measure(
  label: string,
  writesPerName: number,
  build: () => Promise<{ kept: unknown; note: () => Promise<string> }>,
): Promise<Result> {
  const before = await heldBytes();
  const started = performance.now();
  const built = await build();
  const elapsedMs = performance.now() - started;
  holder.kept = built.kept;
  const retainedBytes = (await heldBytes()) - before;
  const note = await built.note();
  holder.kept = undefined;
  await heldBytes();
  return { label, writes: NAMES * writesPerName, retainedBytes, elapsedMs, note };
}

const nameOf = (i: number): string => `orders.venue_${i}.filled`;

const results: Result[] = [];

results.push(
  await measure("component-stats, maxMetricNames 10000 (default)", 3, async () => {
    const tracker = new BaseStatisticsTracker("cardinality", { clock: manualClock(0) });
    for (let i = 0; i < NAMES; i++) {
      const name = nameOf(i);
      await tracker.increment(name);
      await tracker.setGauge(name, i);
      await tracker.recordTiming(name, i % 100);
    }
    return {
      kept: tracker,
      note: async () => {
        const stats = await tracker.getStats();
        const folded = stats.overflow ?? { counters: 0, gauges: 0, operations: 0 };
        const truth = Math.max(0, NAMES - 10_000);
        const error = truth === 0 ? 0 : (folded.counters - truth) / truth;
        const total = Object.values(stats.counters).reduce((sum, v) => sum + v, 0);
        return (
          `${Object.keys(stats.counters).length} counters kept, counter total ${total}; ` +
          `folded names reported ${folded.counters}/${folded.gauges}/${folded.operations} ` +
          `(true ${truth}, error ${(error * 100).toFixed(2)}%)`
        );
      },
    };
  }),
);

results.push(
  await measure("plain Map<string, number> (every counter name kept)", 1, async () => {
    const counters = new Map<string, number>();
    for (let i = 0; i < NAMES; i++) {
      const name = nameOf(i);
      counters.set(name, (counters.get(name) ?? 0) + 1);
    }
    return { kept: counters, note: async () => `${counters.size} entries` };
  }),
);

results.push(
  await measure("prom-client Counter, one label value per name", 1, async () => {
    const registry = new Registry();
    const counter = new Counter({
      name: "orders_filled_total",
      help: "orders filled",
      labelNames: ["venue"],
      registers: [registry],
    });
    for (let i = 0; i < NAMES; i++) counter.inc({ venue: nameOf(i) });
    return { kept: registry, note: async () => "keeps every label set" };
  }),
);

const rows = results.map((r) => [
  r.label,
  r.writes.toLocaleString("en-US"),
  (r.retainedBytes / MB).toFixed(1),
  (r.retainedBytes / NAMES).toFixed(1),
  (r.elapsedMs / 1000).toFixed(2),
  ((r.elapsedMs * 1e6) / r.writes).toFixed(0),
]);
const header = ["store", "writes", "retained MB", "bytes/name written", "time s", "ns/write"];
const widths = header.map((h, c) =>
  Math.max(h.length, ...rows.map((row) => (row[c] as string).length)),
);
const line = (cells: string[]) =>
  cells
    .map((cell, c) =>
      c === 0 ? cell.padEnd(widths[c] as number) : cell.padStart(widths[c] as number),
    )
    .join("  ");
console.log(
  `Distinct names: ${NAMES.toLocaleString("en-US")} per kind (node ${process.version})\n`,
);
console.log(line(header));
for (const row of rows) console.log(line(row));
console.log("");
for (const r of results) console.log(`${r.label}: ${r.note}`);
const [tracker, map] = results;
if (tracker !== undefined && map !== undefined) {
  console.log(
    `\ncomponent-stats retains ${(tracker.retainedBytes / MB).toFixed(1)} MB for three kinds; ` +
      `a plain Map keeping only the counter names retains ${(map.retainedBytes / MB).toFixed(1)} MB ` +
      `(${(map.retainedBytes / tracker.retainedBytes).toFixed(1)}x).`,
  );
}

import { Mutex } from "async-mutex";
import { BaseStatisticsTracker } from "../src/index.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";

const WRITERS = 1000;

/** One call: `WRITERS` writes issued at once, then `Promise.all` over them. */
function concurrently(write: () => Promise<void>): () => Promise<unknown> {
  const pending = new Array<Promise<void>>(WRITERS);
  return () => {
    for (let i = 0; i < WRITERS; i++) pending[i] = write();
    return Promise.all(pending);
  };
}

/** Workload 2: 1000 concurrent `increment` calls, against the floor and the naive mutex, likewise concurrent. */
export async function concurrentWorkload(options: RunOptions): Promise<Table> {
  const tracker = new BaseStatisticsTracker("bench_concurrent");

  const floorCounts = new Map<string, number>();
  const floor = async (): Promise<void> => {
    floorCounts.set("orders", (floorCounts.get("orders") ?? 0) + 1);
  };

  const mutex = new Mutex();
  const naiveCounts = new Map<string, number>();
  const naive = (): Promise<void> =>
    mutex.runExclusive(() => {
      naiveCounts.set("orders", (naiveCounts.get("orders") ?? 0) + 1);
    });

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  Promise.all(1000 × tracker.increment())",
        kind: "subject",
        fn: concurrently(() => tracker.increment("orders")),
        opsPerCall: WRITERS,
      },
      {
        key: "floor",
        label: "floor            Promise.all(1000 × async fn: Map increment)",
        kind: "baseline",
        fn: concurrently(floor),
        opsPerCall: WRITERS,
      },
      {
        key: "naive",
        label: "naive            Promise.all(1000 × mutex.runExclusive(Map increment))",
        kind: "baseline",
        fn: concurrently(naive),
        opsPerCall: WRITERS,
      },
    ],
    options,
  );

  const total = await tracker.getCounter("orders");
  check(total > 0 && total % WRITERS === 0, `the tracker's total ${total} is not whole batches`);
  check((naiveCounts.get("orders") ?? 0) % WRITERS === 0, "the naive baseline lost writes");

  return {
    id: "concurrent",
    title: "2. 1000 concurrent writers (median ns per increment)",
    unit: "ns",
    rows,
    notes: [],
  };
}

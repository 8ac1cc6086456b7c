import { trackerStore } from "./get-stats.js";
import { compare, type RunOptions, type Table } from "./harness.js";

/**
 * Workload 5: `getStats()` served from the cache (TTL 5 s, no writes between calls)
 * on a tracker holding the same data as workload 4, against that tracker's
 * uncached `getStats()` measured again here, in the same rounds.
 */
export async function getStatsCachedWorkload(options: RunOptions): Promise<Table> {
  const cached = await trackerStore(5000);
  const uncached = await trackerStore(0);
  const idle = await trackerStore(0);
  const { tracker } = cached.store;
  const { store, stream } = uncached;

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  getStats(), cached (TTL 5 s)",
        kind: "subject",
        fn: () => tracker.getStats(),
      },
      {
        key: "uncached",
        label: "uncached         as workload 4: 100 × recordTiming, then getStats()",
        kind: "baseline",
        fn: async () => {
          for (let op = 0; op < 100; op++) await store.record(op, stream.next());
          return store.snapshot();
        },
      },
      {
        key: "uncached-idle",
        label: "uncached         getStats() with no write since the last one",
        kind: "info",
        fn: () => idle.store.snapshot(),
      },
    ],
    options,
  );

  return {
    id: "getStatsCached",
    title: "5. getStats() cached, same data, no writes in between (median µs/op)",
    unit: "ns",
    rows,
    notes: [
      "A cache hit still returns a deep copy of the snapshot (100 timing summaries), as the contract requires.",
    ],
  };
}

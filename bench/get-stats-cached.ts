import { isDeepStrictEqual } from "node:util";
import type { ComponentStats } from "../src/index.js";
import { OPERATIONS, trackerStore } from "./get-stats.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";

/**
 * Workload 5: `getStats()` served from the cache (TTL 5 s, no writes between calls)
 * on a tracker holding the same data as workload 4, against the platform's deep copy,
 * `structuredClone`, of the very snapshot it returns. A cache hit must still hand out
 * a copy the caller may change, so it is a lookup plus a deep copy: it should cost no
 * more than copying that snapshot the standard way.
 */
export async function getStatsCachedWorkload(options: RunOptions): Promise<Table> {
  const { tracker } = (await trackerStore(5000)).store;
  const idle = (await trackerStore(0)).store;
  const snapshot = await tracker.getStats();

  // The baseline must produce what the tracker produces: an equal, unshared copy.
  const cloned = structuredClone(snapshot);
  const served = await tracker.getStats();
  check(isDeepStrictEqual(cloned, served), "structuredClone's copy differs from getStats()");
  check(isDeepStrictEqual(served, snapshot), "a cache hit differs from the snapshot it copies");
  check(
    served !== snapshot && served.performanceMetrics !== snapshot.performanceMetrics,
    "a cache hit shares the snapshot",
  );
  check(
    Object.keys(served.performanceMetrics).length === OPERATIONS,
    "the tracker lost operations",
  );

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  getStats(), cached (TTL 5 s)",
        kind: "subject",
        fn: () => tracker.getStats(),
      },
      {
        key: "structuredClone",
        label: "platform         structuredClone(snapshot getStats() returned)",
        kind: "baseline",
        fn: (): ComponentStats => structuredClone(snapshot),
      },
      {
        key: "uncached-idle",
        label: "uncached         getStats() with no write since the last one (cacheTtlMs 0)",
        kind: "info",
        fn: () => idle.snapshot(),
      },
    ],
    options,
  );

  return {
    id: "getStatsCached",
    title: `5. getStats() cached, ${OPERATIONS} operations, no writes in between (median µs/op)`,
    unit: "ns",
    rows,
    notes: [
      "Checked before measuring: structuredClone's copy and a cache hit are deep-equal to the snapshot, and the hit shares no object with it.",
      "A cache hit returns a deep copy of the snapshot (100 timing summaries), as the contract requires.",
    ],
  };
}

import { describe, expect, it } from "vitest";
import { LifetimeLedger, RETIRED_OWNER } from "../../src/cluster/ledger.js";
import type { ComponentReport } from "../../src/registry/types.js";
import { TimingStore } from "../../src/stores/timing-store.js";
import type { ComponentStats } from "../../src/types.js";

function report(
  name: string,
  requests: number,
  outcome: ComponentReport["outcome"] = "ok",
): ComponentReport {
  const stats: ComponentStats = {
    name,
    status: "connected",
    uptimeSeconds: 1,
    lastActivity: null,
    errorCount: requests,
    memoryUsageMb: 0,
    healthScore: 100,
    counters: { requests },
    gauges: {},
    performanceMetrics: {},
  };
  return outcome === "ok"
    ? {
        name,
        outcome,
        status: "connected",
        healthScore: 100,
        weight: 1,
        stats,
        verdict: "healthy",
        reasons: [],
      }
    : {
        name,
        outcome,
        status: outcome,
        healthScore: 0,
        weight: 1,
        reason: "x",
        verdict: "unhealthy",
        reasons: [`not collected (${outcome}): x`],
      };
}

const sumSeen = <K>(ledger: LifetimeLedger<K>, collected: Map<K, Set<string>>) =>
  [...ledger.carried(collected)].map(([component, list]) => [
    component,
    list.map(({ owner, value }) => [owner, value.counters.requests]),
  ]);

describe("LifetimeLedger", () => {
  it("carries nothing while every worker collects every component", () => {
    const ledger = new LifetimeLedger(() => "sum");
    ledger.update("a", [report("api", 1)]);
    expect(sumSeen(ledger, new Map([["a", new Set(["api"])]]))).toEqual([]);
  });

  it("carries the last stats of a worker that did not answer, and of a component it failed", () => {
    const ledger = new LifetimeLedger(() => "sum");
    ledger.update("a", [report("api", 1), report("db", 2)]);
    ledger.update("b", [report("api", 3)]);
    // b fails db this time (it never collected it: nothing to carry) and a fails api.
    ledger.update("a", [report("api", 0, "timeout"), report("db", 5)]);
    expect(sumSeen(ledger, new Map([["a", new Set(["db"])]]))).toEqual([
      [
        "api",
        [
          ["a", 1],
          ["b", 3],
        ],
      ],
    ]);
  });

  it("forgets a component a worker no longer lists", () => {
    const ledger = new LifetimeLedger(() => "sum");
    ledger.update("a", [report("api", 1), report("db", 2)]);
    ledger.update("a", [report("api", 4)]);
    expect(sumSeen(ledger, new Map())).toEqual([["api", [["a", 4]]]]);
  });

  it("sums the lifetime timing figures of the workers that left", () => {
    const ledger = new LifetimeLedger(() => "sum");
    const withTimings = (name: string, samples: number[]): ComponentReport => {
      const store = new TimingStore({ bucketsMs: [1, 10] });
      for (const value of samples) store.recordTiming("get", value);
      const base = report(name, 1);
      return {
        ...base,
        stats: {
          ...(base.stats as ComponentStats),
          performanceMetrics: store.getAllMetrics(),
          timingBucketsMs: store.bucketsMs,
          countingSince: samples.length,
        },
      };
    };
    ledger.update("a", [withTimings("api", [0.5, 20])]);
    ledger.update("b", [withTimings("api", [5, 5, 5])]);
    ledger.retire("a");
    ledger.retire("b");
    const retired = ledger.carried(new Map()).get("api")?.[0]?.value;
    expect(retired?.performanceMetrics.get).toMatchObject({
      count: 5,
      sumMs: 35.5,
      lifetimeMinMs: 0.5,
      lifetimeMaxMs: 20,
      bucketCounts: [1, 3, 1],
    });
    expect(retired?.timingBucketsMs).toEqual([1, 10]);
    expect(retired?.countingSince).toBe(2);
  });

  it("sums the workers that left into one retired entry per component, names of either kept", () => {
    const ledger = new LifetimeLedger(() => "sum");
    ledger.update("a", [report("api", 1)]);
    ledger.update("b", [report("api", 2), report("db", 7)]);
    ledger.retire("a");
    ledger.retire("b");
    ledger.retire("never-answered");
    const carried = ledger.carried(new Map());
    expect([...carried.keys()]).toEqual(["api", "db"]);
    const api = carried.get("api")?.[0];
    expect(api?.owner).toBe(RETIRED_OWNER);
    expect(api?.value.counters).toEqual({ requests: 3 });
    expect(api?.value.errorCount).toBe(3);
    expect(carried.get("db")?.[0]?.value.counters).toEqual({ requests: 7 });
  });

  it("tells workers apart by identity: one that takes a key of another adds to its figures", () => {
    const ledger = new LifetimeLedger<object>(() => "sum");
    const first = {};
    const second = {};
    ledger.update(first, [report("api", 100)], "resizer");
    ledger.update(second, [report("api", 5)], "resizer");
    // Both carried, under the key they answered with: neither replaced the other.
    expect(sumSeen(ledger, new Map())).toEqual([
      [
        "api",
        [
          ["resizer", 100],
          ["resizer", 5],
        ],
      ],
    ]);
    ledger.retire(first);
    expect(sumSeen(ledger, new Map([[second, new Set(["api"])]]))).toEqual([
      ["api", [[RETIRED_OWNER, 100]]],
    ]);
  });
});

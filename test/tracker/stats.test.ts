import { describe, expect, it } from "vitest";
import { copyRecord, copyStats, StatsSnapshot } from "../../src/tracker/stats.js";
import { SummaryRecordCopiers } from "../../src/tracker/summary-copy.js";
import type { ComponentStats, TimingSummary } from "../../src/types.js";

function sample(): ComponentStats {
  return {
    name: "feed",
    status: "connected",
    uptimeSeconds: 12,
    lastActivity: 1000,
    errorCount: 2,
    memoryUsageMb: 0.01,
    healthScore: 80,
    counters: { requests: 10 },
    gauges: { queue: 3 },
    performanceMetrics: {
      fill: {
        count: 2,
        avgMs: 1.5,
        minMs: 1,
        maxMs: 2,
        p50Ms: 1.5,
        p90Ms: 1.9,
        p95Ms: 1.95,
        p99Ms: 1.99,
      },
    },
  };
}

describe("copyStats", () => {
  it("copies every field deeply", () => {
    const stats = sample();
    const copy = copyStats(stats);
    expect(copy).toEqual(stats);
    expect(copy.counters).not.toBe(stats.counters);
    expect(copy.gauges).not.toBe(stats.gauges);
    expect(copy.performanceMetrics.fill).not.toBe(stats.performanceMetrics.fill);
    copy.counters.requests = 0;
    copy.gauges.queue = 0;
    (copy.performanceMetrics.fill as { p99Ms: number }).p99Ms = 0;
    expect(stats).toEqual(sample());
  });

  it("copies the overflow record when present and leaves it out otherwise", () => {
    expect("overflow" in copyStats(sample())).toBe(false);
    const stats = { ...sample(), overflow: { counters: 1, gauges: 0, operations: 2 } };
    const copy = copyStats(stats);
    expect(copy.overflow).toEqual({ counters: 1, gauges: 0, operations: 2 });
    (copy.overflow as { counters: number }).counters = 9;
    expect(stats.overflow.counters).toBe(1);
  });
});

describe("copyRecord", () => {
  it("keeps a key named __proto__ as an own data property", () => {
    const source = Object.fromEntries([
      ["__proto__", 5],
      ["a", 1],
    ]) as Record<string, number>;
    const copy = copyRecord(source, (v) => v * 2);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(Object.entries(copy)).toEqual([
      ["__proto__", 10],
      ["a", 2],
    ]);
    expect(JSON.parse(JSON.stringify(copy))).toEqual(copy);
  });
});

describe("StatsSnapshot", () => {
  it("copies like copyStats, every time a fresh deep copy", () => {
    const stats = { ...sample(), overflow: { counters: 1, gauges: 2, operations: 3 } };
    const snapshot = new StatsSnapshot(stats, new SummaryRecordCopiers());
    const first = snapshot.copy();
    expect(first).toEqual(copyStats(stats));
    first.counters.requests = 0;
    first.gauges.extra = 1;
    (first.performanceMetrics.fill as { count: number }).count = 0;
    (first.overflow as { gauges: number }).gauges = 0;
    const second = snapshot.copy();
    expect(second).toEqual(copyStats(stats));
    expect(second.performanceMetrics.fill).not.toBe(first.performanceMetrics.fill);
    expect(stats).toEqual({ ...sample(), overflow: { counters: 1, gauges: 2, operations: 3 } });
  });

  it("keeps keys named __proto__ as data and leaves out an absent overflow", () => {
    const stats = sample();
    stats.counters = Object.fromEntries([["__proto__", 1]]);
    stats.performanceMetrics = Object.fromEntries([
      ["__proto__", stats.performanceMetrics.fill as TimingSummary],
    ]);
    const snapshot = new StatsSnapshot(stats, new SummaryRecordCopiers());
    const first = snapshot.copy();
    const copy = snapshot.copy(); // the second copy takes the compiled path
    expect(copy).toEqual(first);
    expect(Object.hasOwn(copy.counters, "__proto__")).toBe(true);
    expect(Object.hasOwn(copy.performanceMetrics, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(copy.performanceMetrics)).toBe(Object.prototype);
    expect("overflow" in copy).toBe(false);
    expect(JSON.parse(JSON.stringify(copy))).toEqual(copy);
  });
});

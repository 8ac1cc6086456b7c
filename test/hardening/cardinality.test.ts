import { describe, expect, it } from "vitest";
import {
  BaseStatisticsTracker,
  manualClock,
  OVERFLOW_NAME,
  type TrackerOptions,
} from "../../src/index.js";
import { expectedFailures } from "../setup/call-warnings.js";
import { MB, retainedBytes } from "./heap.js";

function tracker(maxMetricNames: number, options: TrackerOptions = {}): BaseStatisticsTracker {
  return new BaseStatisticsTracker("cardinality", {
    clock: manualClock(0),
    maxMetricNames,
    cacheTtlMs: 0,
    ...options,
  });
}

/** Writes `count` distinct names of every kind: counter +1, gauge = i, timing = i ms. */
async function writeDistinct(
  stats: BaseStatisticsTracker,
  count: number,
  prefix = "n",
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const name = `${prefix}${i}`;
    await stats.increment(name);
    await stats.setGauge(name, i);
    await stats.recordTiming(name, i % 100);
  }
}

describe("maxMetricNames caps distinct names per kind", () => {
  it("past the cap, values fold into __overflow__: totals stay right, folded names are counted exactly", async () => {
    const stats = tracker(100);
    await writeDistinct(stats, 1100); // 100 kept, 1000 folded: within the exact range
    const snapshot = await stats.getStats();
    for (const kind of [snapshot.counters, snapshot.gauges, snapshot.performanceMetrics]) {
      expect(Object.keys(kind)).toHaveLength(101);
      expect(Object.keys(kind).at(-1)).toBe(OVERFLOW_NAME);
    }
    const total = Object.values(snapshot.counters).reduce((sum, v) => sum + v, 0);
    expect(total).toBe(1100);
    expect(snapshot.counters[OVERFLOW_NAME]).toBe(1000);
    expect(snapshot.gauges[OVERFLOW_NAME]).toBe(1099); // the last folded write wins
    expect(snapshot.performanceMetrics[OVERFLOW_NAME]?.count).toBe(1000);
    expect(snapshot.overflow).toEqual({ counters: 1000, gauges: 1000, operations: 1000 });
    // A folded name has no entry of its own; a kept one still does.
    expect(await stats.getCounter("n500")).toBe(0);
    expect(await stats.getGauge("n500")).toBeUndefined();
    await stats.increment("n5");
    expect(await stats.getCounter("n5")).toBe(2);
    // Writing a folded name again does not count it twice.
    await stats.increment("n500");
    expect((await stats.getStats()).overflow?.counters).toBe(1000);
    expect(await stats.getCounter(OVERFLOW_NAME)).toBe(1001);
  });

  it("the folded count is exact up to 1024 names and an estimate (±5%) past it", async () => {
    const exact = tracker(10);
    await writeDistinct(exact, 10 + 1024);
    expect((await exact.getStats()).overflow).toEqual({
      counters: 1024,
      gauges: 1024,
      operations: 1024,
    });
    const estimated = tracker(10);
    await writeDistinct(estimated, 10 + 20_000);
    const folded = (await estimated.getStats()).overflow;
    for (const count of Object.values(folded ?? {})) {
      expect(Math.abs(count - 20_000) / 20_000).toBeLessThan(0.05);
    }
  });

  it("no overflow field until something is folded, and none after a reset", async () => {
    const stats = tracker(2);
    await writeDistinct(stats, 2);
    expect(await stats.getStats()).not.toHaveProperty("overflow");
    await writeDistinct(stats, 3, "m");
    expect((await stats.getStats()).overflow).toEqual({ counters: 3, gauges: 3, operations: 3 });
    await stats.resetMetrics();
    await writeDistinct(stats, 2, "k");
    const snapshot = await stats.getStats();
    expect(snapshot).not.toHaveProperty("overflow");
    expect(Object.keys(snapshot.counters)).toEqual(["k0", "k1"]);
  });

  it("regression: an increment rejected for overflowing does not count its name as folded", async () => {
    // The name was admitted (and, past the cap, recorded as folded) before the sum was
    // checked, so a rejected call changed the folded count.
    const { onError, failures } = expectedFailures();
    const stats = tracker(1, { onError });
    await stats.increment("kept");
    await stats.increment("first", Number.MAX_VALUE); // folded into __overflow__
    await expect(stats.increment("second", Number.MAX_VALUE)).rejects.toThrow(RangeError);
    expect(failures.map((failure) => failure.call)).toEqual(["increment"]);
    const snapshot = await stats.getStats();
    expect(snapshot.overflow).toEqual({ counters: 1, gauges: 0, operations: 0 });
    expect(snapshot.counters).toEqual({ kept: 1, [OVERFLOW_NAME]: Number.MAX_VALUE });
  });

  it("retained memory stays bounded however many distinct names arrive", async () => {
    // 1000 names per kind kept; 200,000 distinct names written per kind. Uncapped, the
    // names alone would take about 200,000 × 3 map entries (tens of MB); capped, the
    // stores hold 1000 entries per kind, 1024 folded names per kind, and then a 4 KiB
    // sketch, whatever the count.
    const stats = tracker(1000);
    const first = await retainedBytes(async () => {
      await writeDistinct(stats, 100_000, "a");
      return stats;
    });
    const second = await retainedBytes(async () => {
      await writeDistinct(stats, 100_000, "b");
      return stats;
    });
    expect(first).toBeLessThan(4 * MB);
    expect(Math.abs(second)).toBeLessThan(0.5 * MB); // the second 100,000 add nothing
    expect(await stats.getMemoryUsage()).toBeLessThan(1);
  });
});

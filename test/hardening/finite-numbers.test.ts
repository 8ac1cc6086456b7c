/**
 * No snapshot, score or memory figure ever holds NaN or ±Infinity, whatever values a
 * tracker accepted: durations are bounded by MAX_DURATION_MS, counters stay finite,
 * sums and differences of clock readings saturate instead of overflowing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BaseStatisticsTracker,
  MAX_DURATION_MS,
  manualClock,
  PerformanceMetrics,
} from "../../src/index.js";

/** Every number anywhere in `value`, with its path. */
function numbersIn(value: unknown, path = "$"): [string, number][] {
  if (typeof value === "number") return [[path, value]];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => numbersIn(inner, `${path}.${key}`));
}

async function expectAllFinite(tracker: BaseStatisticsTracker): Promise<void> {
  const reported = {
    stats: await tracker.getStats(),
    health: await tracker.getHealthBreakdown(),
    score: await tracker.getHealthScore(),
    memory: await tracker.getMemoryUsage(),
    uptime: await tracker.getUptime(),
  };
  for (const [path, value] of numbersIn(reported)) {
    expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
  }
}

describe("durations", () => {
  it("two durations of 1e308 are rejected naming durationMs and the limit; nothing is recorded", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), onError: () => {} });
    for (let i = 0; i < 2; i++) {
      await expect(tracker.recordTiming("fill", 1e308)).rejects.toThrow(RangeError);
      await expect(tracker.recordTiming("fill", 1e308)).rejects.toThrow(
        /`durationMs` to be at most MAX_DURATION_MS \(9007199254740991 ms\), got 1e\+308/,
      );
    }
    expect((await tracker.getStats()).performanceMetrics).toEqual({});
    expect(tracker.lastActivity).toBeNull();
    await expectAllFinite(tracker);
  });

  it("the timing store on its own applies the same bound", () => {
    const store = new PerformanceMetrics();
    expect(() => store.recordTiming("fill", Number.MAX_VALUE)).toThrow(/MAX_DURATION_MS/);
    store.recordTiming("fill", MAX_DURATION_MS);
    expect(store.getAllMetrics().fill?.maxMs).toBe(MAX_DURATION_MS);
  });

  it("a full window of the largest accepted duration averages exactly to it", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), timingWindow: 1000 });
    for (let i = 0; i < 3000; i++) await tracker.recordTiming("fill", MAX_DURATION_MS);
    const fill = (await tracker.getStats()).performanceMetrics.fill;
    expect(fill).toEqual({
      count: 3000,
      avgMs: MAX_DURATION_MS,
      minMs: MAX_DURATION_MS,
      maxMs: MAX_DURATION_MS,
      p50Ms: MAX_DURATION_MS,
      p90Ms: MAX_DURATION_MS,
      p95Ms: MAX_DURATION_MS,
      p99Ms: MAX_DURATION_MS,
      sumMs: 3000 * MAX_DURATION_MS,
      lifetimeMinMs: MAX_DURATION_MS,
      lifetimeMaxMs: MAX_DURATION_MS,
      bucketCounts: [...Array(16).fill(0), 3000],
    });
    await expectAllFinite(tracker);
  });

  it("extremes mixed with subnormals and zeros give a finite mean inside [min, max]", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), timingWindow: 16 });
    const samples = [MAX_DURATION_MS, Number.MIN_VALUE, 0, -0, MAX_DURATION_MS, 1e-300];
    for (const durationMs of samples) await tracker.recordTiming("mixed", durationMs);
    const mixed = (await tracker.getStats()).performanceMetrics.mixed;
    expect(mixed?.minMs).toBe(0);
    expect(mixed?.maxMs).toBe(MAX_DURATION_MS);
    expect(mixed?.avgMs).toBeCloseTo((2 * MAX_DURATION_MS) / samples.length, -1);
    await expectAllFinite(tracker);
  });
});

describe("counters and gauges near ±Number.MAX_VALUE", () => {
  it("counters that cannot be summed still give a finite, sensible health score", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), cacheTtlMs: 0 });
    await tracker.increment("a", Number.MAX_VALUE);
    await tracker.increment("b", Number.MAX_VALUE);
    await tracker.trackError(new Error("one"), "ctx");
    // Operations about 3.6e308 (saturated at MAX_VALUE): one error costs nothing.
    expect((await tracker.getHealthBreakdown()).errors).toBe(100);
    await tracker.increment("c", -Number.MAX_VALUE);
    await tracker.increment("d", -Number.MAX_VALUE);
    // The exact sum is 0 operations: one error then scores the error factor 0.
    expect((await tracker.getHealthBreakdown()).errors).toBe(0);
    await expectAllFinite(tracker);
  });

  it("an increment that would leave a counter infinite is a RangeError naming value, changing nothing", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), onError: () => {} });
    await tracker.increment("big", -Number.MAX_VALUE);
    const before = await tracker.getStats();
    await expect(tracker.increment("big", -1e308)).rejects.toThrow(
      /`value` to keep the counter finite, got -1e\+308/,
    );
    expect(await tracker.getStats()).toEqual(before);
  });

  it("gauges hold the extremes as they are", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0) });
    await tracker.setGauge("high", Number.MAX_VALUE);
    await tracker.setGauge("low", -Number.MAX_VALUE);
    await tracker.setGauge("tiny", Number.MIN_VALUE);
    expect((await tracker.getStats()).gauges).toEqual({
      high: Number.MAX_VALUE,
      low: -Number.MAX_VALUE,
      tiny: Number.MIN_VALUE,
    });
    await expectAllFinite(tracker);
  });
});

describe("clock readings at the ends of the double range", () => {
  it("uptime, activity and time() stay finite when readings are ±Number.MAX_VALUE apart", async () => {
    const clock = manualClock(-Number.MAX_VALUE);
    const tracker = new BaseStatisticsTracker("t", { clock, cacheTtlMs: 0 });
    await tracker.increment("ops");
    clock.set(Number.MAX_VALUE);
    expect(await tracker.getUptime()).toBe(Math.floor(Number.MAX_VALUE / 1000));
    expect((await tracker.getHealthBreakdown()).activity).toBe(0);
    clock.set(-Number.MAX_VALUE);
    await tracker.time("jump", () => clock.set(Number.MAX_VALUE));
    // The clock jumped further than any duration: recorded as the largest accepted one.
    expect((await tracker.getStats()).performanceMetrics.jump?.maxMs).toBe(MAX_DURATION_MS);
    await expectAllFinite(tracker);
  });

  it("any finite readings and any accepted values keep every figure finite (property)", async () => {
    const reading = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 0, -0),
    );
    const value = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -0),
    );
    const step = fc.record({
      atMs: reading,
      write: fc.constantFrom("inc", "gauge", "timing", "err", "status", "time"),
      value,
    });
    await fc.assert(
      fc.asyncProperty(reading, fc.array(step, { maxLength: 15 }), async (startMs, steps) => {
        const clock = manualClock(startMs);
        const tracker = new BaseStatisticsTracker("t", {
          clock,
          cacheTtlMs: 0,
          onError: () => {},
        });
        for (const { atMs, write, value: v } of steps) {
          clock.set(atMs);
          // Rejections (an overflowing counter, a negative duration) change nothing.
          if (write === "inc") await tracker.increment("c", v).catch(() => {});
          if (write === "gauge") await tracker.setGauge("g", v);
          if (write === "timing") await tracker.recordTiming("op", Math.abs(v)).catch(() => {});
          if (write === "err") await tracker.trackError("e", "ctx");
          if (write === "status") await tracker.setStatus("active");
          if (write === "time") await tracker.time("op", () => clock.set(v));
          await expectAllFinite(tracker);
        }
      }),
      { numRuns: 200 },
    );
  });
});

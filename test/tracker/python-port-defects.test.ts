/**
 * One test per defect of the Python module this library ports, fixed rather than
 * ported. Each asserts the fixed behaviour in a way the Python behaviour would fail.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { BaseStatisticsTracker, ErrorInfo } from "../../src/index.js";
import { manualClock } from "../../src/shared/clock.js";
import { TimingWindow } from "../../src/stores/timing-window.js";
import { expectedFailures } from "../setup/call-warnings.js";

const START = 1_700_000_000_000;

describe("defects of the original", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("1. every write invalidates the cache: errors and health show at once, within the TTL", async () => {
    const clock = manualClock(START);
    const tracker = new BaseStatisticsTracker("feed", { clock, cacheTtlMs: 5000 });
    await tracker.setStatus("connected");
    await tracker.increment("requests", 100);
    expect((await tracker.getStats()).errorCount).toBe(0);
    expect(await tracker.getHealthScore()).toBe(80);
    clock.advance(1); // well within the 5 s TTL
    await tracker.trackError(new Error("boom"), "feed.read");
    // The original kept serving the cached snapshot with 0 errors for up to 5 s.
    expect((await tracker.getStats()).errorCount).toBe(1);
    expect(await tracker.getErrorCount()).toBe(1);
    await tracker.setStatus("error");
    // 100 - 1% * 1000 = 90 for errors, status 0: 36 + 0 + 20 + 0.
    expect(await tracker.getHealthScore()).toBe(56);
  });

  it("2. a cached health score is rounded exactly like a fresh one", async () => {
    const clock = manualClock(START);
    const tracker = new BaseStatisticsTracker("feed", { clock, cacheTtlMs: 5000 });
    await tracker.setStatus("connected");
    await tracker.increment("requests", 100);
    clock.advance(7); // raw score 79.99999... as in the original's report
    const fresh = await tracker.getHealthScore();
    const cached = await tracker.getHealthScore();
    const breakdown = await tracker.getHealthBreakdown();
    expect(breakdown.activity).toBeLessThan(100); // the raw input really is unrounded
    expect(fresh).toBe(80);
    expect(cached).toBe(80); // the original returned 79.99999987 from its cache
    expect((await tracker.getStats()).healthScore).toBe(80);
  });

  it("3. getStats() returns copies: a caller's mutation never changes the next read", async () => {
    const tracker = new BaseStatisticsTracker("feed", { clock: manualClock(START) });
    await tracker.increment("requests", 5);
    await tracker.recordTiming("fill", 10);
    const first = await tracker.getStats();
    first.counters.requests = 0;
    first.errorCount = 99;
    (first.performanceMetrics.fill as { count: number }).count = 0;
    const second = await tracker.getStats(); // from the cache
    expect(second.counters.requests).toBe(5);
    expect(second.errorCount).toBe(0);
    expect(second.performanceMetrics.fill?.count).toBe(1);
  });

  it("4. getStats() reports an overridden getMemoryUsage()", async () => {
    class Book extends BaseStatisticsTracker {
      override async getMemoryUsage(): Promise<number> {
        return 123.25;
      }
    }
    const stats = await new Book("book", { clock: manualClock(START) }).getStats();
    // The original always reported its own 0.1 + … estimate here.
    expect(stats.memoryUsageMb).toBe(123.25);
  });

  it("5. stepping the clock back gives uptime 0 and a health score of at most 100", async () => {
    const clock = manualClock(START);
    const tracker = new BaseStatisticsTracker("feed", { clock });
    await tracker.setStatus("connected");
    await tracker.increment("requests");
    clock.set(START - 3_600_000); // an hour before creation
    expect(await tracker.getUptime()).toBe(0);
    const breakdown = await tracker.getHealthBreakdown();
    // The original went negative on uptime and scored 198 on health.
    expect(breakdown.score).toBeLessThanOrEqual(100);
    for (const factor of [
      breakdown.errors,
      breakdown.uptime,
      breakdown.activity,
      breakdown.status,
    ]) {
      expect(factor).toBeGreaterThanOrEqual(0);
      expect(factor).toBeLessThanOrEqual(100);
    }
    expect(breakdown).toEqual({ score: 80, errors: 100, uptime: 0, activity: 100, status: 100 });
    expect((await tracker.getStats()).uptimeSeconds).toBe(0);
  });

  it("6. ErrorInfo keeps an explicit timestamp 0 and copies details", () => {
    const details = { attempt: 1 };
    const info = new ErrorInfo(new Error("e"), "ctx", details, 0);
    details.attempt = 2;
    // The original replaced 0 by time.time() and kept the caller's dict by reference.
    expect(info.timestamp).toBe(0);
    expect(info.details).toEqual({ attempt: 1 });
    expect(info.toJSON()).toMatchObject({ timestamp: 0, details: { attempt: 1 } });
  });

  it("7. recording past the window is O(1): no copy of the window, no growth", () => {
    const window = 1000;
    const timings = new TimingWindow(window);
    for (let i = 0; i < window; i++) timings.record(i);
    const bytes = timings.byteLength;
    const copies = [
      vi.spyOn(Array.prototype, "slice"),
      vi.spyOn(Array.prototype, "splice"),
      vi.spyOn(Float64Array.prototype, "set"),
      vi.spyOn(Float64Array.prototype, "slice"),
      vi.spyOn(Float64Array.prototype, "subarray"),
      vi.spyOn(Float64Array.prototype, "copyWithin"),
    ];
    for (let i = 0; i < 5 * window; i++) timings.record(i);
    // The original copied the last 1000 elements (list[-1000:]) on every such record.
    for (const spy of copies) expect(spy).not.toHaveBeenCalled();
    expect(timings.byteLength).toBe(bytes);
    expect(timings.summary({ sumMs: 0, minMs: 0, maxMs: 0, bucketCounts: () => [] })).toMatchObject(
      { count: 6 * window, minMs: 4000, maxMs: 4999 },
    );
  });

  it("7. (scale) a million records into a window of a million complete at once", () => {
    // With a copy of the window per record this would be 10^12 element copies.
    const window = 2 ** 20;
    const timings = new TimingWindow(window);
    const startedMs = performance.now();
    for (let i = 0; i < 2 * window; i++) timings.record(i & 1023);
    expect(timings.count).toBe(2 * window);
    expect(timings.length).toBe(window);
    expect(performance.now() - startedMs).toBeLessThan(5000);
  });

  it("8. NaN, Infinity and negative durations are rejected and never poison the summary", async () => {
    const { onError, failures } = expectedFailures();
    const tracker = new BaseStatisticsTracker("feed", { clock: manualClock(START), onError });
    await tracker.recordTiming("fill", 10);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5]) {
      await expect(tracker.recordTiming("fill", bad)).rejects.toThrow(RangeError);
    }
    expect(failures).toHaveLength(4);
    const fill = (await tracker.getStats()).performanceMetrics.fill;
    // The original accepted them: avg NaN, max Infinity, min -5.
    expect(fill).toEqual({
      count: 1,
      avgMs: 10,
      minMs: 10,
      maxMs: 10,
      p50Ms: 10,
      p90Ms: 10,
      p95Ms: 10,
      p99Ms: 10,
      sumMs: 10,
      lifetimeMinMs: 10,
      lifetimeMaxMs: 10,
      bucketCounts: [0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    });
  });

  it("9. getRecentErrors(0) returns no errors", async () => {
    const tracker = new BaseStatisticsTracker("feed", { clock: manualClock(START) });
    for (let i = 0; i < 3; i++) await tracker.trackError(new Error(`e${i}`), "ctx");
    // The original's list[-0:] returned every error.
    expect(await tracker.getRecentErrors(0)).toEqual([]);
    expect(await tracker.getRecentErrors(1)).toHaveLength(1);
  });
});

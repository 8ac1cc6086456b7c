import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentileSorted } from "../../src/compute/percentile.js";
import { OVERFLOW_NAME } from "../../src/stores/name-limit.js";
import {
  MAX_TIMING_WINDOW,
  TimingStore,
  type TimingStoreOptions,
} from "../../src/stores/timing-store.js";
import { DEFAULT_TIMING_BUCKETS_MS } from "../../src/types.js";

describe("TimingStore", () => {
  it("reports 0 for an operation never recorded, and no summaries", () => {
    const metrics = new TimingStore();
    expect(metrics.getAvgTiming("none")).toBe(0);
    expect(metrics.getOperationCount("none")).toBe(0);
    expect(metrics.getAllMetrics()).toEqual({});
    expect(metrics.size).toBe(0);
    expect(metrics.byteLength).toBe(0);
  });

  it("keeps 1000 samples by default and counts every one", () => {
    const metrics = new TimingStore();
    for (let i = 1; i <= 1500; i++) metrics.recordTiming("fill", i);
    const fill = metrics.getAllMetrics().fill;
    expect(fill?.count).toBe(1500);
    expect(fill?.minMs).toBe(501);
    expect(fill?.maxMs).toBe(1500);
    expect(metrics.getAvgTiming("fill")).toBe(1000.5);
    expect(metrics.getOperationCount("fill")).toBe(1500);
  });

  it("summarises 1..100 with p50 50.5, p90 90.1, p95 95.05, p99 99.01", () => {
    const metrics = new TimingStore({ window: 100 });
    for (let i = 1; i <= 100; i++) metrics.recordTiming("op", i);
    expect(metrics.getAllMetrics()).toEqual({
      op: {
        count: 100,
        avgMs: 50.5,
        minMs: 1,
        maxMs: 100,
        p50Ms: 50.5,
        p90Ms: 90.1,
        p95Ms: 95.05,
        p99Ms: 99.01,
        sumMs: 5050,
        lifetimeMinMs: 1,
        lifetimeMaxMs: 100,
        bucketCounts: [0, 0, 0, 1, 1, 3, 5, 15, 25, 50, 0, 0, 0, 0, 0, 0, 0],
      },
    });
  });

  it("matches a per-operation full sort of the last `window` samples (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.array(
          fc.oneof(
            fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 100 })),
            fc.constant("summary" as const),
          ),
          { maxLength: 400 },
        ),
        (window, ops) => {
          const metrics = new TimingStore({ window });
          const samples = new Map<string, number[]>();
          const check = () => {
            const all = metrics.getAllMetrics();
            expect(Object.keys(all)).toEqual([...samples.keys()]);
            for (const [operation, values] of samples) {
              const kept = values.slice(-window).sort((x, y) => x - y);
              const summary = all[operation];
              expect(summary?.count).toBe(values.length);
              expect(summary?.minMs).toBe(kept[0]);
              expect(summary?.maxMs).toBe(kept.at(-1));
              expect(summary?.p50Ms).toBe(percentileSorted(kept, 50));
              expect(summary?.p90Ms).toBe(percentileSorted(kept, 90));
              expect(summary?.p95Ms).toBe(percentileSorted(kept, 95));
              expect(summary?.p99Ms).toBe(percentileSorted(kept, 99));
              const avg = kept.reduce((s, v) => s + v, 0) / kept.length;
              expect(summary?.avgMs).toBeCloseTo(avg, 9);
              expect(metrics.getAvgTiming(operation)).toBeCloseTo(avg, 9);
              expect(metrics.getOperationCount(operation)).toBe(values.length);
            }
          };
          for (const op of ops) {
            if (op === "summary") {
              check();
              continue;
            }
            const [operation, value] = op;
            metrics.recordTiming(operation, value);
            samples.set(operation, [...(samples.get(operation) ?? []), value]);
          }
          check();
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each([
    [{ window: 0 }, RangeError, /`window`.*got 0/],
    [{ window: 1.5 }, RangeError, /`window`.*1\.5/],
    [{ window: MAX_TIMING_WINDOW + 1 }, RangeError, /`window`.*from 1 to 16777216/],
    [{ window: "10" }, TypeError, /`window`.*"10"/],
    [{ maxOperations: 0 }, RangeError, /`maxOperations`.*got 0/],
    [{ maxOperations: Number.NaN }, RangeError, /`maxOperations`/],
  ])("rejects the options %o, naming the option", (options, type, message) => {
    expect(() => new TimingStore(options as never)).toThrow(type);
    expect(() => new TimingStore(options as never)).toThrow(message);
  });

  it.each([
    ["", 1, RangeError, /`operation`/],
    [5, 1, TypeError, /`operation`.*5 \(number\)/],
    ["op", -1, RangeError, /`durationMs`.*-1/],
    ["op", Number.NaN, RangeError, /`durationMs`.*NaN/],
    ["op", Number.POSITIVE_INFINITY, RangeError, /`durationMs`.*Infinity/],
    ["op", "3", TypeError, /`durationMs`.*"3"/],
  ])("rejects recordTiming(%o, %o) and records nothing", (operation, durationMs, type, message) => {
    const metrics = new TimingStore();
    metrics.recordTiming("op", 2);
    const before = metrics.getAllMetrics();
    expect(() => metrics.recordTiming(operation as string, durationMs as number)).toThrow(type);
    expect(() => metrics.recordTiming(operation as string, durationMs as number)).toThrow(message);
    expect(metrics.getAllMetrics()).toEqual(before);
  });

  it("keeps an operation named __proto__ as data", () => {
    const metrics = new TimingStore();
    metrics.recordTiming("__proto__", 3);
    const all = metrics.getAllMetrics();
    expect(Object.hasOwn(all, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(all)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(all))).toEqual(all);
  });

  it("returns fresh summaries each time", () => {
    const metrics = new TimingStore();
    metrics.recordTiming("op", 2);
    const first = metrics.getAllMetrics();
    (first.op as { minMs: number }).minMs = 99;
    expect(metrics.getAllMetrics().op?.minMs).toBe(2);
  });

  it("takes every option given as undefined for its default", () => {
    const allUndefined: { [K in keyof Required<TimingStoreOptions>]: undefined } = {
      window: undefined,
      maxOperations: undefined,
      bucketsMs: undefined,
    };
    const metrics = new TimingStore(allUndefined);
    for (let i = 1; i <= 1500; i++) metrics.recordTiming("fill", i);
    expect(metrics.getAllMetrics().fill?.minMs).toBe(501);
    expect(metrics.bucketsMs).toEqual([...DEFAULT_TIMING_BUCKETS_MS]);
    for (let i = 0; i < 10_000; i++) metrics.recordTiming(`op${i}`, 1);
    expect(metrics.foldedNames).toBe(1);
  });

  it("folds operations past maxOperations into the overflow entry", () => {
    const metrics = new TimingStore({ maxOperations: 2 });
    metrics.recordTiming("a", 1);
    metrics.recordTiming("b", 2);
    metrics.recordTiming("c", 3);
    metrics.recordTiming("d", 5);
    metrics.recordTiming("a", 1);
    expect(Object.keys(metrics.getAllMetrics())).toEqual(["a", "b", OVERFLOW_NAME]);
    expect(metrics.getOperationCount(OVERFLOW_NAME)).toBe(2);
    expect(metrics.getAvgTiming(OVERFLOW_NAME)).toBe(4);
    expect(metrics.getOperationCount("a")).toBe(2);
    expect(metrics.foldedNames).toBe(2);
    expect(metrics.size).toBe(3);
  });

  it("counts the bytes of windows that grow, and of full ones once, across a clear", () => {
    const metrics = new TimingStore({ window: 40 });
    const bytes = () => metrics.byteLength;
    // A window starts with room for 16 samples and doubles up to its size.
    metrics.recordTiming("a", 1);
    expect(bytes()).toBe(16 * 10 + 17 * 8);
    for (let i = 0; i < 16; i++) metrics.recordTiming("a", 1);
    expect(bytes()).toBe(32 * 10 + 17 * 8);
    for (let i = 0; i < 23; i++) metrics.recordTiming("a", 1);
    expect(bytes()).toBe(40 * 10 + 17 * 8); // full: counted once from now on
    metrics.recordTiming("b", 1);
    for (let i = 0; i < 100; i++) metrics.recordTiming("a", 1);
    expect(bytes()).toBe(40 * 10 + 16 * 10 + 2 * 17 * 8);
    metrics.clear();
    expect(bytes()).toBe(0);
    metrics.recordTiming("a", 1);
    expect(bytes()).toBe(16 * 10 + 17 * 8);
  });

  it("reports the bytes of its buffers and forgets everything on clear", () => {
    const metrics = new TimingStore({ window: 4 });
    metrics.recordTiming("a", 1);
    metrics.recordTiming("b", 1);
    // Two operations: a window of 4 (8-byte samples, 2-byte ranks) and 17 8-byte bucket counts.
    expect(metrics.byteLength).toBe(2 * (4 * 10 + 17 * 8));
    metrics.clear();
    expect(metrics.size).toBe(0);
    expect(metrics.byteLength).toBe(0);
    expect(metrics.getOperationCount("a")).toBe(0);
    expect(metrics.foldedNames).toBe(0);
  });
});

describe("TimingStore lifetime figures", () => {
  it("keeps the lifetime sum, extremes and buckets while the window forgets", () => {
    const metrics = new TimingStore({ window: 2, bucketsMs: [10, 100] });
    for (const ms of [5, 50, 500, 7]) metrics.recordTiming("op", ms);
    expect(metrics.getAllMetrics().op).toMatchObject({
      count: 4,
      minMs: 7,
      maxMs: 500,
      sumMs: 562,
      lifetimeMinMs: 5,
      lifetimeMaxMs: 500,
      bucketCounts: [2, 1, 1],
    });
    expect(metrics.bucketsMs).toEqual([10, 100]);
    expect(new TimingStore().bucketsMs).toEqual([...DEFAULT_TIMING_BUCKETS_MS]);
  });

  it("rejects bad bounds naming the option, and starts over on clear", () => {
    expect(() => new TimingStore({ bucketsMs: [5, 1] })).toThrow(/`bucketsMs`/);
    const metrics = new TimingStore({ bucketsMs: [1] });
    metrics.recordTiming("op", 3);
    metrics.clear();
    metrics.recordTiming("op", 0.5);
    expect(metrics.getAllMetrics().op?.bucketCounts).toEqual([1, 0]);
    expect(metrics.getAllMetrics().op?.sumMs).toBe(0.5);
  });
});

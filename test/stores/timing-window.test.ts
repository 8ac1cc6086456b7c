import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { percentileSorted } from "../../src/compute/percentile.js";
import { type LifetimeFigures, TimingWindow } from "../../src/stores/timing-window.js";
import type { TimingSummary } from "../../src/types.js";

const NO_LIFETIME: LifetimeFigures = { sumMs: 0, minMs: 0, maxMs: 0, bucketCounts: () => [] };

/** The window's own figures of a summary, without the lifetime ones beside them. */
function windowSummary(timings: TimingWindow): TimingSummary {
  const { sumMs, lifetimeMinMs, lifetimeMaxMs, bucketCounts, ...window } =
    timings.summary(NO_LIFETIME);
  return window;
}

/** The summary a full sort of the last `window` samples gives. */
function oracle(all: readonly number[], window: number): TimingSummary {
  const kept = all.slice(-window);
  const sorted = [...kept].sort((a, b) => a - b);
  let sum = 0;
  for (const value of kept) sum += value;
  return {
    count: all.length,
    avgMs: sum / kept.length,
    minMs: sorted[0] as number,
    maxMs: sorted.at(-1) as number,
    p50Ms: percentileSorted(sorted, 50),
    p90Ms: percentileSorted(sorted, 90),
    p95Ms: percentileSorted(sorted, 95),
    p99Ms: percentileSorted(sorted, 99),
  };
}

function expectMatches(actual: TimingSummary, expected: TimingSummary): void {
  const { avgMs, ...exact } = actual;
  const { avgMs: expectedAvg, ...expectedExact } = expected;
  // Percentiles and extremes are read from the same sorted values: exact.
  expect(exact).toEqual(expectedExact);
  expect(Math.abs(avgMs - expectedAvg)).toBeLessThanOrEqual(1e-9 * Math.max(1, expectedAvg));
  expect(avgMs).toBeGreaterThanOrEqual(actual.minMs);
  expect(avgMs).toBeLessThanOrEqual(actual.maxMs);
}

const sample = fc.oneof(
  fc.integer({ min: 0, max: 20 }), // many ties
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);

describe("TimingWindow", () => {
  it("starts empty with a zero summary", () => {
    const timings = new TimingWindow(10);
    expect(timings.count).toBe(0);
    expect(timings.length).toBe(0);
    expect(timings.average()).toBe(0);
    expect(windowSummary(timings)).toEqual({
      count: 0,
      avgMs: 0,
      minMs: 0,
      maxMs: 0,
      p50Ms: 0,
      p90Ms: 0,
      p95Ms: 0,
      p99Ms: 0,
    });
  });

  it("writes the lifetime figures it is given into the same summary", () => {
    const timings = new TimingWindow(2);
    for (const ms of [1, 2, 3]) timings.record(ms);
    const lifetime = { sumMs: 6, minMs: 1, maxMs: 3, bucketCounts: () => [1, 2] };
    expect(timings.summary(lifetime)).toEqual({
      count: 3,
      avgMs: 2.5,
      minMs: 2,
      maxMs: 3,
      p50Ms: 2.5,
      p90Ms: 2.9,
      p95Ms: 2.95,
      p99Ms: 2.99,
      sumMs: 6,
      lifetimeMinMs: 1,
      lifetimeMaxMs: 3,
      bucketCounts: [1, 2],
    });
  });

  it("summarises 1..100 with the exact PERCENTILE.INC values", () => {
    const timings = new TimingWindow(1000);
    for (let i = 100; i >= 1; i--) timings.record(i);
    expect(windowSummary(timings)).toEqual({
      count: 100,
      avgMs: 50.5,
      minMs: 1,
      maxMs: 100,
      p50Ms: 50.5,
      p90Ms: 90.1,
      p95Ms: 95.05,
      p99Ms: 99.01,
    });
  });

  it("matches a full sort of the last `window` samples, summaries interleaved (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 48 }),
        // Batches between summaries: small ones take the incremental path, big ones the rebuild.
        fc.array(
          fc.oneof(
            { weight: 3, arbitrary: fc.array(sample, { maxLength: 3 }) },
            { weight: 1, arbitrary: fc.array(sample, { minLength: 4, maxLength: 200 }) },
          ),
          { minLength: 1, maxLength: 40 },
        ),
        (window, batches) => {
          const timings = new TimingWindow(window);
          const all: number[] = [];
          for (const batch of batches) {
            for (const value of batch) {
              timings.record(value);
              all.push(value);
            }
            expect(timings.count).toBe(all.length);
            expect(timings.length).toBe(Math.min(all.length, window));
            if (all.length > 0) expectMatches(windowSummary(timings), oracle(all, window));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("stays exact over long runs that wrap the ring many times (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 17, max: 400 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 20, maxLength: 60 }),
        (window, seed, gaps) => {
          const timings = new TimingWindow(window);
          const all: number[] = [];
          let state = seed;
          const next = () => {
            state = (Math.imul(state, 1103515245) + 12345) >>> 0;
            return (state >>> 8) % 500;
          };
          // Gaps are the samples recorded between two summaries: 0..2000 (up to
          // about 5 windows), mixing the incremental path (gap <= window / 8) and the rebuild.
          for (const gap of gaps) {
            const count = gap % 3 === 0 ? gap % Math.max(2, window >> 3) : gap;
            for (let i = 0; i < count; i++) {
              const value = next() / 4;
              timings.record(value);
              all.push(value);
            }
            if (all.length > 0) expectMatches(windowSummary(timings), oracle(all, window));
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it("summarises after every single sample through many wraps (incremental path only)", () => {
    const window = 64;
    const timings = new TimingWindow(window);
    const all: number[] = [];
    for (let i = 0; i < window * 20; i++) {
      const value = (i * 7919) % 97;
      timings.record(value);
      all.push(value);
      expectMatches(windowSummary(timings), oracle(all, window));
    }
  });

  it("keeps one sample with a window of 1", () => {
    const timings = new TimingWindow(1);
    for (const value of [5, 1, 9]) {
      timings.record(value);
      expect(windowSummary(timings)).toMatchObject({ minMs: value, maxMs: value, p99Ms: value });
    }
    expect(timings.count).toBe(3);
    expect(timings.length).toBe(1);
  });

  it("keeps the mean exact when a huge sample leaves the window", () => {
    const timings = new TimingWindow(3);
    timings.record(1e16);
    timings.record(1);
    timings.record(1);
    expect(timings.average()).toBe((1e16 + 2) / 3);
    timings.record(1);
    // A naive running sum (1e16 + 1 + 1 - 1e16 + 1) would give 0 or 2 here.
    expect(timings.average()).toBe(1);
    for (let i = 0; i < 10; i++) timings.record(1);
    expect(timings.average()).toBe(1);
    expect(windowSummary(timings).avgMs).toBe(1);
  });

  it("grows its buffers up to the window, then stays that size", () => {
    const timings = new TimingWindow(100);
    // 16 slots of 8 bytes for values and 2 bytes for the order, before any growth.
    expect(timings.byteLength).toBe(160);
    for (let i = 0; i < 17; i++) timings.record(i);
    expect(timings.byteLength).toBe(320);
    for (let i = 0; i < 1000; i++) timings.record(i);
    expect(timings.byteLength).toBe(1000);
    expect(new TimingWindow(1).byteLength).toBe(10);
  });

  it("keeps the 16-bit sort order exact at its limit of 65536 samples", () => {
    const window = 65_536;
    const timings = new TimingWindow(window);
    const all: number[] = [];
    for (let i = 0; i < window + 100; i++) {
      const value = (i * 7919) % 65_537;
      timings.record(value);
      all.push(value);
    }
    expect(timings.byteLength).toBe(window * 10);
    expectMatches(windowSummary(timings), oracle(all, window));
    for (let i = 0; i < 20; i++) {
      timings.record(70_000 + i); // new maxima land in the last slots of the order
      all.push(70_000 + i);
    }
    expectMatches(windowSummary(timings), oracle(all, window));
  });

  it("uses a 32-bit sort order past 65536 samples and stays exact", () => {
    const window = 70_000;
    const timings = new TimingWindow(window);
    const all: number[] = [];
    for (let i = 0; i < window + 500; i++) {
      const value = (i * 48271) % 100_003;
      timings.record(value);
      all.push(value);
    }
    expect(timings.byteLength).toBe(window * 12);
    expectMatches(windowSummary(timings), oracle(all, window));
    // A handful more: the incremental path on the 32-bit order.
    for (let i = 0; i < 50; i++) {
      timings.record(i);
      all.push(i);
    }
    expectMatches(windowSummary(timings), oracle(all, window));
  });
});

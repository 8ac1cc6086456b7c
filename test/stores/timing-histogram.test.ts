import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSeconds } from "../../src/compute/seconds.js";
import {
  checkTimingBuckets,
  DEFAULT_BOUNDS,
  MAX_TIMING_BUCKETS,
  TimingHistogram,
} from "../../src/stores/timing-histogram.js";
import { DEFAULT_TIMING_BUCKETS_MS } from "../../src/types.js";

/** Per-bucket counts a plain scan gives: the first bound >= the value, or the last slot. */
function oracle(values: readonly number[], bounds: readonly number[]): number[] {
  const counts = new Array<number>(bounds.length + 1).fill(0);
  for (const value of values) {
    const i = bounds.findIndex((bound) => value <= bound);
    (counts[i === -1 ? bounds.length : i] as number)++;
  }
  return counts;
}

describe("TimingHistogram", () => {
  it("starts empty", () => {
    const histogram = new TimingHistogram(DEFAULT_BOUNDS);
    expect(histogram.sumMs).toBe(0);
    expect(histogram.minMs).toBe(0);
    expect(histogram.maxMs).toBe(0);
    expect(histogram.bucketCounts()).toEqual(new Array(17).fill(0));
    expect(histogram.byteLength).toBe(17 * 8);
  });

  it("puts a value equal to a bound into that bound's bucket, as Prometheus' le", () => {
    const histogram = new TimingHistogram(Float64Array.from([1, 2]));
    for (const ms of [0, 1, 1.5, 2, 2.0001, 1e9]) histogram.record(ms);
    expect(histogram.bucketCounts()).toEqual([2, 2, 2]);
    expect(histogram.minMs).toBe(0);
    expect(histogram.maxMs).toBe(1e9);
  });

  it("matches a plain scan, sum and extremes (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constantFrom(...DEFAULT_TIMING_BUCKETS_MS),
            fc.double({ min: 0, max: 20_000, noNaN: true }),
          ),
          { minLength: 1, maxLength: 200 },
        ),
        (values) => {
          const histogram = new TimingHistogram(DEFAULT_BOUNDS);
          for (const value of values) histogram.record(value);
          expect(histogram.bucketCounts()).toEqual(oracle(values, DEFAULT_TIMING_BUCKETS_MS));
          const sum = values.reduce((a, b) => a + b, 0);
          expect(Math.abs(histogram.sumMs - sum)).toBeLessThanOrEqual(1e-9 * Math.max(1, sum));
          expect(histogram.minMs).toBe(Math.min(...values));
          expect(histogram.maxMs).toBe(Math.max(...values));
        },
      ),
    );
  });

  it("keeps a lifetime sum exact where naive addition drifts", () => {
    const histogram = new TimingHistogram(DEFAULT_BOUNDS);
    histogram.record(1e15);
    for (let i = 0; i < 1000; i++) histogram.record(0.1);
    expect(histogram.sumMs).toBe(1e15 + 100);
  });

  it("reports a sum past Number.MAX_VALUE as Number.MAX_VALUE, never Infinity", () => {
    const histogram = new TimingHistogram(DEFAULT_BOUNDS);
    histogram.record(1e308);
    histogram.record(1e308);
    expect(histogram.sumMs).toBe(Number.MAX_VALUE);
  });
});

/** The next double above a positive finite `value`. */
function nextUp(value: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  view.setBigUint64(0, view.getBigUint64(0) + 1n);
  return view.getFloat64(0);
}

describe("checkTimingBuckets", () => {
  it("returns a frozen copy of valid bounds", () => {
    const bounds = [1, 2.5, 10];
    const checked = checkTimingBuckets(bounds, "timingBucketsMs");
    bounds[0] = 99;
    expect(checked).toEqual([1, 2.5, 10]);
    expect(Object.isFrozen(checked)).toBe(true);
  });

  it.each([
    [[], RangeError, /`timingBucketsMs` to hold 1 to 64 bounds, got 0/],
    [new Array(MAX_TIMING_BUCKETS + 1).fill(0).map((_, i) => i + 1), RangeError, /got 65/],
    ["1,2", TypeError, /`timingBucketsMs` to be an array/],
    [[1, "2"], TypeError, /`timingBucketsMs\[1\]` to be a number/],
    [[0, 1], RangeError, /`timingBucketsMs\[0\]` to be a finite number > 0, got 0/],
    [[1, Number.POSITIVE_INFINITY], RangeError, /`timingBucketsMs\[1\]`/],
    [[1, Number.NaN], RangeError, /`timingBucketsMs\[1\]`/],
    [[1, 1], RangeError, /strictly ascending, got 1 after 1 at index 1/],
    [[2, 1], RangeError, /strictly ascending/],
    [[0.001, 0.0010000000000000002], RangeError, /differ in their first 15 significant digits/],
    // Distinct in ms, one le="0.07362438547756" in seconds.
    [[73.62438547756004, 73.62438547756005], RangeError, /first 15 significant digits in seconds/],
    // Both 0 in seconds: dividing a subnormal by 1000 underflows.
    [[5e-324, 1e-323, 1], RangeError, /got 1e-323 after 5e-324 at index 1/],
  ])("rejects %o naming the option", (value, type, message) => {
    expect(() => checkTimingBuckets(value, "timingBucketsMs")).toThrow(type);
    expect(() => checkTimingBuckets(value, "timingBucketsMs")).toThrow(message);
  });

  it("accepts only bounds that the exporters write as distinct le values (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1e9, noNaN: true }),
        fc.integer({ min: 1, max: 64 }),
        (bound, ulps) => {
          // A bound and one a few steps of a double above it: the closest pairs there are.
          let next = bound;
          for (let i = 0; i < ulps; i++) next = nextUp(next);
          const accepted = (() => {
            try {
              checkTimingBuckets([bound, next], "timingBucketsMs");
              return true;
            } catch {
              return false;
            }
          })();
          expect(accepted).toBe(formatSeconds(bound) !== formatSeconds(next));
        },
      ),
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type DelaySlice, delaySlice, mergeDelaySlices } from "../../src/runtime/delay-window.js";

/** A histogram stand-in over explicit samples (ns), with nearest-rank percentiles like Node's. */
function histogram(samplesNs: number[]) {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.length > 0 ? sorted.reduce((s, v) => s + v, 0) / sorted.length : Number.NaN,
    max: sorted.at(-1) ?? 0,
    percentile: (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0,
  };
}

const ms = (value: number) => value * 1e6;

describe("delaySlice", () => {
  it("reads the delay beyond the sampling interval, in milliseconds", () => {
    const slice = delaySlice(histogram([ms(10.5), ms(10.5), ms(12), ms(310)]), 10);
    expect(slice).toEqual({
      count: 4,
      sumMs: 303,
      maxMs: 300,
      p50Ms: 0.5,
      p90Ms: 300,
      p99Ms: 300,
    });
  });

  it("never reads a negative delay, and gives zeros for an empty histogram (whose mean is NaN)", () => {
    expect(delaySlice(histogram([ms(9.9)]), 10)).toMatchObject({ maxMs: 0, p99Ms: 0, sumMs: 0 });
    expect(delaySlice(histogram([]), 10)).toEqual({
      count: 0,
      sumMs: 0,
      maxMs: 0,
      p50Ms: 0,
      p90Ms: 0,
      p99Ms: 0,
    });
  });
});

describe("mergeDelaySlices", () => {
  it("is exact for count, mean and maximum, and takes the largest slice percentile", () => {
    const a: DelaySlice = { count: 100, sumMs: 100, maxMs: 5, p50Ms: 1, p90Ms: 2, p99Ms: 4 };
    const b: DelaySlice = { count: 300, sumMs: 900, maxMs: 250, p50Ms: 2, p90Ms: 3, p99Ms: 240 };
    const empty: DelaySlice = { count: 0, sumMs: 0, maxMs: 0, p50Ms: 0, p90Ms: 0, p99Ms: 0 };
    expect(mergeDelaySlices([a, empty, b])).toEqual({
      count: 400,
      meanMs: 2.5,
      maxMs: 250,
      p50Ms: 2,
      p90Ms: 3,
      p99Ms: 240,
    });
    expect(mergeDelaySlices([])).toEqual({
      count: 0,
      meanMs: 0,
      maxMs: 0,
      p50Ms: 0,
      p90Ms: 0,
      p99Ms: 0,
    });
  });

  it("never reads a window percentile below the true one over all samples (property)", () => {
    const samples = fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(fc.array(samples, { minLength: 1, maxLength: 6 }), (parts) => {
        const merged = mergeDelaySlices(
          parts.map((part) => delaySlice(histogram(part.map(ms)), 0)),
        );
        const all = histogram(parts.flat().map(ms));
        for (const [field, p] of [
          ["p50Ms", 50],
          ["p90Ms", 90],
          ["p99Ms", 99],
        ] as const) {
          expect(merged[field]).toBeGreaterThanOrEqual(all.percentile(p) / 1e6);
        }
        expect(merged.maxMs).toBe(all.max / 1e6);
        expect(merged.count).toBe(all.count);
        expect(merged.meanMs).toBeCloseTo(all.mean / 1e6, 9);
      }),
    );
  });
});

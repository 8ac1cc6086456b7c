import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { meanSorted, mergeSorted } from "../../src/cluster/merge-sorted.js";

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

const sample = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);

describe("mergeSorted", () => {
  it("equals a sort of every run concatenated (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.array(sample, { maxLength: 40 }), { maxLength: 9 }), (runs) => {
        const sortedRuns = runs.map((run) => Float64Array.from(ascending(run)));
        expect([...mergeSorted(sortedRuns)]).toEqual(ascending(runs.flat()));
      }),
    );
  });

  it("never returns or changes a run it was given", () => {
    const run = Float64Array.from([1, 2, 3]);
    const merged = mergeSorted([run]);
    expect(merged).not.toBe(run);
    merged[0] = 99;
    expect([...run]).toEqual([1, 2, 3]);
    expect(mergeSorted([])).toEqual(new Float64Array(0));
  });

  it("accepts plain arrays", () => {
    expect([...mergeSorted([[1, 4], [2, 3], [0]])]).toEqual([0, 1, 2, 3, 4]);
  });
});

describe("meanSorted", () => {
  it("is 0 for no values and the exact mean for exactly representable ones", () => {
    expect(meanSorted([])).toBe(0);
    expect(meanSorted([0.25, 0.5, 2.75])).toBe(3.5 / 3);
  });

  it("stays within [first, last] and within rounding of the naive mean (property)", () => {
    fc.assert(
      fc.property(fc.array(sample, { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = ascending(values);
        const mean = meanSorted(sorted);
        const naive = values.reduce((a, b) => a + b, 0) / values.length;
        expect(mean).toBeGreaterThanOrEqual(sorted[0] as number);
        expect(mean).toBeLessThanOrEqual(sorted.at(-1) as number);
        expect(Math.abs(mean - naive)).toBeLessThanOrEqual(1e-9 * Math.max(1, naive));
      }),
    );
  });

  it("does not overflow to Infinity near Number.MAX_VALUE", () => {
    const huge = Number.MAX_VALUE / 2;
    const mean = meanSorted([huge, huge, huge, huge]);
    expect(Number.isFinite(mean)).toBe(true);
    expect(mean).toBeCloseTo(huge, -300);
  });
});

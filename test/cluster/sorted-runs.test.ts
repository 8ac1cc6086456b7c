import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  lengthOf,
  maxOfRuns,
  meanOfRuns,
  minOfRuns,
  percentileOfRuns,
  selectRank,
} from "../../src/cluster/sorted-runs.js";
import { percentileSorted } from "../../src/compute/percentile.js";

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

const sample = fc.oneof(
  fc.integer({ min: 0, max: 20 }), // many ties, within and across runs
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);
const runs = fc.array(fc.array(sample, { maxLength: 40 }), { minLength: 1, maxLength: 9 });
const toRuns = (arrays: number[][]) => arrays.map((run) => Float64Array.from(ascending(run)));

describe("selectRank", () => {
  it("gives every rank of the union as a full sort does (property)", () => {
    fc.assert(
      fc.property(runs, (arrays) => {
        const sorted = ascending(arrays.flat());
        const sortedRuns = toRuns(arrays);
        expect(lengthOf(sortedRuns)).toBe(sorted.length);
        sorted.forEach((value, rank) => {
          expect(selectRank(sortedRuns, rank)).toBe(value);
        });
      }),
    );
  });

  it("rejects a rank outside the union, naming it", () => {
    const sortedRuns = toRuns([[1, 2], [3]]);
    expect(() => selectRank(sortedRuns, 3)).toThrow(/`rank` to be an integer from 0 to 2, got 3/);
    expect(() => selectRank(sortedRuns, -1)).toThrow(RangeError);
    expect(() => selectRank(sortedRuns, 0.5)).toThrow(RangeError);
    expect(() => selectRank([], 0)).toThrow(RangeError);
  });

  it("does not change the runs", () => {
    const sortedRuns = toRuns([
      [1, 5, 9],
      [2, 2, 7],
    ]);
    const before = sortedRuns.map((run) => [...run]);
    selectRank(sortedRuns, 4);
    expect(sortedRuns.map((run) => [...run])).toEqual(before);
  });
});

describe("percentileOfRuns", () => {
  it("equals percentileSorted of the union, for every percent (property)", () => {
    fc.assert(
      fc.property(runs, fc.integer({ min: 0, max: 100 }), (arrays, percent) => {
        fc.pre(arrays.flat().length > 0);
        expect(percentileOfRuns(toRuns(arrays), percent)).toBe(
          percentileSorted(ascending(arrays.flat()), percent),
        );
      }),
    );
  });
});

describe("minOfRuns, maxOfRuns, meanOfRuns", () => {
  it("read the extremes and the mean of the union, empty runs included", () => {
    const sortedRuns = toRuns([[], [0.25, 3], [1, 2.75], []]);
    expect(minOfRuns(sortedRuns)).toBe(0.25);
    expect(maxOfRuns(sortedRuns)).toBe(3);
    expect(meanOfRuns(sortedRuns)).toBe(7 / 4);
    expect(meanOfRuns([])).toBe(0);
    expect(minOfRuns([])).toBe(Number.POSITIVE_INFINITY);
    expect(maxOfRuns([new Float64Array(0)])).toBe(Number.NEGATIVE_INFINITY);
  });

  it("keep the mean within the extremes and within rounding of the naive mean (property)", () => {
    fc.assert(
      fc.property(runs, (arrays) => {
        const values = arrays.flat();
        fc.pre(values.length > 0);
        const sortedRuns = toRuns(arrays);
        const mean = meanOfRuns(sortedRuns);
        const naive = values.reduce((a, b) => a + b, 0) / values.length;
        expect(mean).toBeGreaterThanOrEqual(minOfRuns(sortedRuns));
        expect(mean).toBeLessThanOrEqual(maxOfRuns(sortedRuns));
        expect(Math.abs(mean - naive)).toBeLessThanOrEqual(1e-9 * Math.max(1, naive));
      }),
    );
  });

  it("do not overflow to Infinity near Number.MAX_VALUE", () => {
    const huge = Number.MAX_VALUE / 2;
    const mean = meanOfRuns([Float64Array.from([huge, huge]), Float64Array.from([huge, huge])]);
    expect(Number.isFinite(mean)).toBe(true);
    expect(mean).toBe(huge);
  });
});

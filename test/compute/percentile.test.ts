import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  percentileIndexed,
  percentileOfRanks,
  percentileSorted,
} from "../../src/compute/percentile.js";
import { SUMMARY_PERCENTILES } from "../../src/types.js";

const oneToHundred = Array.from({ length: 100 }, (_, i) => i + 1);

/** numpy's default ("linear") percentile, written from its definition. */
function numpyLinear(sorted: readonly number[], percent: number): number {
  const h = ((sorted.length - 1) * percent) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

describe("percentileSorted", () => {
  it("gives the PERCENTILE.INC values for 1..100 exactly", () => {
    expect(percentileSorted(oneToHundred, 50)).toBe(50.5);
    expect(percentileSorted(oneToHundred, 90)).toBe(90.1);
    expect(percentileSorted(oneToHundred, 95)).toBe(95.05);
    expect(percentileSorted(oneToHundred, 99)).toBe(99.01);
    expect(percentileSorted(oneToHundred, 0)).toBe(1);
    expect(percentileSorted(oneToHundred, 100)).toBe(100);
    expect(percentileSorted(oneToHundred, 25)).toBe(25.75);
  });

  it("handles one, two and four samples", () => {
    expect(percentileSorted([7], 0)).toBe(7);
    expect(percentileSorted([7], 99)).toBe(7);
    expect(percentileSorted([1, 3], 50)).toBe(2);
    expect(percentileSorted([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileSorted(new Float64Array([10, 20, 30, 40, 50]), 90)).toBe(46);
  });

  it("is NaN for no samples", () => {
    expect(percentileSorted([], 50)).toBeNaN();
  });

  it("stays finite and between the samples for finite values of any size", () => {
    const max = Number.MAX_VALUE;
    expect(percentileSorted([0, max], 99)).toBe(max * 0.99);
    expect(percentileSorted([-max, max], 50)).toBe(0);
    expect(Math.abs(percentileSorted([-max, max], 25) + max / 2)).toBeLessThan(max * 1e-15);
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 50,
        }),
        fc.integer({ min: 0, max: 100 }),
        (samples, percent) => {
          const sorted = [...samples].sort((a, b) => a - b);
          const actual = percentileSorted(sorted, percent);
          expect(Number.isFinite(actual)).toBe(true);
          expect(actual).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(actual).toBeLessThanOrEqual(sorted.at(-1) as number);
        },
      ),
    );
  });

  it.each([
    [150, RangeError],
    [-10, RangeError],
    [Number.NaN, RangeError],
    [Number.POSITIVE_INFINITY, RangeError],
    ["50", TypeError],
  ])("rejects percent %s, naming it", (percent, type) => {
    expect(() => percentileSorted([1, 2, 3], percent as number)).toThrow(type);
    expect(() => percentileSorted([1, 2, 3], percent as number)).toThrow(/`percent`/);
  });

  it("matches numpy's linear definition and stays within the samples (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 100 }),
        (samples, percent) => {
          const sorted = [...samples].sort((a, b) => a - b);
          const actual = percentileSorted(sorted, percent);
          const expected = numpyLinear(sorted, percent);
          expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
          expect(actual).toBeGreaterThanOrEqual(sorted[0] as number);
          expect(actual).toBeLessThanOrEqual(sorted.at(-1) as number);
        },
      ),
    );
  });

  it("never decreases as the percent grows (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 100 }),
        (samples) => {
          const sorted = [...samples].sort((a, b) => a - b);
          let previous = Number.NEGATIVE_INFINITY;
          for (let percent = 0; percent <= 100; percent++) {
            const value = percentileSorted(sorted, percent);
            expect(value).toBeGreaterThanOrEqual(previous);
            previous = value;
          }
        },
      ),
    );
  });
});

describe("percentileIndexed", () => {
  it("reads values through a sort order the same as a sorted copy (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (samples, percent) => {
          const values = Float64Array.from(samples);
          const order = Uint16Array.from(samples.keys()).sort(
            (a, b) => (values[a] as number) - (values[b] as number),
          );
          const sorted = [...samples].sort((a, b) => a - b);
          expect(percentileIndexed(values, order, samples.length, percent)).toBe(
            percentileSorted(sorted, percent),
          );
        },
      ),
    );
  });

  it("uses only the first `length` ranks", () => {
    expect(percentileIndexed([1, 2, 3, 1000], undefined, 3, 100)).toBe(3);
    expect(percentileIndexed([1, 2, 3, 1000], undefined, 3, 50)).toBe(2);
  });
});

describe("SUMMARY_PERCENTILES", () => {
  it("are the four a summary reports", () => {
    expect(SUMMARY_PERCENTILES).toEqual([50, 90, 95, 99]);
  });
});

describe("percentileOfRanks", () => {
  it("gives what percentileSorted gives, asking for at most two ranks (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 0, max: 100 }),
        (samples, percent) => {
          const sorted = [...samples].sort((a, b) => a - b);
          const asked: number[] = [];
          const value = percentileOfRanks(
            (rank) => {
              asked.push(rank);
              return sorted[rank] as number;
            },
            sorted.length,
            percent,
          );
          expect(value).toBe(percentileSorted(sorted, percent));
          expect(asked.length).toBeLessThanOrEqual(2);
        },
      ),
    );
  });
});

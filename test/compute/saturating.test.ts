import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { add, roundMb, sum } from "../../src/compute/saturating.js";

const max = Number.MAX_VALUE;

describe("add and sum", () => {
  it("hold the result within ±Number.MAX_VALUE", () => {
    expect(add(max, max)).toBe(max);
    expect(add(-max, -max)).toBe(-max);
    expect(sum([max, max, 1])).toBe(max);
    expect(sum([])).toBe(0);
  });

  it("are plain addition wherever that is finite (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true })), (values) => {
        let plain = 0;
        for (const value of values) plain += value;
        expect(sum(values)).toBe(plain);
      }),
    );
  });
});

describe("roundMb", () => {
  it("rounds to 4 decimals, without the noise of summing such figures", () => {
    expect(roundMb(0.1 + 0.2)).toBe(0.3);
    expect(roundMb(1.23456)).toBe(1.2346);
  });

  it("returns a figure too large to scale as it is, never Infinity", () => {
    expect(roundMb(max)).toBe(max);
    expect(roundMb(1e305)).toBe(1e305);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSeconds, hasMoreThan15Digits, msToSeconds } from "../../src/compute/seconds.js";

/** Significant digits of a number's `String` text, counted the slow and obvious way. */
function significantDigits(text: string): number {
  const mantissa = text.split("e")[0] as string;
  return mantissa.replace(/[-.]/g, "").replace(/^0+/, "").length;
}

describe("hasMoreThan15Digits", () => {
  it.each([
    ["0", false],
    ["123456789012345", false],
    ["0.123456789012345", false],
    ["0.000123456789012345", false],
    ["1.23456789012345e-7", false],
    ["1234567890123456", true],
    ["9.192245000000002", true],
    ["0.00042500000000000003", true],
    ["1.2345678901234567e-10", true],
    ["1.2345678901234567e+21", true],
    ["100000000000000000000", true],
  ])("%s: %s", (text, expected) => {
    expect(hasMoreThan15Digits(text)).toBe(expected);
  });

  it("agrees with counting the digits, for any double", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = String(value);
        expect(hasMoreThan15Digits(text)).toBe(significantDigits(text) > 15);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("msToSeconds and formatSeconds", () => {
  it.each([
    [0.425, "0.000425"],
    [9192.245, "9.192245"],
    [9573.603, "9.573603"],
    [7274.595, "7.274595"],
    [5.0945, "0.0050945"],
    [1, "0.001"],
    [0, "0"],
    [1e-7, "1e-10"],
    [60_000, "60"],
  ])("%s ms is %s s", (ms, text) => {
    expect(formatSeconds(ms)).toBe(text);
    expect(msToSeconds(ms)).toBe(Number(text));
  });

  it("writes at most 15 significant digits, within rounding of the quotient", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 2 ** 53, noNaN: true }), (ms) => {
        const text = formatSeconds(ms);
        expect(significantDigits(text)).toBeLessThanOrEqual(15);
        expect(Number(text)).toBe(msToSeconds(ms));
        // Rounding to 15 digits moves a value by at most half a unit in its 15th digit.
        const seconds = ms / 1000;
        expect(Math.abs(Number(text) - seconds)).toBeLessThanOrEqual(seconds * 5.1e-15);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaves a quotient of 15 digits or fewer exactly as divided", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 12 }), (micros) => {
        const ms = micros / 1000;
        if (!hasMoreThan15Digits(String(ms / 1000))) expect(msToSeconds(ms)).toBe(ms / 1000);
      }),
    );
  });
});

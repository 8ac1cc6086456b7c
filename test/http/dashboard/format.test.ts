import { describe, expect, it } from "vitest";
import {
  finiteOrZero,
  formatCount,
  formatDuration,
  formatMb,
  formatMs,
  formatPercent,
  formatScore,
  formatSpan,
  formatTime,
  MISSING,
} from "../../../src/http/dashboard/format.js";

const NOT_NUMBERS = [
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  "5",
  null,
  undefined,
  {},
];

describe("finiteOrZero", () => {
  it("keeps finite numbers and turns everything else into 0", () => {
    expect(finiteOrZero(-2.5)).toBe(-2.5);
    expect(finiteOrZero(0)).toBe(0);
    for (const value of NOT_NUMBERS) expect(finiteOrZero(value)).toBe(0);
  });
});

describe("formatMs", () => {
  it("shows about three significant digits, by magnitude", () => {
    expect(formatMs(0)).toBe("0");
    expect(formatMs(0.12345)).toBe("0.123");
    expect(formatMs(1.2345)).toBe("1.23");
    expect(formatMs(12.345)).toBe("12.3");
    expect(formatMs(123.45)).toBe("123");
    expect(formatMs(99.96)).toBe("100.0"); // below 100, so one decimal, rounded up
    expect(formatMs(-0.5)).toBe("-0.500");
  });

  it("shows a dash, never NaN or Infinity, for a missing value", () => {
    for (const value of NOT_NUMBERS) expect(formatMs(value)).toBe(MISSING);
  });
});

describe("formatCount", () => {
  it("shortens from 10 000 on, with one decimal", () => {
    expect(formatCount(9999)).toBe("9999");
    expect(formatCount(10_000)).toBe("10.0k");
    expect(formatCount(123_456)).toBe("123.5k");
    expect(formatCount(4_500_000)).toBe("4.5M");
    expect(formatCount(1_234_000_000)).toBe("1.2G");
    expect(formatCount(-25_000)).toBe("-25.0k");
  });

  it("keeps up to two decimals below 10 000 and counts nonsense as 0", () => {
    expect(formatCount(2.345)).toBe("2.35");
    expect(formatCount(7)).toBe("7");
    for (const value of NOT_NUMBERS) expect(formatCount(value)).toBe("0");
  });
});

describe("formatScore", () => {
  it("shows one decimal", () => {
    expect(formatScore(54)).toBe("54.0");
    expect(formatScore(70.25)).toBe("70.3");
    expect(formatScore(Number.NaN)).toBe("0.0");
  });
});

describe("formatDuration", () => {
  it("shows seconds, then minutes and seconds, then hours and minutes", () => {
    expect(formatDuration(0)).toBe("0s");
    expect(formatDuration(59.9)).toBe("59s");
    expect(formatDuration(60)).toBe("1m 00s");
    expect(formatDuration(187)).toBe("3m 07s");
    expect(formatDuration(3600)).toBe("1h 00m");
    expect(formatDuration(5 * 3600 + 2 * 60 + 59)).toBe("5h 02m");
    expect(formatDuration(12 * 60 + 34)).toBe("12m 34s");
    expect(formatDuration(30 * 3600 + 45 * 60)).toBe("30h 45m");
    expect(formatDuration(-5)).toBe("0s");
    expect(formatDuration(Number.NaN)).toBe("0s");
  });
});

describe("formatTime", () => {
  it("shows epoch milliseconds and ISO strings as the same local time of day", () => {
    const epochMs = Date.UTC(2024, 4, 1, 12, 34, 56);
    const expected = new Date(epochMs).toLocaleTimeString();
    expect(formatTime(epochMs)).toBe(expected);
    expect(formatTime(new Date(epochMs).toISOString())).toBe(expected);
  });

  it("shows a dash for anything that is no date", () => {
    for (const value of ["yesterday", Number.NaN, 1e20, null, undefined]) {
      expect(formatTime(value)).toBe(MISSING);
    }
  });
});

describe("formatSpan", () => {
  it("rounds to seconds below a minute and to minutes from one on", () => {
    expect(formatSpan(30_000)).toBe("30 s");
    expect(formatSpan(59_400)).toBe("59 s");
    expect(formatSpan(60_000)).toBe("1 min");
    expect(formatSpan(300_000)).toBe("5 min");
    expect(formatSpan(Number.NaN)).toBe("0 s");
  });
});

describe("formatPercent and formatMb", () => {
  it("write a ratio as a percentage and megabytes with two decimals", () => {
    expect(formatPercent(0.075)).toBe("7.5%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(Number.NaN)).toBe("0.0%");
    expect(formatMb(0.0123)).toBe("0.01 MB");
    expect(formatMb(undefined)).toBe("0.00 MB");
  });
});

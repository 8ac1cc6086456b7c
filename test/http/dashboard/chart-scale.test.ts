import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CHART_PADDING,
  chartFrame,
  chartX,
  chartY,
  niceCeil,
} from "../../../src/http/dashboard/chart-scale.js";
import { LatencyHistory } from "../../../src/http/dashboard/history.js";

const NICE_MANTISSAS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

describe("niceCeil", () => {
  it("rounds up to the next readable number", () => {
    expect(niceCeil(0.57)).toBe(0.6);
    expect(niceCeil(0.3)).toBe(0.3); // not 0.30000000000000004
    expect(niceCeil(27.8)).toBe(30);
    expect(niceCeil(60)).toBe(60);
    expect(niceCeil(864)).toBe(1000);
    expect(niceCeil(1000)).toBe(1000);
    expect(niceCeil(1001)).toBe(1500);
  });

  it("is 1 for nothing to plot", () => {
    for (const value of [0, -5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(niceCeil(value)).toBe(1);
  });

  it("stays finite near the largest double", () => {
    expect(niceCeil(1.7e308)).toBe(1.7e308);
    expect(Number.isFinite(niceCeil(Number.MAX_VALUE))).toBe(true);
  });

  it("is the smallest nice number at or above the value (against a scan of the decades)", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1e12, noNaN: true }), (value) => {
        const nice = niceCeil(value);
        expect(nice).toBeGreaterThanOrEqual(value);
        expect(nice).toBeLessThanOrEqual(value * 1.5 * (1 + 1e-9));
        const exponent = Math.floor(Math.log10(nice));
        const mantissa = Number((nice / 10 ** exponent).toPrecision(10));
        expect(NICE_MANTISSAS).toContain(mantissa);
      }),
    );
  });
});

function historyOf(points: [timeMs: number, p99Ms: number][], capacity = 16): LatencyHistory {
  const history = new LatencyHistory(capacity);
  for (const [timeMs, p99Ms] of points) history.push(timeMs, { p50Ms: p99Ms / 2, p99Ms });
  return history;
}

describe("chartFrame", () => {
  it("spans the whole window once the history fills it, and scales to the largest value", () => {
    const history = historyOf([
      [0, 5],
      [30_000, 27.8],
      [60_000, 12],
    ]);
    const frame = chartFrame(history, 60_000, 60_000, 1000);
    expect(frame).toEqual({ windowStartMs: 0, fromMs: 0, spanMs: 60_000, yMax: 30, points: 3 });
  });

  it("spans only what there is while the history is young", () => {
    const history = historyOf([
      [50_000, 1],
      [55_000, 2],
    ]);
    const frame = chartFrame(history, 55_000, 300_000, 1000);
    expect(frame.fromMs).toBe(50_000);
    expect(frame.spanMs).toBe(5000);
    expect(frame.points).toBe(2);
  });

  it("spans at least one poll interval with a single point", () => {
    const frame = chartFrame(historyOf([[10_000, 4]]), 10_000, 60_000, 1000);
    expect(frame).toMatchObject({ fromMs: 9000, spanMs: 1000, points: 1, yMax: 4 });
  });

  it("leaves out points older than the window, in count and in scale", () => {
    const history = historyOf([
      [0, 900],
      [70_000, 10],
      [80_000, 20],
    ]);
    const frame = chartFrame(history, 80_000, 60_000, 1000);
    expect(frame.points).toBe(2);
    expect(frame.yMax).toBe(20);
    expect(frame.windowStartMs).toBe(20_000);
    expect(frame.fromMs).toBe(70_000);
  });

  it("has a positive span and y maximum for an empty history", () => {
    const frame = chartFrame(new LatencyHistory(4), 5000, 60_000, 1000);
    expect(frame).toEqual({
      windowStartMs: -55_000,
      fromMs: 4000,
      spanMs: 1000,
      yMax: 1,
      points: 0,
    });
  });
});

describe("chartX and chartY", () => {
  const frame = { windowStartMs: 0, fromMs: 1000, spanMs: 4000, yMax: 50, points: 2 };

  it("map the frame's corners to the plot's corners", () => {
    expect(chartX(1000, frame, 10, 200)).toBe(10);
    expect(chartX(5000, frame, 10, 200)).toBe(210);
    expect(chartX(3000, frame, 10, 200)).toBe(110);
    expect(chartY(0, frame, 8, 100)).toBe(108);
    expect(chartY(50, frame, 8, 100)).toBe(8);
    expect(chartY(25, frame, 8, 100)).toBe(58);
  });

  it("leave room for labels only on the big chart", () => {
    expect(CHART_PADDING.big.left).toBeGreaterThan(CHART_PADDING.small.left);
    expect(CHART_PADDING.big.bottom).toBeGreaterThan(CHART_PADDING.small.bottom);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { historyCapacity, LatencyHistory } from "../../../src/http/dashboard/history.js";
import { SERIES } from "../../../src/http/dashboard/series.js";

const summary = (p50Ms: number, p90Ms = p50Ms, p95Ms = p90Ms, p99Ms = p95Ms) => ({
  p50Ms,
  p90Ms,
  p95Ms,
  p99Ms,
});

/** Everything a history holds, oldest first. */
function contents(history: LatencyHistory): number[][] {
  return Array.from({ length: history.size }, (_, i) => [
    history.timeAt(i),
    ...SERIES.map((_, k) => history.valueAt(i, k)),
  ]);
}

describe("historyCapacity", () => {
  it("covers the chart's span in polls, plus two", () => {
    expect(historyCapacity(300_000, 1000)).toBe(302);
    expect(historyCapacity(30_000, 200)).toBe(152);
    expect(historyCapacity(1000, 3000)).toBe(3);
  });
});

describe("LatencyHistory", () => {
  it("keeps every point until full, then drops the oldest", () => {
    const history = new LatencyHistory(3);
    history.push(1, summary(1));
    history.push(2, summary(2, 3, 4, 5));
    expect(contents(history)).toEqual([
      [1, 1, 1, 1, 1],
      [2, 2, 3, 4, 5],
    ]);
    history.push(3, summary(3));
    history.push(4, summary(4));
    history.push(5, summary(5));
    expect(history.size).toBe(3);
    expect(contents(history).map((row) => row[0])).toEqual([3, 4, 5]);
  });

  it("stores missing and non-finite values as 0", () => {
    const history = new LatencyHistory(2);
    history.push(7, { p50Ms: Number.NaN, p99Ms: Number.POSITIVE_INFINITY });
    expect(contents(history)).toEqual([[7, 0, 0, 0, 0]]);
  });

  it("keeps each series in its own slot (no shared storage between points)", () => {
    const history = new LatencyHistory(4);
    for (let i = 0; i < 4; i++)
      history.push(i, summary(i * 10, i * 10 + 1, i * 10 + 2, i * 10 + 3));
    expect(contents(history)[2]).toEqual([2, 20, 21, 22, 23]);
  });

  it("holds the newest points, oldest first, as an array would (model test)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 1000 }))),
        (capacity, pushes) => {
          const history = new LatencyHistory(capacity);
          const model: number[][] = [];
          for (const [timeMs, value] of pushes) {
            history.push(timeMs, summary(value, value + 1, value + 2, value + 3));
            model.push([timeMs, value, value + 1, value + 2, value + 3]);
            if (model.length > capacity) model.shift();
          }
          expect(contents(history)).toEqual(model);
        },
      ),
    );
  });

  it("rejects a capacity that is not a positive integer and an index outside it", () => {
    for (const capacity of [0, -1, 1.5, Number.NaN]) {
      expect(() => new LatencyHistory(capacity)).toThrow(/`capacity`/);
    }
    const history = new LatencyHistory(2);
    expect(() => history.timeAt(0)).toThrow(RangeError);
    history.push(1, summary(1));
    expect(() => history.valueAt(1, 0)).toThrow(/`index`/);
    expect(() => history.timeAt(-1)).toThrow(/`index`/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ErrorHistory } from "../../src/stores/error-history.js";
import { ErrorInfo } from "../../src/stores/error-info.js";

const info = (i: number) => new ErrorInfo(new Error(`e${i}`), "ctx", undefined, i);

describe("ErrorHistory", () => {
  it("matches an array slice of everything pushed (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.oneof(fc.constant("push" as const), fc.integer({ min: 0, max: 20 })), {
          maxLength: 120,
        }),
        (capacity, ops) => {
          const history = new ErrorHistory(capacity);
          const pushed: ErrorInfo[] = [];
          for (const op of ops) {
            if (op === "push") {
              const record = info(pushed.length);
              history.push(record);
              pushed.push(record);
            } else {
              const kept = capacity === 0 ? [] : pushed.slice(-capacity);
              const expected = op === 0 ? [] : kept.slice(-op);
              expect(history.recent(op)).toEqual(expected);
            }
            expect(history.total).toBe(pushed.length);
            expect(history.size).toBe(Math.min(pushed.length, capacity));
          }
        },
      ),
    );
  });

  it("returns the newest records oldest first", () => {
    const history = new ErrorHistory(3);
    for (let i = 0; i < 5; i++) history.push(info(i));
    expect(history.recent(10).map((r) => r.timestamp)).toEqual([2, 3, 4]);
    expect(history.recent(2).map((r) => r.timestamp)).toEqual([3, 4]);
    expect(history.recent(0)).toEqual([]);
  });

  it("counts with a capacity of 0 but keeps nothing", () => {
    const history = new ErrorHistory(0);
    history.push(info(1));
    history.push(info(2));
    expect(history.total).toBe(2);
    expect(history.size).toBe(0);
    expect(history.recent(10)).toEqual([]);
  });

  it("clears the records and the lifetime count", () => {
    const history = new ErrorHistory(2);
    for (let i = 0; i < 5; i++) history.push(info(i));
    history.clear();
    expect(history.total).toBe(0);
    expect(history.size).toBe(0);
    expect(history.recent(5)).toEqual([]);
    history.push(info(9));
    expect(history.recent(5).map((r) => r.timestamp)).toEqual([9]);
  });
});

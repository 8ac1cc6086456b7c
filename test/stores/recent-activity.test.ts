import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bucketOf,
  RECENT_ACTIVITY_BUCKETS,
  RecentActivityWindow,
} from "../../src/stores/recent-activity.js";

type Op =
  | { kind: "calls"; advanceMs: number; count: number }
  | { kind: "error"; advanceMs: number }
  | { kind: "read"; advanceMs: number }
  | { kind: "clear" };

/**
 * The naive oracle: every event kept with the bucket it counts in (`floor(t / bucketMs)`,
 * or the newest bucket reached when the clock went back), and a read sums the events
 * of the last `buckets` buckets.
 */
class Oracle {
  readonly #bucketMs: number;
  readonly #buckets: number;
  #events: { bucket: number; calls: number; errors: number }[] = [];
  #head = Number.NEGATIVE_INFINITY;

  constructor(windowMs: number, buckets: number) {
    this.#bucketMs = windowMs / buckets;
    this.#buckets = buckets;
  }

  #reach(nowMs: number): number {
    this.#head = Math.max(this.#head, Math.floor(nowMs / this.#bucketMs));
    return this.#head;
  }

  add(nowMs: number, calls: number, errors: number): void {
    this.#events.push({ bucket: this.#reach(nowMs), calls, errors });
  }

  read(nowMs: number): { calls: number; errors: number } {
    const oldest = this.#reach(nowMs) - this.#buckets + 1;
    let calls = 0;
    let errors = 0;
    for (const event of this.#events) {
      if (event.bucket < oldest) continue;
      calls += event.calls;
      errors += event.errors;
    }
    return { calls, errors };
  }

  clear(): void {
    this.#events = [];
  }
}

const advance = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 400 }), weight: 2 },
  // A bucket, a window, just under and over them, and a clock stepping back.
  { arbitrary: fc.constantFrom(10, 99, 100, 101, 999, 1000, 1001, 5000, -1, -150), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 400 }).map((ms) => ms + 0.5), weight: 1 },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("calls" as const),
      advanceMs: advance,
      count: fc.integer({ min: 1, max: 1000 }),
    }),
    weight: 5,
  },
  { arbitrary: fc.record({ kind: fc.constant("error" as const), advanceMs: advance }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("read" as const), advanceMs: advance }), weight: 3 },
  { arbitrary: fc.constant({ kind: "clear" as const }), weight: 1 },
);

describe("RecentActivityWindow", () => {
  it("counts exactly what a naive list of events says, for any sequence (property)", () => {
    fc.assert(
      fc.property(
        // Integer bucket widths: 1000 ms windows cut into 10 buckets of 100 ms, and so on.
        fc.constantFrom([1000, 10], [1000, 1], [60, 60], [3000, 3]),
        fc.integer({ min: 0, max: 10_000 }),
        fc.array(op, { maxLength: 300 }),
        ([windowMs, buckets], startMs, ops) => {
          const window = new RecentActivityWindow(windowMs, buckets);
          const oracle = new Oracle(windowMs, buckets);
          let nowMs = 1_700_000_000_000 + startMs;
          for (const step of ops) {
            if (step.kind === "clear") {
              window.clear();
              oracle.clear();
              continue;
            }
            nowMs += step.advanceMs;
            if (step.kind === "calls") {
              window.addCalls(nowMs, step.count);
              oracle.add(nowMs, step.count, 0);
            } else if (step.kind === "error") {
              window.addError(nowMs);
              oracle.add(nowMs, 0, 1);
            } else {
              const { calls, errors } = oracle.read(nowMs);
              const attempts = Math.max(calls, errors);
              expect(window.read(nowMs)).toEqual({
                windowMs,
                calls,
                errors,
                errorRate: attempts > 0 ? errors / attempts : 0,
              });
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("counts an event for at least windowMs - bucketMs and never longer than windowMs", () => {
    const window = new RecentActivityWindow(60_000); // 60 buckets of 1 s
    window.addError(10_500);
    expect(window.read(10_500 + 58_999).errors).toBe(1); // 59.0 s later: still in
    expect(window.read(69_999).errors).toBe(1); // the last millisecond of its window
    expect(window.read(70_000).errors).toBe(0); // 59.5 s later: its bucket left
    const late = new RecentActivityWindow(60_000);
    late.addError(10_999);
    expect(late.read(69_999).errors).toBe(1);
    expect(late.read(70_000).errors).toBe(0); // 59.001 s: never beyond 60 s
  });

  it("gives the failed share of calls, a failure without a counted call counting as one", () => {
    const window = new RecentActivityWindow(60_000);
    expect(window.read(0)).toEqual({ windowMs: 60_000, calls: 0, errors: 0, errorRate: 0 });
    for (let i = 0; i < 3; i++) window.addError(1);
    expect(window.read(1)).toEqual({ windowMs: 60_000, calls: 0, errors: 3, errorRate: 1 });
    window.addCalls(2, 12);
    expect(window.read(2)).toEqual({ windowMs: 60_000, calls: 12, errors: 3, errorRate: 0.25 });
  });

  it("counts a write stamped before the newest bucket (a clock stepped back) in the newest", () => {
    const window = new RecentActivityWindow(10_000, 10);
    window.addCalls(50_000, 1);
    window.addCalls(1_000, 2); // 49 s earlier
    expect(window.read(50_000).calls).toBe(3);
    expect(window.read(59_999).calls).toBe(3);
    expect(window.read(60_000).calls).toBe(0); // both left with the newest bucket
  });

  it("never reports NaN or Infinity, with counts near Number.MAX_VALUE", () => {
    const window = new RecentActivityWindow(2000, 2);
    window.addCalls(0, Number.MAX_VALUE);
    window.addCalls(1000, Number.MAX_VALUE);
    window.addCalls(1000, 5);
    window.addError(1000);
    const full = window.read(1000);
    expect(full.calls).toBe(Number.MAX_VALUE);
    expect(Number.isFinite(full.errorRate)).toBe(true);
    // The first bucket leaves: the total is summed again, not Infinity - MAX_VALUE.
    expect(window.read(2000)).toMatchObject({ calls: Number.MAX_VALUE, errors: 1 });
    expect(window.read(3000)).toEqual({ windowMs: 2000, calls: 0, errors: 0, errorRate: 0 });
  });

  it("leaves no float residue from fractional counts once they left the window", () => {
    const window = new RecentActivityWindow(3000, 3);
    for (let i = 0; i < 10; i++) window.addCalls(0, 0.1);
    window.addCalls(1000, 0.7);
    window.addCalls(2000, 0.2);
    expect(window.read(2000).calls).toBeCloseTo(1.9, 12);
    expect(window.read(3000).calls).toBeCloseTo(0.9, 12);
    expect(window.read(4000).calls).toBeCloseTo(0.2, 12);
    expect(window.read(5000).calls).toBe(0);
  });

  it("stores no event: its memory is two fixed rings, however much it counts", () => {
    const window = new RecentActivityWindow(60_000);
    const bytes = window.byteLength;
    expect(bytes).toBe(2 * RECENT_ACTIVITY_BUCKETS * 8);
    for (let i = 0; i < 100_000; i++) window.addCalls(i, 1);
    expect(window.byteLength).toBe(bytes);
    expect(window.read(99_999).calls).toBe(60_000);
  });

  it("cuts a window shorter than 60 ms into 1 ms buckets", () => {
    const window = new RecentActivityWindow(5);
    expect(window.byteLength).toBe(2 * 5 * 8);
    window.addCalls(0, 1);
    expect(window.read(4).calls).toBe(1);
    expect(window.read(5).calls).toBe(0);
  });
});

describe("bucketOf", () => {
  it("agrees with the bucket boundaries k × bucketMs, also where the division rounds (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e13, max: 1e13, noNaN: true }),
        fc.constantFrom(1000, 7 / 3, 0.1, 1 / 60, 16.666666666666668),
        (timeMs, bucketMs) => {
          const bucket = bucketOf(timeMs, bucketMs);
          expect(Number.isInteger(bucket)).toBe(true);
          expect(bucket * bucketMs).toBeLessThanOrEqual(timeMs);
          expect((bucket + 1) * bucketMs).toBeGreaterThan(timeMs);
        },
      ),
    );
    // 35 / (7/3) computes to 14.999999999999998, yet 15 × (7/3) is exactly 35;
    // 63 / (7/3) computes to 27, yet 27 × (7/3) is 63.00000000000001.
    expect(bucketOf(35, 7 / 3)).toBe(15);
    expect(bucketOf(63, 7 / 3)).toBe(26);
  });
});

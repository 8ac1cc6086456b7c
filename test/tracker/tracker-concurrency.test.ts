import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BaseStatisticsTracker, type LockedWriter } from "../../src/index.js";
import { manualClock } from "../../src/shared/clock.js";
import { expectedFailures } from "../setup/call-warnings.js";

/** A subclass that exposes the protected lock, as an SDK component would use it. */
class Locking extends BaseStatisticsTracker {
  locked<T>(fn: (writer: LockedWriter) => T | PromiseLike<T>): Promise<T> {
    return this.withLock(fn);
  }
}

function gate(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Lets every queued microtask and promise job run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe("concurrent writers", () => {
  it("1000 concurrent increments give the exact total", async () => {
    const tracker = new BaseStatisticsTracker("c", { clock: manualClock(0) });
    await Promise.all(Array.from({ length: 1000 }, () => tracker.increment("hits")));
    expect(await tracker.getCounter("hits")).toBe(1000);
  });

  it("1000 concurrent async writers, each awaiting between writes, give exact totals", async () => {
    const tracker = new BaseStatisticsTracker("c", { clock: manualClock(0) });
    await Promise.all(
      Array.from({ length: 1000 }, async (_, i) => {
        await tracker.increment("hits");
        await Promise.resolve();
        await tracker.increment("bytes", i);
        await tracker.recordTiming("op", i % 7);
        if (i % 10 === 0) await tracker.trackError(new Error(`e${i}`), "w");
      }),
    );
    const stats = await tracker.getStats();
    expect(stats.counters).toEqual({ hits: 1000, bytes: (999 * 1000) / 2 });
    expect(stats.performanceMetrics.op?.count).toBe(1000);
    expect(stats.errorCount).toBe(100);
  });

  it("gives exact totals with lock sections interleaved at random points (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant("lock" as const)), {
          minLength: 1,
          maxLength: 200,
        }),
        async (ops) => {
          const tracker = new Locking("c", { clock: manualClock(0) });
          let expected = 0;
          let lockedAdds = 0;
          const pending: Promise<unknown>[] = [];
          for (const op of ops) {
            if (op === "lock") {
              lockedAdds++;
              expected++;
              pending.push(
                tracker.locked(async (writer) => {
                  await Promise.resolve();
                  writer.increment("n");
                }),
              );
            } else {
              expected += op;
              pending.push(tracker.increment("n", op));
            }
          }
          await Promise.all(pending);
          expect(await tracker.getCounter("n")).toBe(expected);
          expect(lockedAdds).toBeLessThanOrEqual(ops.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("withLock", () => {
  it("resolves to fn's result, sync or async, and rejects with its error, releasing the lock", async () => {
    const tracker = new Locking("c", { clock: manualClock(0) });
    expect(await tracker.locked(() => 5)).toBe(5);
    expect(await tracker.locked(async () => "async")).toBe("async");
    const failure = new Error("inside");
    await expect(
      tracker.locked(async () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(
      tracker.locked(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await tracker.increment("after");
    expect(await tracker.getCounter("after")).toBe(1);
  });

  it("applies writes issued during the section after it, in call order", async () => {
    const clock = manualClock(0);
    const tracker = new Locking("c", { clock });
    const { wait, open } = gate();
    const seenInside: unknown[] = [];
    const section = tracker.locked(async (writer) => {
      writer.setGauge("g", 0);
      writer.increment("c", 1);
      await wait;
      // Writes issued meanwhile have not been applied.
      seenInside.push(writer.getGauge("g"), writer.getCounter("c"));
      writer.setGauge("g", 100);
      return "section";
    });
    const order: string[] = [];
    const writes = [
      tracker.setGauge("g", 1).then(() => order.push("g=1")),
      tracker.increment("c", 10).then(() => order.push("c+10")),
      tracker.setGauge("g", 2).then(() => order.push("g=2")),
      tracker.increment("c", 100).then(() => order.push("c+100")),
      tracker.setGauge("g", 3).then(() => order.push("g=3")),
    ];
    await settle();
    expect(order).toEqual([]);
    open();
    expect(await section).toBe("section");
    await Promise.all(writes);
    expect(seenInside).toEqual([0, 1]);
    expect(order).toEqual(["g=1", "c+10", "g=2", "c+100", "g=3"]);
    expect(await tracker.getGauge("g")).toBe(3); // last write in call order wins over the section's 100
    expect(await tracker.getCounter("c")).toBe(111);
  });

  it("makes reads issued during the section wait, and see exactly the writes issued before them", async () => {
    const tracker = new Locking("c", { clock: manualClock(0) });
    const { wait, open } = gate();
    const section = tracker.locked(async (writer) => {
      writer.setGauge("g", 0);
      await wait;
    });
    const reads: (number | undefined)[] = [];
    let settled = 0;
    const read = <T>(slot: number, promise: Promise<T>, pick: (value: T) => number | undefined) =>
      promise.then((value) => {
        settled++;
        reads[slot] = pick(value);
      });
    const ops = [
      read(0, tracker.getGauge("g"), (v) => v),
      tracker.setGauge("g", 1),
      read(1, tracker.getGauge("g"), (v) => v),
      tracker.setGauge("g", 2),
      read(2, tracker.getStats(), (s) => s.gauges.g),
      read(3, tracker.getHealthScore(), (score) => score),
      read(4, tracker.getCounter("none"), (v) => v),
    ];
    await settle();
    expect(settled).toBe(0);
    open();
    await section;
    await Promise.all(ops);
    expect(reads).toEqual([0, 1, 2, 74, 0]); // active just now: 54 + 20
  });

  it("queues every kind of write behind the section, stamped when applied", async () => {
    const clock = manualClock(0);
    const tracker = new Locking("c", { clock });
    const { wait, open } = gate();
    const section = tracker.locked(() => wait);
    const ops = [
      tracker.recordTiming("op", 3),
      tracker.setStatus("connected"),
      tracker.trackError(new Error("queued"), "ctx"),
      tracker.setStatus("degraded"),
    ];
    await settle();
    expect(tracker.lastActivity).toBeNull();
    clock.set(50);
    open();
    await section;
    await Promise.all(ops);
    expect(tracker.lastActivity).toBe(50);
    const stats = await tracker.getStats();
    expect(stats.status).toBe("degraded");
    expect(stats.errorCount).toBe(1);
    expect(stats.performanceMetrics.op?.count).toBe(1);
  });

  it("never moves lastActivity back when a queued trackError applies after a queued write", async () => {
    const clock = manualClock(0);
    const tracker = new Locking("c", { clock });
    const { wait, open } = gate();
    const section = tracker.locked(() => wait);
    const ops = [tracker.increment("c"), tracker.trackError(new Error("e"), "ctx")];
    clock.set(50);
    open();
    await section;
    await Promise.all(ops);
    // Both writes applied at 50; the error keeps the time it was tracked.
    expect(tracker.lastActivity).toBe(50);
    expect((await tracker.getRecentErrors())[0]?.timestamp).toBe(0);
  });

  it("orders resetMetrics like a write", async () => {
    const tracker = new Locking("c", { clock: manualClock(0) });
    const { wait, open } = gate();
    const section = tracker.locked(async (writer) => {
      writer.increment("c", 1);
      await wait;
    });
    const ops = [
      tracker.increment("c", 10),
      tracker.trackError(new Error("before"), "x"),
      tracker.resetMetrics(),
      tracker.increment("c", 100),
      tracker.setGauge("g", 5),
    ];
    open();
    await section;
    await Promise.all(ops);
    const stats = await tracker.getStats();
    expect(stats.counters).toEqual({ c: 100 });
    expect(stats.gauges).toEqual({ g: 5 });
    expect(stats.errorCount).toBe(0);
  });

  it("orders writes after a reset issued while unlocked too", async () => {
    const tracker = new BaseStatisticsTracker("c", { clock: manualClock(0) });
    const ops = [tracker.increment("c"), tracker.resetMetrics(), tracker.increment("c")];
    await Promise.all(ops);
    expect(await tracker.getCounter("c")).toBe(1);
  });

  it("rejects bad input at once while the lock is held, and applies nothing", async () => {
    const { onError, failures } = expectedFailures();
    const tracker = new Locking("c", { clock: manualClock(0), cacheTtlMs: 0, onError });
    const { wait, open } = gate();
    const section = tracker.locked(() => wait);
    await expect(tracker.increment("c", Number.NaN)).rejects.toThrow(RangeError);
    await expect(tracker.trackError(new Error("e"), 5 as never)).rejects.toThrow(TypeError);
    await expect(tracker.getRecentErrors(-1)).rejects.toThrow(RangeError);
    // Reported at once too, not when the lock is released.
    expect(failures.map((failure) => failure.call)).toEqual([
      "increment",
      "trackError",
      "getRecentErrors",
    ]);
    open();
    await section;
    const stats = await tracker.getStats();
    expect(stats.counters).toEqual({});
    expect(stats.errorCount).toBe(0);
  });

  it("takes the fast path again once the lock is released: writes apply synchronously", async () => {
    const clock = manualClock(0);
    const tracker = new Locking("c", { clock });
    const { wait, open } = gate();
    const section = tracker.locked(() => wait);
    clock.set(10);
    const queued = tracker.increment("c");
    expect(tracker.lastActivity).toBeNull(); // queued behind the section
    open();
    await section;
    await queued;
    expect(tracker.lastActivity).toBe(10);
    clock.set(20);
    void tracker.increment("c");
    expect(tracker.lastActivity).toBe(20); // applied before the promise was even awaited
    expect(await tracker.getCounter("c")).toBe(2);
  });

  it("validates writes made through the LockedWriter and lets them read", async () => {
    const tracker = new Locking("c", { clock: manualClock(0) });
    await tracker.locked((writer) => {
      writer.increment("c");
      writer.increment("c", 2);
      writer.setGauge("g", 1);
      writer.recordTiming("op", 4);
      writer.trackError(new Error("e"), "ctx", { a: 1 });
      writer.setStatus("connected");
      expect(writer.getCounter("c")).toBe(3);
      expect(writer.getGauge("g")).toBe(1);
      expect(writer.getGauge("none")).toBeUndefined();
      expect(() => writer.increment("", 1)).toThrow(RangeError);
      expect(() => writer.setGauge("g", Number.NaN)).toThrow(/`value`/);
      expect(() => writer.recordTiming("op", -1)).toThrow(/`durationMs`/);
      expect(() => writer.trackError(new Error("e"), 1 as never)).toThrow(/`context`/);
      expect(() => writer.setStatus("")).toThrow(/`status`/);
      // The reads check their names as getCounter() and getGauge() do.
      expect(() => writer.getCounter(7 as never)).toThrow(TypeError);
      expect(() => writer.getCounter("")).toThrow(/`metric`/);
      expect(() => writer.getGauge(null as never)).toThrow(TypeError);
      expect(() => writer.getGauge("g".repeat(300))).toThrow(RangeError);
    });
    const stats = await tracker.getStats();
    expect(stats).toMatchObject({
      counters: { c: 3 },
      gauges: { g: 1 },
      errorCount: 1,
      status: "connected",
    });
    expect(stats.performanceMetrics.op?.count).toBe(1);
    expect((await tracker.getRecentErrors())[0]?.details).toEqual({ a: 1 });
  });

  it("invalidates the cache for writes made inside a section", async () => {
    const tracker = new Locking("c", { clock: manualClock(0) });
    expect((await tracker.getStats()).counters).toEqual({});
    await tracker.locked((writer) => writer.increment("c"));
    expect((await tracker.getStats()).counters).toEqual({ c: 1 });
  });
});

describe("time() and the mutex", () => {
  it("does not hold the mutex while fn runs, so fn may use the tracker", async () => {
    const clock = manualClock(0);
    const tracker = new BaseStatisticsTracker("c", { clock });
    const result = await tracker.time("outer", async () => {
      await tracker.increment("inner");
      expect(await tracker.getCounter("inner")).toBe(1);
      return tracker.time("nested", () => {
        clock.advance(3);
        return "done";
      });
    });
    expect(result).toBe("done");
    const stats = await tracker.getStats();
    expect(stats.performanceMetrics.nested?.count).toBe(1);
    expect(stats.performanceMetrics.outer?.avgMs).toBe(3);
  });

  it("records fn's duration and failure behind a lock section held when fn ends", async () => {
    const clock = manualClock(0);
    const tracker = new Locking("c", { clock });
    const { wait, open } = gate();
    let section: Promise<unknown> | undefined;
    const timed = tracker.time("op", async () => {
      clock.advance(4);
      section = tracker.locked(() => wait);
      throw new Error("inside");
    });
    await settle();
    expect(tracker.lastActivity).toBeNull(); // the duration waits behind the section
    open();
    await section;
    await expect(timed).rejects.toThrow("inside");
    const stats = await tracker.getStats();
    expect(stats.performanceMetrics.op).toMatchObject({ count: 1, maxMs: 4 });
    expect(stats.errorCount).toBe(1);
  });

  it("lets other writers proceed while a timed fn is pending", async () => {
    const tracker = new BaseStatisticsTracker("c", { clock: manualClock(0) });
    const { wait, open } = gate();
    const timed = tracker.time("slow", () => wait);
    await tracker.increment("meanwhile");
    expect(await tracker.getCounter("meanwhile")).toBe(1);
    open();
    await timed;
    expect((await tracker.getStats()).performanceMetrics.slow?.count).toBe(1);
  });
});

import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  type LockedWriter,
  MEMORY_USAGE_TIMEOUT_MS,
  manualClock,
  type TrackerOptions,
} from "../../src/index.js";
import { expectedFailures } from "../setup/call-warnings.js";

const options = (): TrackerOptions => ({ clock: manualClock(1_000_000) });

/** A tracker with some state, to check that a failing hook leaves it intact. */
async function seed(tracker: BaseStatisticsTracker): Promise<void> {
  await tracker.increment("orders", 3);
  await tracker.setGauge("depth", 7);
  await tracker.recordTiming("fill", 12);
  await tracker.setStatus("connected");
}

function expectSeeded(stats: ComponentStats): void {
  expect(stats.counters).toEqual({ orders: 3 });
  expect(stats.gauges).toEqual({ depth: 7 });
  expect(stats.performanceMetrics.fill?.count).toBe(1);
  expect(stats.status).toBe("connected");
}

/** The base estimate of a tracker holding what `seed` writes and `errors` error records. */
async function baseEstimateMb(errors: number): Promise<number> {
  const reference = new BaseStatisticsTracker("reference", options());
  await seed(reference);
  for (let i = 0; i < errors; i++) await reference.trackError("e", "ctx");
  return reference.getMemoryUsage();
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a subclass whose getMemoryUsage() fails", () => {
  it.each([
    [
      "throws synchronously",
      () => {
        throw new Error("probe failed");
      },
      /probe failed/,
    ],
    ["rejects", () => Promise.reject(new Error("probe rejected")), /probe rejected/],
    ["rejects with a non-Error", () => Promise.reject("just a string"), /just a string/],
    ["returns NaN", () => Promise.resolve(Number.NaN), /finite number >= 0, got NaN/],
    ["returns a negative number", () => Promise.resolve(-1), /got -1/],
    ["returns Infinity", () => Promise.resolve(Number.POSITIVE_INFINITY), /got Infinity/],
    ["returns a string", () => Promise.resolve("12" as unknown as number), /got "12"/],
    ["returns undefined", () => Promise.resolve(undefined as unknown as number), /undefined/],
  ])(
    "%s: getStats reports the built-in estimate and tracks the failure",
    async (_, hook, message) => {
      class Failing extends BaseStatisticsTracker {
        override getMemoryUsage(): Promise<number> {
          return hook();
        }
      }
      const tracker = new Failing("failing", options());
      await seed(tracker);
      const stats = await tracker.getStats();
      expectSeeded(stats);
      // The estimate is taken once the failure was tracked, so it counts its record.
      expect(stats.memoryUsageMb).toBe(await baseEstimateMb(1));
      expect(stats.errorCount).toBe(1);
      const [record] = await tracker.getRecentErrors(1);
      expect(record?.context).toBe("getMemoryUsage");
      expect(record?.error).toMatch(message);
      // Later calls work, and each failure is tracked again.
      await tracker.increment("orders");
      expect((await tracker.getStats()).counters).toEqual({ orders: 4 });
      expect(await tracker.getErrorCount()).toBe(2);
    },
  );

  it("never resolves: getStats gives up after MEMORY_USAGE_TIMEOUT_MS and leaves no timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    class Hanging extends BaseStatisticsTracker {
      override getMemoryUsage(): Promise<number> {
        return new Promise(() => {});
      }
    }
    const tracker = new Hanging("hanging", options());
    await seed(tracker);
    let settled = false;
    const pending = tracker.getStats().finally(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(MEMORY_USAGE_TIMEOUT_MS - 1);
    expect(settled).toBe(false);
    // Writes and reads are not blocked meanwhile: the hook runs outside the lock.
    await tracker.increment("orders");
    expect(await tracker.getCounter("orders")).toBe(4);
    await vi.advanceTimersByTimeAsync(1);
    const stats = await pending;
    expect(stats.counters).toEqual({ orders: 4 });
    expect(stats.errorCount).toBe(1);
    const [record] = await tracker.getRecentErrors(1);
    // The deadline is the shared withDeadline, whose error is a DeadlineError.
    expect(record).toMatchObject({ context: "getMemoryUsage", errorType: "DeadlineError" });
    expect(record?.error).toBe(
      `getMemoryUsage() did not settle within ${MEMORY_USAGE_TIMEOUT_MS} ms`,
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it("regression: an override that calls getStats() waits for itself until the timeout, not forever", async () => {
    // Each getStats() called the override again, which called getStats() again: an
    // endless chain of microtasks that starved the event loop, so the timeout never
    // fired and the host process hung at 100% CPU. (The test breaks the cycle itself
    // after a few calls, so that without the fix it fails instead of hanging.)
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    class SelfMeasuring extends BaseStatisticsTracker {
      calls = 0;
      override async getMemoryUsage(): Promise<number> {
        this.calls++;
        if (this.calls > 5) throw new Error("recursed");
        const stats = await this.getStats();
        return stats.memoryUsageMb + 1;
      }
    }
    const tracker = new SelfMeasuring("self", options());
    await seed(tracker);
    const pending = tracker.getStats();
    await vi.advanceTimersByTimeAsync(MEMORY_USAGE_TIMEOUT_MS);
    const stats = await pending;
    expect(tracker.calls).toBe(1);
    expectSeeded(stats);
    const [record] = await tracker.getRecentErrors(1);
    expect(record?.context).toBe("getMemoryUsage");
    expect(record?.error).toMatch(/did not settle/);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("concurrent snapshots share one call of the override", async () => {
    let release: (mb: number) => void = () => {};
    class Slow extends BaseStatisticsTracker {
      calls = 0;
      override getMemoryUsage(): Promise<number> {
        this.calls++;
        return new Promise((resolve) => {
          release = resolve;
        });
      }
    }
    const tracker = new Slow("slow", options());
    const snapshots = [tracker.getStats(), tracker.getStats(), tracker.getStats()];
    await new Promise((resolve) => setImmediate(resolve));
    release(3);
    for (const stats of await Promise.all(snapshots)) expect(stats.memoryUsageMb).toBe(3);
    expect(tracker.calls).toBe(1);
    // The next snapshot after it settled asks again.
    await tracker.increment("x");
    const next = tracker.getStats();
    await new Promise((resolve) => setImmediate(resolve));
    release(4);
    expect((await next).memoryUsageMb).toBe(4);
    expect(tracker.calls).toBe(2);
  });

  it("a working override is reported and clears its timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    class Working extends BaseStatisticsTracker {
      override async getMemoryUsage(): Promise<number> {
        return 42.5;
      }
    }
    const tracker = new Working("working", options());
    expect((await tracker.getStats()).memoryUsageMb).toBe(42.5);
    expect(await tracker.getErrorCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("a subclass whose getStats() override fails", () => {
  class Extended extends BaseStatisticsTracker {
    failure: unknown;
    failBeforeSuper = false;
    override async getStats(): Promise<ComponentStats & { extra: number }> {
      if (this.failBeforeSuper && this.failure !== undefined) throw this.failure;
      const stats = await super.getStats();
      if (this.failure !== undefined) throw this.failure;
      return { ...stats, extra: 1 };
    }
  }

  it("throwing after super: the caller gets the base snapshot, which counts the failure", async () => {
    const tracker = new Extended("extended", options());
    await seed(tracker);
    expect(await tracker.getStats()).toMatchObject({ extra: 1, errorCount: 0 });
    tracker.failure = new RangeError("bad extension");
    const stats = await tracker.getStats();
    expectSeeded(stats);
    expect(stats).not.toHaveProperty("extra");
    expect(stats.errorCount).toBe(1);
    const [record] = await tracker.getRecentErrors(1);
    expect(record).toMatchObject({
      context: "getStats",
      errorType: "RangeError",
      error: "bad extension",
    });
    // The state is intact and later calls work, the override included.
    tracker.failure = undefined;
    await tracker.increment("orders");
    expect(await tracker.getStats()).toMatchObject({ extra: 1, counters: { orders: 4 } });
    expect(await tracker.getErrorCount()).toBe(1);
  });

  it("throwing before super, or a non-Error: the same", async () => {
    const tracker = new Extended("extended", options());
    await seed(tracker);
    tracker.failBeforeSuper = true;
    tracker.failure = "not an error";
    const stats = await tracker.getStats();
    expectSeeded(stats);
    expect((await tracker.getRecentErrors(1))[0]).toMatchObject({
      context: "getStats",
      errorType: "Unknown",
      error: "not an error",
    });
  });

  it("the base snapshot returned is the base class's, even through a subclass of a subclass", async () => {
    class Deeper extends Extended {
      override async getStats(): Promise<ComponentStats & { extra: number }> {
        const stats = await super.getStats();
        return { ...stats, extra: stats.extra + 1 };
      }
    }
    const tracker = new Deeper("deeper", options());
    expect((await tracker.getStats()).extra).toBe(2);
    tracker.failure = new Error("inner");
    const stats = await tracker.getStats();
    expect(stats).not.toHaveProperty("extra");
    expect(stats.errorCount).toBe(1);
  });

  it("the guard adds no property to an instance and is invisible to JSON and to a plain tracker", async () => {
    const tracker = new Extended("extended", options());
    expect(Object.keys(tracker)).not.toContain("getStats");
    expect(JSON.stringify(tracker)).not.toContain("getStats");
    const plain = new BaseStatisticsTracker("plain", options());
    expect(Object.hasOwn(plain, "getStats")).toBe(false);
  });

  it("a spy on the subclass's prototype sees every call, and the guard still recovers", async () => {
    class Spied extends Extended {}
    const tracker = new Spied("spied", options());
    await seed(tracker);
    const spy = vi.spyOn(Extended.prototype, "getStats");
    try {
      expect(await tracker.getStats()).toMatchObject({ extra: 1 });
      tracker.failure = new Error("spied failure");
      const stats = await tracker.getStats();
      expect(stats).not.toHaveProperty("extra");
      expect(stats.errorCount).toBe(1);
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("a spy on the base prototype sees direct calls, super calls and the recovery's snapshot", async () => {
    const spy = vi.spyOn(BaseStatisticsTracker.prototype, "getStats");
    try {
      const plain = new BaseStatisticsTracker("plain", options());
      await plain.getStats();
      expect(spy).toHaveBeenCalledTimes(1);
      const extended = new Extended("extended", options());
      await extended.getStats(); // super.getStats()
      expect(spy).toHaveBeenCalledTimes(2);
      extended.failBeforeSuper = true;
      extended.failure = new Error("before super");
      await extended.getStats(); // the base snapshot of the recovery
      expect(spy).toHaveBeenCalledTimes(3);
    } finally {
      spy.mockRestore();
    }
  });

  it("a spy on the base getMemoryUsage() sees the call each fresh snapshot makes", async () => {
    const spy = vi.spyOn(BaseStatisticsTracker.prototype, "getMemoryUsage");
    try {
      const tracker = new BaseStatisticsTracker("plain", { ...options(), cacheTtlMs: 0 });
      const stats = await tracker.getStats();
      expect(spy).toHaveBeenCalledTimes(1);
      expect(stats.memoryUsageMb).toBe(await spy.mock.results[0]?.value);
    } finally {
      spy.mockRestore();
    }
  });

  it("a broken clock is not blamed on the override: the clock's RangeError reaches the caller", async () => {
    let reading = 0;
    const { onError, failures } = expectedFailures();
    const tracker = new Extended("extended", { clock: { now: () => reading }, onError });
    await seed(tracker);
    reading = Number.NaN;
    await expect(tracker.getStats()).rejects.toThrow(/clock\.now\(\)/);
    expect(failures.map((failure) => failure.call)).toEqual(["getStats"]);
    reading = 1;
    expect(await tracker.getErrorCount()).toBe(0);
  });
});

describe("a subclass whose withLock section fails", () => {
  class Locking extends BaseStatisticsTracker {
    section<T>(fn: (writer: LockedWriter) => T | PromiseLike<T>): Promise<T> {
      return this.withLock(fn);
    }
  }

  it("a throwing section releases the lock; its writes before the throw stay (not a transaction)", async () => {
    const tracker = new Locking("locking", options());
    const failure = new Error("half done");
    const section = tracker.section(async (writer) => {
      writer.increment("a");
      await Promise.resolve();
      writer.increment("b");
      throw failure;
    });
    const queued = tracker.increment("c");
    await expect(section).rejects.toBe(failure);
    await queued;
    expect((await tracker.getStats()).counters).toEqual({ a: 1, b: 1, c: 1 });
  });

  it("bad input to the writer throws inside the section and changes nothing", async () => {
    const tracker = new Locking("locking", options());
    await expect(tracker.section((writer) => writer.increment("", 1))).rejects.toBeInstanceOf(
      RangeError,
    );
    await expect(tracker.section((writer) => writer.recordTiming("op", -1))).rejects.toBeInstanceOf(
      RangeError,
    );
    expect(tracker.lastActivity).toBeNull();
    await tracker.increment("after");
    expect(await tracker.getCounter("after")).toBe(1);
  });
});

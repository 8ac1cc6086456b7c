import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BaseStatisticsTracker,
  type Clock,
  DEFAULT_HEALTH_CONFIG,
  manualClock,
  scoreHealth,
} from "../../src/index.js";
import { expectedFailures } from "../setup/call-warnings.js";

const HOUR_MS = 3_600_000;

/** A manual clock that can be told to return a bad reading (or throw) on chosen reads. */
function faultyClock(startMs = 1_000_000) {
  const inner = manualClock(startMs);
  let reads = 0;
  let failAt = new Set<number>();
  let failAll = false;
  let bad: unknown = Number.NaN;
  return {
    now(): number {
      reads++;
      if (failAll || failAt.has(reads)) {
        if (bad instanceof Error) throw bad;
        return bad as number;
      }
      return inner.now();
    },
    advance: (ms: number) => inner.advance(ms),
    set: (ms: number) => inner.set(ms),
    get reads() {
      return reads;
    },
    /** Fails the reads numbered `ordinals` (counted from the next read, 1-based). */
    failReads(ordinals: number[], reading: unknown = Number.NaN) {
      failAt = new Set(ordinals.map((n) => reads + n));
      bad = reading;
    },
    failEverything(reading: unknown = Number.NaN) {
      failAll = true;
      bad = reading;
    },
    heal() {
      failAll = false;
      failAt = new Set();
    },
  };
}

async function settle(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

/** Everything a tracker reports that does not read the clock. */
async function state(tracker: BaseStatisticsTracker) {
  return {
    errors: await tracker.getErrorCount(),
    recent: await tracker.getRecentErrors(100),
    status: await tracker.getStatus(),
    counter: await tracker.getCounter("c"),
    gauge: await tracker.getGauge("g"),
    lastActivity: tracker.lastActivity,
  };
}

describe("a clock that returns a non-finite reading is rejected at the source", () => {
  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY],
    ["a string", "12"],
    ["undefined", undefined],
  ])("the constructor throws a RangeError naming clock.now() for %s", (_, reading) => {
    const clock: Clock = { now: () => reading as number };
    expect(() => new BaseStatisticsTracker("c", { clock })).toThrow(RangeError);
    expect(() => new BaseStatisticsTracker("c", { clock })).toThrow(/`clock\.now\(\)`/);
  });

  it.each([
    ["NaN", Number.NaN],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["a string", "12"],
  ])(
    "every call that reads a %s clock rejects with RangeError and changes nothing",
    async (_, reading) => {
      const clock = faultyClock();
      const { onError, failures } = expectedFailures();
      const tracker = new BaseStatisticsTracker("c", { clock, onError });
      await tracker.increment("c", 2);
      await tracker.setGauge("g", 5);
      await tracker.trackError(new Error("before"), "setup");
      const before = await state(tracker);
      clock.failEverything(reading);
      const calls: [string, () => Promise<unknown>][] = [
        ["increment", () => tracker.increment("c")],
        ["setGauge", () => tracker.setGauge("g", 1)],
        ["recordTiming", () => tracker.recordTiming("op", 1)],
        ["trackError", () => tracker.trackError(new Error("x"), "ctx")],
        ["setStatus", () => tracker.setStatus("connected")],
        ["time", () => tracker.time("op", () => 1)],
        ["getUptime", () => tracker.getUptime()],
        ["getHealthScore", () => tracker.getHealthScore()],
        ["getHealthBreakdown", () => tracker.getHealthBreakdown()],
        ["getStats", () => tracker.getStats()],
        ["cleanupCache", () => tracker.cleanupCache()],
      ];
      for (const [name, call] of calls) {
        const error = await settle(call());
        expect(error, name).toBeInstanceOf(RangeError);
        expect((error as Error).message, name).toMatch(
          /^Expected `clock\.now\(\)` to return a finite number/,
        );
      }
      expect(failures.map((failure) => failure.call)).toEqual(calls.map(([name]) => name));
      clock.heal();
      expect(await state(tracker)).toEqual(before);
      const stats = await tracker.getStats();
      expect(stats.counters).toEqual({ c: 2 });
      expect(stats.performanceMetrics).toEqual({});
    },
  );

  it("a clock that throws: its error reaches the caller and nothing changes", async () => {
    const clock = faultyClock();
    const { onError, failures } = expectedFailures();
    const tracker = new BaseStatisticsTracker("c", { clock, onError });
    await tracker.increment("c");
    const before = await state(tracker);
    const failure = new Error("clock unplugged");
    clock.failEverything(failure);
    expect(await settle(tracker.increment("c"))).toBe(failure);
    expect(await settle(tracker.getStats())).toBe(failure);
    expect(failures).toEqual([
      { call: "increment", message: "clock unplugged" },
      { call: "getStats", message: "clock unplugged" },
    ]);
    clock.heal();
    expect(await state(tracker)).toEqual(before);
  });

  it("resetMetrics does not read the clock, so it works while the clock is broken", async () => {
    const clock = faultyClock();
    const tracker = new BaseStatisticsTracker("c", { clock });
    await tracker.increment("c");
    clock.failEverything();
    await tracker.resetMetrics();
    clock.heal();
    expect(await tracker.getCounter("c")).toBe(0);
    expect(tracker.lastActivity).toBeNull();
  });

  it("regression: one bad reading at any point leaves no cached value that never expires", async () => {
    // lru-cache read the clock inside set() after storing the entry; a throw there left
    // the entry with start time 0, which lru-cache treats as "no TTL": the health score
    // and snapshot of that moment were then served until the next write, however old.
    for (let failing = 1; failing <= 8; failing++) {
      const clock = faultyClock(0);
      // Which calls fail depends on the read that fails; the test is about what follows.
      const { onError } = expectedFailures();
      const tracker = new BaseStatisticsTracker("c", { clock, cacheTtlMs: 5000, onError });
      await tracker.increment("ops", 100);
      await tracker.setStatus("connected");
      clock.failReads([failing]);
      await settle(tracker.getStats());
      await settle(tracker.getHealthScore());
      clock.heal();
      clock.advance(5001);
      const expected = scoreHealth({
        errorCount: 0,
        operationCount: 100,
        uptimeMs: 5001,
        msSinceLastActivity: 5001,
        status: "connected",
      });
      expect(await tracker.getHealthBreakdown(), `read ${failing} failed`).toEqual(expected);
      expect((await tracker.getStats()).healthScore, `read ${failing} failed`).toBe(expected.score);
    }
  });

  it("regression: time() does not blame the operation when the clock fails after fn", async () => {
    // The clock's RangeError at the end of a successful fn was caught as if fn had
    // thrown it: tracked as an error of the operation, with a duration recorded.
    const clock = faultyClock();
    const { onError, failures } = expectedFailures();
    const tracker = new BaseStatisticsTracker("c", { clock, onError });
    const outcome = await settle(
      tracker.time("fill", () => {
        clock.advance(5);
        clock.failReads([1]);
        return "filled";
      }),
    );
    expect(outcome).toBeInstanceOf(RangeError);
    expect(failures.map((failure) => failure.call)).toEqual(["time"]);
    expect(await tracker.getErrorCount()).toBe(0);
    expect((await tracker.getStats()).performanceMetrics).toEqual({});
  });

  it("time() still tracks fn's own failure, with fn's error, when the clock is fine", async () => {
    const clock = faultyClock();
    const tracker = new BaseStatisticsTracker("c", { clock });
    const failure = new TypeError("rejected order");
    const outcome = await settle(
      tracker.time("fill", async () => {
        clock.advance(7);
        throw failure;
      }),
    );
    expect(outcome).toBe(failure);
    const [record] = await tracker.getRecentErrors(1);
    expect(record).toMatchObject({
      error: "rejected order",
      errorType: "TypeError",
      context: "fill",
    });
    expect((await tracker.getStats()).performanceMetrics.fill).toMatchObject({
      count: 1,
      maxMs: 7,
    });
  });
});

describe("a clock that jumps by hours", () => {
  it("backwards: uptime is 0, never negative, and every factor stays in 0..100", async () => {
    const clock = manualClock(10 * HOUR_MS);
    const tracker = new BaseStatisticsTracker("c", { clock, cacheTtlMs: 0 });
    await tracker.increment("ops", 10);
    await tracker.setStatus("connected");
    clock.advance(-5 * HOUR_MS);
    expect(await tracker.getUptime()).toBe(0);
    const stats = await tracker.getStats();
    expect(stats.uptimeSeconds).toBe(0);
    // Uptime is clamped to 0 and the last activity (now in the future) counts as just now.
    const expected = scoreHealth({
      errorCount: 0,
      operationCount: 10,
      uptimeMs: 0,
      msSinceLastActivity: 0,
      status: "connected",
    });
    expect(await tracker.getHealthBreakdown()).toEqual(expected);
    expect(stats.healthScore).toBe(expected.score);
    expect(expected.score).toBe(80);
    // A write at the earlier time is stamped with it, as the clock says.
    await tracker.trackError(new Error("late"), "ctx");
    expect(tracker.lastActivity).toBe(5 * HOUR_MS);
    expect((await tracker.getRecentErrors(1))[0]?.timestamp).toBe(5 * HOUR_MS);
  });

  it("forwards: uptime counts the jump, activity decays to 0, the score is exact", async () => {
    const clock = manualClock(0);
    const tracker = new BaseStatisticsTracker("c", { clock, cacheTtlMs: 0 });
    await tracker.increment("ops", 100);
    await tracker.setStatus("connected");
    clock.advance(12 * HOUR_MS);
    expect(await tracker.getUptime()).toBe(12 * 3600);
    const breakdown = await tracker.getHealthBreakdown();
    expect(breakdown).toEqual({ score: 80, errors: 100, uptime: 100, activity: 0, status: 100 });
  });

  it("a cached snapshot expires after a forward jump", async () => {
    const clock = manualClock(0);
    const tracker = new BaseStatisticsTracker("c", { clock });
    await tracker.setStatus("connected");
    const first = await tracker.getStats();
    clock.advance(3 * HOUR_MS);
    const later = await tracker.getStats();
    expect(later.uptimeSeconds).toBe(3 * 3600);
    expect(later.healthScore).toBeLessThan(first.healthScore);
  });

  it("any sequence of finite readings, however wild, keeps every figure in range (property)", async () => {
    const reading = fc.oneof(
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.double({ min: -1e300, max: 1e300, noNaN: true }),
      fc.constant(-0),
    );
    const step = fc.record({
      atMs: reading,
      write: fc.constantFrom("inc", "err", "status", "none"),
    });
    await fc.assert(
      fc.asyncProperty(reading, fc.array(step, { maxLength: 20 }), async (startMs, steps) => {
        const clock = manualClock(startMs);
        const tracker = new BaseStatisticsTracker("c", { clock, cacheTtlMs: 0 });
        let lastWriteMs: number | null = null;
        for (const { atMs, write } of steps) {
          clock.set(atMs);
          if (write === "inc") await tracker.increment("ops");
          if (write === "err") await tracker.trackError("e", "ctx");
          if (write === "status") await tracker.setStatus("active");
          if (write !== "none") lastWriteMs = atMs + 0; // -0 is stored as 0
          expect(tracker.lastActivity).toBe(lastWriteMs);
          const uptime = await tracker.getUptime();
          expect(Number.isInteger(uptime) && uptime >= 0).toBe(true);
          const breakdown = await tracker.getHealthBreakdown();
          for (const value of Object.values(breakdown)) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(100);
          }
          const stats = await tracker.getStats();
          expect(stats.uptimeSeconds).toBe(uptime);
          expect(stats.healthScore).toBe(breakdown.score);
          expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("regression: a reading of -0 is stored as 0, so snapshots still round-trip through JSON", async () => {
    // Found by the property above: lastActivity and error timestamps kept -0.
    const tracker = new BaseStatisticsTracker("c", { clock: manualClock(-0) });
    await tracker.increment("ops");
    await tracker.trackError("e", "ctx");
    expect(Object.is(tracker.lastActivity, 0)).toBe(true);
    expect(Object.is((await tracker.getRecentErrors(1))[0]?.timestamp, 0)).toBe(true);
    const stats = await tracker.getStats();
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it("the default config's activity window is what the exact scores above assume", () => {
    expect(DEFAULT_HEALTH_CONFIG.activityDecayMs).toBe(600_000);
    expect(DEFAULT_HEALTH_CONFIG.uptimeForFullScoreMs).toBe(10 * HOUR_MS);
  });
});

import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  MEMORY_USAGE_TIMEOUT_MS,
  OVERFLOW_NAME,
  type TrackerOptions,
} from "../../src/index.js";
import { type ManualClock, manualClock, systemClock } from "../../src/shared/clock.js";
import { expectedFailures } from "../setup/call-warnings.js";

const START = 1_700_000_000_000;

function make(options: TrackerOptions = {}): {
  clock: ManualClock;
  tracker: BaseStatisticsTracker;
} {
  const clock = manualClock(START);
  return { clock, tracker: new BaseStatisticsTracker("feed", { clock, ...options }) };
}

/** A tracker with some of everything, the clock moved on since the last write. */
async function seeded(options: TrackerOptions = {}) {
  const made = make(options);
  const { clock, tracker } = made;
  await tracker.increment("requests", 5);
  await tracker.setGauge("queue", 3);
  await tracker.recordTiming("fill", 12.5);
  await tracker.trackError(new Error("first"), "feed.read", { attempt: 1 });
  await tracker.setStatus("connected");
  clock.advance(1500);
  return made;
}

class Cached extends BaseStatisticsTracker {
  get(key: string) {
    return this.getCachedValue<number>(key);
  }
  set(key: string, value: number) {
    this.setCachedValue(key, value);
  }
}

describe("BaseStatisticsTracker construction", () => {
  it("takes its name, createdAt from the clock, and starts initializing and inactive", async () => {
    const { tracker } = make();
    expect(tracker.componentName).toBe("feed");
    expect(tracker.createdAt).toBe(START);
    expect(tracker.lastActivity).toBeNull();
    expect(await tracker.getStatus()).toBe("initializing");
    expect(await tracker.getErrorCount()).toBe(0);
    expect(await tracker.getRecentErrors()).toEqual([]);
    expect(await tracker.getStats()).toEqual({
      name: "feed",
      status: "initializing",
      uptimeSeconds: 0,
      lastActivity: null,
      errorCount: 0,
      countingSince: START,
      memoryUsageMb: await tracker.getMemoryUsage(),
      healthScore: 54,
      counters: {},
      gauges: {},
      performanceMetrics: {},
      recent: { windowMs: 60_000, calls: 0, errors: 0, errorRate: 0 },
    });
  });

  it("runs on the monotonic default clock, stamping writes within a couple of ms", async () => {
    const before = systemClock.now();
    const tracker = new BaseStatisticsTracker("default-clock");
    expect(tracker.createdAt).toBeGreaterThanOrEqual(before);
    expect(tracker.createdAt).toBeLessThanOrEqual(systemClock.now());
    await tracker.increment("a");
    const stamp = tracker.lastActivity as number;
    expect(stamp).toBeGreaterThanOrEqual(tracker.createdAt);
    expect(Math.abs(systemClock.now() - stamp)).toBeLessThan(3);
    expect(await tracker.getUptime()).toBe(0);
  });

  it.each([
    ["componentName ''", () => new BaseStatisticsTracker(""), RangeError, "`componentName`"],
    ["componentName 5", () => new BaseStatisticsTracker(5 as never), TypeError, "`componentName`"],
    ["options null", () => new BaseStatisticsTracker("a", null as never), TypeError, "`options`"],
    [
      "maxErrors -1",
      () => new BaseStatisticsTracker("a", { maxErrors: -1 }),
      RangeError,
      "`maxErrors`",
    ],
    [
      "maxErrors 1.5",
      () => new BaseStatisticsTracker("a", { maxErrors: 1.5 }),
      RangeError,
      "`maxErrors`",
    ],
    [
      "maxErrors '3'",
      () => new BaseStatisticsTracker("a", { maxErrors: "3" as never }),
      TypeError,
      "`maxErrors`",
    ],
    [
      "cacheTtlMs -1",
      () => new BaseStatisticsTracker("a", { cacheTtlMs: -1 }),
      RangeError,
      "`cacheTtlMs`",
    ],
    [
      "cacheTtlMs NaN",
      () => new BaseStatisticsTracker("a", { cacheTtlMs: Number.NaN }),
      RangeError,
      "`cacheTtlMs`",
    ],
    [
      // lru-cache takes whole milliseconds only; its own message named no option.
      "cacheTtlMs 1.5",
      () => new BaseStatisticsTracker("a", { cacheTtlMs: 1.5 }),
      RangeError,
      "`cacheTtlMs`",
    ],
    [
      "timingWindow 0",
      () => new BaseStatisticsTracker("a", { timingWindow: 0 }),
      RangeError,
      "`timingWindow`",
    ],
    [
      "timingWindow 2^25",
      () => new BaseStatisticsTracker("a", { timingWindow: 2 ** 25 }),
      RangeError,
      "`timingWindow`",
    ],
    [
      "maxMetricNames 0",
      () => new BaseStatisticsTracker("a", { maxMetricNames: 0 }),
      RangeError,
      "`maxMetricNames`",
    ],
    [
      "clock {}",
      () => new BaseStatisticsTracker("a", { clock: {} as never }),
      TypeError,
      "`clock`",
    ],
    [
      "clock null",
      () => new BaseStatisticsTracker("a", { clock: null as never }),
      TypeError,
      "`clock`",
    ],
    [
      "clock NaN",
      () => new BaseStatisticsTracker("a", { clock: { now: () => Number.NaN } }),
      RangeError,
      "`clock.now()`",
    ],
    [
      "health weights",
      () => new BaseStatisticsTracker("a", { health: { weights: { errors: 1 } as never } }),
      RangeError,
      "`health.weights`",
    ],
  ])("throws for %s, naming it", (_, build, type, name) => {
    expect(build).toThrow(type);
    expect(build).toThrow(name);
  });
});

describe("writes and reads", () => {
  it("increments by 1 by default and by any finite value", async () => {
    const { tracker } = make();
    await tracker.increment("requests");
    await tracker.increment("requests");
    await tracker.increment("requests", 2.5);
    await tracker.increment("requests", -1);
    expect(await tracker.getCounter("requests")).toBe(3.5);
    expect(await tracker.getCounter("absent")).toBe(0);
  });

  it("keeps the last gauge value; an absent gauge is undefined", async () => {
    const { tracker } = make();
    await tracker.setGauge("queue", 3);
    await tracker.setGauge("queue", -7.25);
    expect(await tracker.getGauge("queue")).toBe(-7.25);
    expect(await tracker.getGauge("absent")).toBeUndefined();
  });

  it("summarises timings per operation: 1..100 gives p50 50.5, p90 90.1, p95 95.05, p99 99.01", async () => {
    const { tracker } = make();
    for (let i = 1; i <= 100; i++) await tracker.recordTiming("fill", i);
    expect((await tracker.getStats()).performanceMetrics).toEqual({
      fill: {
        count: 100,
        avgMs: 50.5,
        minMs: 1,
        maxMs: 100,
        p50Ms: 50.5,
        p90Ms: 90.1,
        p95Ms: 95.05,
        p99Ms: 99.01,
        sumMs: 5050,
        lifetimeMinMs: 1,
        lifetimeMaxMs: 100,
        bucketCounts: [0, 0, 0, 1, 1, 3, 5, 15, 25, 50, 0, 0, 0, 0, 0, 0, 0],
      },
    });
  });

  it("keeps timingWindow samples per operation and counts all", async () => {
    const { tracker } = make({ timingWindow: 10 });
    for (let i = 1; i <= 25; i++) await tracker.recordTiming("op", i);
    expect((await tracker.getStats()).performanceMetrics.op).toMatchObject({
      count: 25,
      minMs: 16,
      maxMs: 25,
      avgMs: 20.5,
    });
  });

  it("sets lastActivity to the clock on every write, and reads leave it alone", async () => {
    const { clock, tracker } = make();
    const writes: ((t: BaseStatisticsTracker) => Promise<void>)[] = [
      (t) => t.increment("a"),
      (t) => t.setGauge("g", 1),
      (t) => t.recordTiming("op", 1),
      (t) => t.trackError(new Error("e"), "ctx"),
      (t) => t.setStatus("connected"),
    ];
    for (const write of writes) {
      clock.advance(1000);
      await write(tracker);
      expect(tracker.lastActivity).toBe(clock.now());
    }
    const last = tracker.lastActivity;
    clock.advance(1000);
    await tracker.getStats();
    await tracker.getHealthScore();
    await tracker.getCounter("a");
    await tracker.getRecentErrors();
    await tracker.getMemoryUsage();
    await tracker.cleanupCache();
    expect(tracker.lastActivity).toBe(last);
  });

  it("sets and reads the status", async () => {
    const { tracker } = make();
    await tracker.setStatus("disconnected");
    expect(await tracker.getStatus()).toBe("disconnected");
    expect((await tracker.getStats()).status).toBe("disconnected");
  });

  it("floors the uptime to whole seconds and never goes negative", async () => {
    const { clock, tracker } = make();
    clock.advance(999);
    expect(await tracker.getUptime()).toBe(0);
    clock.advance(1000); // 1999 ms
    expect(await tracker.getUptime()).toBe(1);
    clock.advance(1); // 2000 ms
    expect(await tracker.getUptime()).toBe(2);
    clock.set(START - 10_000);
    expect(await tracker.getUptime()).toBe(0);
  });

  it("reports folded names once a kind reached maxMetricNames", async () => {
    const { tracker } = make({ maxMetricNames: 2 });
    await tracker.increment("a");
    await tracker.increment("b");
    expect("overflow" in (await tracker.getStats())).toBe(false);
    await tracker.increment("c", 3);
    await tracker.increment("d", 4);
    await tracker.recordTiming("x", 1);
    const stats = await tracker.getStats();
    expect(stats.counters).toEqual({ a: 1, b: 1, [OVERFLOW_NAME]: 7 });
    expect(stats.overflow).toEqual({ counters: 2, gauges: 0, operations: 0 });
    await tracker.setGauge("g1", 1);
    await tracker.setGauge("g2", 1);
    await tracker.setGauge("g3", 1);
    await tracker.recordTiming("y", 1);
    await tracker.recordTiming("z", 1);
    expect((await tracker.getStats()).overflow).toEqual({ counters: 2, gauges: 1, operations: 1 });
  });
});

describe("errors", () => {
  it("tracks errors apart from counters, with context, details, type and clock time", async () => {
    const { clock, tracker } = make();
    const details = { symbol: "ES", nested: { tries: 1 } };
    await tracker.trackError(new TypeError("bad tick"), "feed.parse", details);
    details.nested.tries = 99;
    clock.advance(250);
    await tracker.trackError("plain string", "feed.read");
    expect(await tracker.getErrorCount()).toBe(2);
    expect(await tracker.getRecentErrors()).toEqual([
      {
        error: "bad tick",
        errorType: "TypeError",
        context: "feed.parse",
        details: { symbol: "ES", nested: { tries: 1 } },
        timestamp: START,
      },
      {
        error: "plain string",
        errorType: "Unknown",
        context: "feed.read",
        details: {},
        timestamp: START + 250,
      },
    ]);
    const stats = await tracker.getStats();
    expect(stats.errorCount).toBe(2);
    expect(stats.counters).toEqual({});
  });

  it("returns the newest `limit` records oldest first; 10 by default; 0 gives none", async () => {
    const { tracker } = make();
    for (let i = 0; i < 15; i++) await tracker.trackError(new Error(`e${i}`), "ctx");
    expect((await tracker.getRecentErrors()).map((r) => r.error)).toEqual(
      Array.from({ length: 10 }, (_, i) => `e${i + 5}`),
    );
    expect((await tracker.getRecentErrors(3)).map((r) => r.error)).toEqual(["e12", "e13", "e14"]);
    expect(await tracker.getRecentErrors(0)).toEqual([]);
    expect(await tracker.getRecentErrors(1000)).toHaveLength(15);
  });

  it("keeps maxErrors records but counts every error; maxErrors 0 keeps none", async () => {
    const three = make({ maxErrors: 3 }).tracker;
    const none = make({ maxErrors: 0 }).tracker;
    for (let i = 0; i < 7; i++) {
      await three.trackError(new Error(`e${i}`), "ctx");
      await none.trackError(new Error(`e${i}`), "ctx");
    }
    expect(await three.getErrorCount()).toBe(7);
    expect((await three.getRecentErrors(10)).map((r) => r.error)).toEqual(["e4", "e5", "e6"]);
    expect(await none.getErrorCount()).toBe(7);
    expect(await none.getRecentErrors(10)).toEqual([]);
    expect((await none.getStats()).errorCount).toBe(7);
  });

  it("returns copies of the records", async () => {
    const { tracker } = make();
    await tracker.trackError(new Error("e"), "ctx", { a: 1 });
    const [record] = await tracker.getRecentErrors();
    (record as { error: string }).error = "changed";
    (record?.details as { a: number }).a = 2;
    expect(await tracker.getRecentErrors()).toEqual([
      expect.objectContaining({ error: "e", details: { a: 1 } }),
    ]);
  });
});

describe("getStats", () => {
  it("returns copies: mutating a snapshot changes nothing", async () => {
    const { tracker } = await seeded();
    const first = await tracker.getStats();
    const expected = structuredClone(first);
    first.counters.requests = 1000;
    first.counters.injected = 1;
    first.gauges.queue = -1;
    (first.performanceMetrics.fill as { p99Ms: number }).p99Ms = 0;
    first.status = "hacked";
    expect(await tracker.getStats()).toEqual(expected); // served from the cache
    expect(await tracker.getStats()).not.toBe(await tracker.getStats());
  });

  it("hands out fresh snapshots that share nothing when caching is off (cacheTtlMs 0)", async () => {
    const tracker = new BaseStatisticsTracker("uncached", {
      cacheTtlMs: 0,
      clock: manualClock(START),
    });
    await tracker.increment("requests", 2);
    await tracker.recordTiming("fill", 3);
    const first = await tracker.getStats();
    first.counters.requests = 1000;
    (first.performanceMetrics.fill as { count: number }).count = 99;
    const second = await tracker.getStats();
    expect(second.counters.requests).toBe(2);
    expect(second.performanceMetrics.fill?.count).toBe(1);
    expect(second.performanceMetrics.fill).not.toBe(first.performanceMetrics.fill);
  });

  it("round-trips through JSON without loss", async () => {
    const { tracker } = await seeded();
    await tracker.increment("__proto__", 2);
    await tracker.setGauge("constructor", 0.1);
    await tracker.recordTiming("__proto__", 0.3);
    const stats = await tracker.getStats();
    expect(Object.hasOwn(stats.counters, "__proto__")).toBe(true);
    expect(Object.hasOwn(stats.performanceMetrics, "__proto__")).toBe(true);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it("matches a model of every write and round-trips through JSON (property)", async () => {
    type Write =
      | ["increment", string, number]
      | ["setGauge", string, number]
      | ["recordTiming", string, number]
      | ["trackError", string]
      | ["setStatus", string]
      | ["advance", number]
      | ["read"];
    const name = fc.constantFrom("a", "b", "__proto__", "toString");
    const write: fc.Arbitrary<Write> = fc.oneof(
      fc.tuple(fc.constant("increment" as const), name, fc.integer({ min: -1000, max: 1000 })),
      fc.tuple(
        fc.constant("setGauge" as const),
        name,
        fc.oneof(fc.constant(-0), fc.double({ noNaN: true, noDefaultInfinity: true })),
      ),
      fc.tuple(
        fc.constant("recordTiming" as const),
        name,
        fc.double({ min: 0, max: 1e6, noNaN: true }),
      ),
      fc.tuple(fc.constant("trackError" as const), fc.string({ maxLength: 5 })),
      fc.tuple(fc.constant("setStatus" as const), fc.constantFrom("connected", "error", "x")),
      fc.tuple(fc.constant("advance" as const), fc.integer({ min: 0, max: 10_000 })),
      fc.tuple(fc.constant("read" as const)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(write, { maxLength: 60 }), fc.boolean(), async (writes, cached) => {
        const clock = manualClock(START);
        const tracker = new BaseStatisticsTracker("p", {
          clock,
          cacheTtlMs: cached ? 5000 : 0,
          timingWindow: 8,
        });
        const counters = new Map<string, number>();
        const gauges = new Map<string, number>();
        const timings = new Map<string, number[]>();
        let errors = 0;
        let status = "initializing";
        let lastActivity: number | null = null;
        // When the cached snapshot was computed; null once a write invalidated it.
        let snapshotAt: number | null = null;
        const servedFromCache = () =>
          cached && snapshotAt !== null && clock.now() - snapshotAt <= 5000;
        for (const [kind, ...args] of writes) {
          if (kind === "advance") {
            clock.advance(args[0] as number);
            continue;
          }
          if (kind === "read") {
            const stats = await tracker.getStats();
            if (!servedFromCache()) snapshotAt = clock.now();
            expect(stats.uptimeSeconds).toBe(Math.floor(((snapshotAt as number) - START) / 1000));
            continue;
          }
          snapshotAt = null;
          if (kind === "increment") {
            const [metric, value] = args as [string, number];
            await tracker.increment(metric, value);
            counters.set(metric, (counters.get(metric) ?? 0) + value);
          } else if (kind === "setGauge") {
            const [metric, value] = args as [string, number];
            await tracker.setGauge(metric, value);
            gauges.set(metric, value + 0); // -0 is stored as 0
          } else if (kind === "recordTiming") {
            const [operation, value] = args as [string, number];
            await tracker.recordTiming(operation, value);
            timings.set(operation, [...(timings.get(operation) ?? []), value]);
          } else if (kind === "trackError") {
            await tracker.trackError(new Error(args[0] as string), "ctx");
            errors++;
          } else {
            await tracker.setStatus(args[0] as string);
            status = args[0] as string;
          }
          lastActivity = clock.now();
        }
        const stats = await tracker.getStats();
        if (!servedFromCache()) snapshotAt = clock.now();
        expect(new Map(Object.entries(stats.counters))).toEqual(counters);
        expect(new Map(Object.entries(stats.gauges))).toEqual(gauges);
        expect(stats.errorCount).toBe(errors);
        expect(stats.status).toBe(status);
        expect(stats.lastActivity).toBe(lastActivity);
        expect(stats.uptimeSeconds).toBe(Math.floor(((snapshotAt as number) - START) / 1000));
        for (const [operation, values] of timings) {
          const kept = values.slice(-8);
          expect(stats.performanceMetrics[operation]).toMatchObject({
            count: values.length,
            minMs: Math.min(...kept),
            maxMs: Math.max(...kept),
          });
        }
        expect(stats.healthScore).toBe(await tracker.getHealthScore());
        expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
      }),
      { numRuns: 150 },
    );
  });

  it("stores -0 as 0 so the snapshot survives JSON", async () => {
    const { tracker } = make();
    await tracker.setGauge("g", -0);
    await tracker.recordTiming("op", -0);
    await tracker.increment("c", -0);
    const stats = await tracker.getStats();
    expect(Object.is(stats.gauges.g, 0)).toBe(true);
    expect(Object.is(stats.performanceMetrics.op?.minMs, 0)).toBe(true);
    expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
  });

  it("is served from the cache within cacheTtlMs and recomputed once MORE than it passed", async () => {
    const { clock, tracker } = make({ cacheTtlMs: 5000 });
    expect((await tracker.getStats()).uptimeSeconds).toBe(0);
    clock.advance(5000);
    expect((await tracker.getStats()).uptimeSeconds).toBe(0); // cached
    expect(await tracker.getHealthScore()).toBe(54); // cached with the snapshot
    clock.advance(1);
    expect((await tracker.getStats()).uptimeSeconds).toBe(5);
  });

  it("expires on a manual clock that starts at 0", async () => {
    const clock = manualClock(0);
    const tracker = new BaseStatisticsTracker("zero", { clock, cacheTtlMs: 1000 });
    expect((await tracker.getStats()).uptimeSeconds).toBe(0);
    clock.advance(1000);
    expect((await tracker.getStats()).uptimeSeconds).toBe(0);
    clock.advance(1000);
    expect((await tracker.getStats()).uptimeSeconds).toBe(2);
  });

  it.each([
    [
      "increment",
      (t: BaseStatisticsTracker) => t.increment("requests"),
      (s: ComponentStats) => s.counters.requests === 6,
    ],
    [
      "setGauge",
      (t: BaseStatisticsTracker) => t.setGauge("queue", 9),
      (s: ComponentStats) => s.gauges.queue === 9,
    ],
    [
      "recordTiming",
      (t: BaseStatisticsTracker) => t.recordTiming("fill", 1),
      (s: ComponentStats) => s.performanceMetrics.fill?.count === 2,
    ],
    [
      "trackError",
      (t: BaseStatisticsTracker) => t.trackError(new Error("x"), "c"),
      (s: ComponentStats) => s.errorCount === 2,
    ],
    [
      "setStatus",
      (t: BaseStatisticsTracker) => t.setStatus("error"),
      (s: ComponentStats) => s.status === "error" && s.healthScore < 70,
    ],
    [
      "resetMetrics",
      (t: BaseStatisticsTracker) => t.resetMetrics(),
      (s: ComponentStats) => s.errorCount === 0 && s.lastActivity === null,
    ],
  ])("is invalidated by %s: a read after the awaited write sees it", async (_, write, sees) => {
    const { tracker } = await seeded({ cacheTtlMs: 60_000 });
    const before = await tracker.getStats();
    await tracker.getHealthScore();
    expect(sees(before)).toBe(false);
    await write(tracker);
    const after = await tracker.getStats();
    expect(sees(after)).toBe(true);
    expect(after.healthScore).toBe(await tracker.getHealthScore());
  });

  it("does not cache with cacheTtlMs 0", async () => {
    const { clock, tracker } = make({ cacheTtlMs: 0 });
    await tracker.setStatus("connected");
    expect(await tracker.getHealthScore()).toBe(80); // no operations and no errors: errors factor 100
    clock.advance(1000);
    expect((await tracker.getStats()).uptimeSeconds).toBe(1);
    clock.advance(299_000); // 5 min since the write: activity 50, uptime 300000 / 36e6
    expect(await tracker.getHealthScore()).toBe(70.2);
  });

  it("gives the same, rounded health score cached and uncached", async () => {
    const cachedTracker = make();
    const uncachedTracker = make({ cacheTtlMs: 0 });
    for (const { clock, tracker } of [cachedTracker, uncachedTracker]) {
      await tracker.setStatus("connected");
      await tracker.increment("ops", 3);
      await tracker.trackError(new Error("e"), "c");
      clock.advance(1234.5);
    }
    const fresh = await cachedTracker.tracker.getHealthScore();
    const cached = await cachedTracker.tracker.getHealthScore();
    const uncached = await uncachedTracker.tracker.getHealthScore();
    expect(cached).toBe(fresh);
    expect(uncached).toBe(fresh);
    expect(Math.round(fresh * 10) / 10).toBe(fresh);
    expect((await cachedTracker.tracker.getStats()).healthScore).toBe(fresh);
    const breakdown = await cachedTracker.tracker.getHealthBreakdown();
    expect(breakdown.score).toBe(fresh);
    expect(breakdown.activity).not.toBe(Math.round(breakdown.activity * 10) / 10); // the raw factor is not rounded
  });

  it("returns copies of the health breakdown", async () => {
    const { tracker } = make();
    const breakdown = await tracker.getHealthBreakdown();
    breakdown.score = 1;
    expect((await tracker.getHealthBreakdown()).score).toBe(54);
  });

  it("cleanupCache keeps results correct", async () => {
    const { clock, tracker } = await seeded();
    const stats = await tracker.getStats();
    await tracker.cleanupCache();
    expect(await tracker.getStats()).toEqual(stats);
    clock.advance(10_000);
    await tracker.increment("requests");
    await tracker.cleanupCache();
    expect((await tracker.getStats()).counters.requests).toBe(6);
  });
});

describe("subclass cache", () => {
  it("serves a value within the TTL until a write or expiry", async () => {
    const clock = manualClock(0);
    const tracker = new Cached("c", { clock, cacheTtlMs: 100 });
    expect(tracker.get("k")).toBeUndefined();
    tracker.set("k", 1);
    clock.advance(100);
    expect(tracker.get("k")).toBe(1);
    clock.advance(1);
    expect(tracker.get("k")).toBeUndefined();
    tracker.set("k", 2);
    await tracker.setGauge("g", 1);
    expect(tracker.get("k")).toBeUndefined();
    tracker.set("k", 3);
    await tracker.cleanupCache();
    expect(tracker.get("k")).toBe(3);
  });

  it("keeps user keys apart from the tracker's own", async () => {
    const tracker = new Cached("c", { clock: manualClock(0) });
    tracker.set("stats", 5);
    tracker.set("\u0000stats", 6);
    expect((await tracker.getStats()).name).toBe("c");
    expect(tracker.get("stats")).toBe(5);
  });
});

describe("getMemoryUsage", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("estimates more memory as data grows", async () => {
    const { tracker } = make();
    const empty = await tracker.getMemoryUsage();
    expect(empty).toBeGreaterThan(0);
    for (let i = 0; i < 100; i++) await tracker.recordTiming(`op${i}`, i);
    expect(await tracker.getMemoryUsage()).toBeGreaterThan(empty);
    expect((await tracker.getStats()).memoryUsageMb).toBe(await tracker.getMemoryUsage());
  });

  it("reports an override in getStats", async () => {
    class Big extends BaseStatisticsTracker {
      override async getMemoryUsage(): Promise<number> {
        return 42.5;
      }
    }
    const tracker = new Big("big", { clock: manualClock(0) });
    expect((await tracker.getStats()).memoryUsageMb).toBe(42.5);
  });

  it.each([
    ["throws", async () => Promise.reject(new Error("no heap")), /no heap/],
    ["returns NaN", async () => Number.NaN, /finite number >= 0, got NaN/],
    ["returns -1", async () => -1, /got -1/],
    ["returns a string", async () => "1" as unknown as number, /got "1"/],
  ])(
    "falls back to the estimate and tracks an error when the override %s",
    async (_, override, message) => {
      class Broken extends BaseStatisticsTracker {
        override getMemoryUsage(): Promise<number> {
          return override();
        }
      }
      const clock = manualClock(0);
      const tracker = new Broken("broken", { clock });
      const estimate = await new BaseStatisticsTracker("x", { clock }).getMemoryUsage();
      const stats = await tracker.getStats();
      expect(stats.memoryUsageMb).toBeGreaterThanOrEqual(estimate);
      expect(stats.errorCount).toBe(1);
      const [record] = await tracker.getRecentErrors();
      expect(record?.context).toBe("getMemoryUsage");
      expect(record?.error).toMatch(message);
    },
  );

  it("gives up on an override that never settles after MEMORY_USAGE_TIMEOUT_MS", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    class Hung extends BaseStatisticsTracker {
      override getMemoryUsage(): Promise<number> {
        return new Promise(() => {});
      }
    }
    const tracker = new Hung("hung", { clock: manualClock(0) });
    const pending = tracker.getStats();
    await vi.advanceTimersByTimeAsync(MEMORY_USAGE_TIMEOUT_MS);
    const stats = await pending;
    expect(stats.memoryUsageMb).toBeGreaterThan(0);
    expect((await tracker.getRecentErrors())[0]?.error).toMatch(/did not settle within 1000 ms/);
  });
});

describe("time", () => {
  it("runs a sync fn, returns its result and records its duration on the clock", async () => {
    const { clock, tracker } = make();
    const result = await tracker.time("parse", () => {
      clock.advance(25);
      return 7;
    });
    expect(result).toBe(7);
    expect((await tracker.getStats()).performanceMetrics.parse).toMatchObject({
      count: 1,
      avgMs: 25,
    });
    expect(await tracker.getErrorCount()).toBe(0);
  });

  it("awaits an async fn", async () => {
    const { clock, tracker } = make();
    const result = await tracker.time("fetch", async () => {
      await Promise.resolve();
      clock.advance(40);
      return "body";
    });
    expect(result).toBe("body");
    expect((await tracker.getStats()).performanceMetrics.fetch?.maxMs).toBe(40);
  });

  it.each([
    [
      "sync throw",
      (clock: ManualClock, error: unknown) => () => {
        clock.advance(5);
        throw error;
      },
    ],
    [
      "async rejection",
      (clock: ManualClock, error: unknown) => async () => {
        clock.advance(5);
        throw error;
      },
    ],
  ])(
    "on a %s records the duration, tracks the error with context `operation` and rethrows it",
    async (_, build) => {
      const { clock, tracker } = make();
      const error = new RangeError("out of range");
      await expect(tracker.time("parse", build(clock, error))).rejects.toBe(error);
      expect((await tracker.getStats()).performanceMetrics.parse).toMatchObject({
        count: 1,
        avgMs: 5,
      });
      expect(await tracker.getRecentErrors()).toEqual([
        {
          error: "out of range",
          errorType: "RangeError",
          context: "parse",
          details: {},
          timestamp: START + 5,
        },
      ]);
      await expect(tracker.time("parse", build(clock, "a string"))).rejects.toBe("a string");
      expect((await tracker.getRecentErrors(1))[0]).toMatchObject({
        error: "a string",
        errorType: "Unknown",
      });
    },
  );

  it("records 0, never a negative duration, when the clock steps back", async () => {
    const { clock, tracker } = make();
    await tracker.time("op", () => clock.advance(-100));
    expect((await tracker.getStats()).performanceMetrics.op?.maxMs).toBe(0);
  });

  it("rejects a bad operation or fn without calling anything", async () => {
    const { onError, failures } = expectedFailures();
    const { tracker } = make({ onError });
    const fn = vi.fn();
    await expect(tracker.time("", fn)).rejects.toThrow(RangeError);
    await expect(tracker.time(3 as never, fn)).rejects.toThrow(/`operation`.*3 \(number\)/);
    await expect(tracker.time("op", "nope" as never)).rejects.toThrow(TypeError);
    await expect(tracker.time("op", 5 as never)).rejects.toThrow(/`fn`.*5 \(number\)/);
    expect(fn).not.toHaveBeenCalled();
    expect((await tracker.getStats()).performanceMetrics).toEqual({});
    expect(failures.map((failure) => failure.call)).toEqual(["time", "time", "time", "time"]);
  });
});

describe("resetMetrics", () => {
  it("clears everything but createdAt, and the uptime keeps running", async () => {
    const { clock, tracker } = await seeded();
    await tracker.resetMetrics();
    expect(tracker.lastActivity).toBeNull();
    expect(tracker.createdAt).toBe(START);
    expect(await tracker.getErrorCount()).toBe(0);
    expect(await tracker.getRecentErrors()).toEqual([]);
    expect(await tracker.getStatus()).toBe("initializing");
    expect(await tracker.getCounter("requests")).toBe(0);
    expect(await tracker.getGauge("queue")).toBeUndefined();
    const stats = await tracker.getStats();
    expect(stats).toMatchObject({
      counters: {},
      gauges: {},
      performanceMetrics: {},
      errorCount: 0,
      lastActivity: null,
      status: "initializing",
      uptimeSeconds: 1,
      healthScore: 54,
    });
    clock.advance(1000);
    await tracker.increment("requests");
    expect(await tracker.getCounter("requests")).toBe(1);
  });

  it("forgets folded names", async () => {
    const { tracker } = make({ maxMetricNames: 1 });
    await tracker.increment("a");
    await tracker.increment("b");
    await tracker.resetMetrics();
    await tracker.increment("b");
    const stats = await tracker.getStats();
    expect(stats.counters).toEqual({ b: 1 });
    expect(stats.overflow).toBeUndefined();
  });
});

describe("bad input", () => {
  const err = new Error("e");
  const cases: [
    string,
    (t: BaseStatisticsTracker) => Promise<unknown>,
    ErrorConstructor,
    string,
    string,
  ][] = [
    ["increment('')", (t) => t.increment(""), RangeError, "`metric`", '"" (string)'],
    ["increment(5)", (t) => t.increment(5 as never), TypeError, "`metric`", "5 (number)"],
    [
      "increment(undefined)",
      (t) => t.increment(undefined as never),
      TypeError,
      "`metric`",
      "undefined",
    ],
    [
      "increment(long name)",
      (t) => t.increment("x".repeat(300)),
      RangeError,
      "`metric`",
      "300 characters",
    ],
    [
      "increment(m, NaN)",
      (t) => t.increment("m", Number.NaN),
      RangeError,
      "`value`",
      "NaN (number)",
    ],
    [
      "increment(m, Infinity)",
      (t) => t.increment("m", Number.POSITIVE_INFINITY),
      RangeError,
      "`value`",
      "Infinity",
    ],
    [
      "increment(m, '2')",
      (t) => t.increment("m", "2" as never),
      TypeError,
      "`value`",
      '"2" (string)',
    ],
    ["increment(m, null)", (t) => t.increment("m", null as never), TypeError, "`value`", "null"],
    ["setGauge('', 1)", (t) => t.setGauge("", 1), RangeError, "`metric`", '""'],
    ["setGauge(null, 1)", (t) => t.setGauge(null as never, 1), TypeError, "`metric`", "null"],
    ["setGauge(g, NaN)", (t) => t.setGauge("g", Number.NaN), RangeError, "`value`", "NaN"],
    [
      "setGauge(g, -Infinity)",
      (t) => t.setGauge("g", Number.NEGATIVE_INFINITY),
      RangeError,
      "`value`",
      "-Infinity",
    ],
    [
      "setGauge(g, undefined)",
      (t) => t.setGauge("g", undefined as never),
      TypeError,
      "`value`",
      "undefined",
    ],
    ["recordTiming('', 1)", (t) => t.recordTiming("", 1), RangeError, "`operation`", '""'],
    [
      "recordTiming({}, 1)",
      (t) => t.recordTiming({} as never, 1),
      TypeError,
      "`operation`",
      "object",
    ],
    [
      "recordTiming(op, -1)",
      (t) => t.recordTiming("op", -1),
      RangeError,
      "`durationMs`",
      "-1 (number)",
    ],
    [
      "recordTiming(op, NaN)",
      (t) => t.recordTiming("op", Number.NaN),
      RangeError,
      "`durationMs`",
      "NaN",
    ],
    [
      "recordTiming(op, Infinity)",
      (t) => t.recordTiming("op", Number.POSITIVE_INFINITY),
      RangeError,
      "`durationMs`",
      "Infinity",
    ],
    [
      "recordTiming(op, '5')",
      (t) => t.recordTiming("op", "5" as never),
      TypeError,
      "`durationMs`",
      '"5"',
    ],
    [
      "trackError(e, 5)",
      (t) => t.trackError(err, 5 as never),
      TypeError,
      "`context`",
      "5 (number)",
    ],
    [
      "trackError(e, undefined)",
      (t) => t.trackError(err, undefined as never),
      TypeError,
      "`context`",
      "undefined",
    ],
    ["setStatus('')", (t) => t.setStatus(""), RangeError, "`status`", '""'],
    ["setStatus(3)", (t) => t.setStatus(3 as never), TypeError, "`status`", "3 (number)"],
    ["getRecentErrors(-1)", (t) => t.getRecentErrors(-1), RangeError, "`limit`", "-1"],
    ["getRecentErrors(1.5)", (t) => t.getRecentErrors(1.5), RangeError, "`limit`", "1.5"],
    ["getRecentErrors('3')", (t) => t.getRecentErrors("3" as never), TypeError, "`limit`", '"3"'],
    ["getCounter('')", (t) => t.getCounter(""), RangeError, "`metric`", '""'],
    ["getCounter(7)", (t) => t.getCounter(7 as never), TypeError, "`metric`", "7 (number)"],
    ["getGauge(null)", (t) => t.getGauge(null as never), TypeError, "`metric`", "null"],
    ["time('', fn)", (t) => t.time("", () => 1), RangeError, "`operation`", '""'],
    ["time(op, 5)", (t) => t.time("op", 5 as never), TypeError, "`fn`", "5 (number)"],
  ];

  it.each(cases)(
    "%s rejects (never throws), names the argument and the value, and changes nothing",
    async (name, call, type, argument, value) => {
      const { onError, failures } = expectedFailures();
      const { tracker } = await seeded({ cacheTtlMs: 0, onError });
      const before = await tracker.getStats();
      const errorsBefore = await tracker.getRecentErrors(100);
      const lastActivity = tracker.lastActivity;
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = call(tracker);
      }).not.toThrow();
      expect(pending).toBeInstanceOf(Promise);
      const error = await (pending as Promise<unknown>).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(type);
      expect((error as Error).message).toContain(argument);
      expect((error as Error).message).toContain(value);
      expect(await tracker.getStats()).toEqual(before);
      expect(await tracker.getRecentErrors(100)).toEqual(errorsBefore);
      expect(tracker.lastActivity).toBe(lastActivity);
      // Reported to onError too, as an unawaited call's failure would be.
      expect(failures).toEqual([
        { call: name.slice(0, name.indexOf("(")), message: (error as Error).message },
      ]);
    },
  );

  it("rejects a counter overflowing to Infinity and keeps the old value", async () => {
    const { onError, failures } = expectedFailures();
    const { tracker } = make({ cacheTtlMs: 0, onError });
    await tracker.increment("big", Number.MAX_VALUE);
    const before = await tracker.getStats();
    await expect(tracker.increment("big", Number.MAX_VALUE)).rejects.toThrow(RangeError);
    await expect(tracker.increment("big", Number.MAX_VALUE)).rejects.toThrow(/`value`/);
    expect(await tracker.getStats()).toEqual(before);
    expect(failures.map((failure) => failure.call)).toEqual(["increment", "increment"]);
  });

  it("rejects every write when the clock returns a bad reading, changing nothing", async () => {
    let nowMs = 0;
    const { onError, failures } = expectedFailures();
    const tracker = new BaseStatisticsTracker("c", {
      clock: { now: () => nowMs },
      cacheTtlMs: 0,
      onError,
    });
    await tracker.increment("a");
    nowMs = Number.NaN;
    await expect(tracker.increment("a")).rejects.toThrow(/`clock.now\(\)`.*NaN/);
    await expect(tracker.setGauge("g", 1)).rejects.toThrow(RangeError);
    await expect(tracker.recordTiming("op", 1)).rejects.toThrow(RangeError);
    await expect(tracker.trackError(new Error("e"), "c")).rejects.toThrow(RangeError);
    await expect(tracker.setStatus("connected")).rejects.toThrow(RangeError);
    await expect(tracker.getUptime()).rejects.toThrow(RangeError);
    await expect(tracker.getStats()).rejects.toThrow(RangeError);
    expect(failures).toHaveLength(7);
    nowMs = 10;
    const stats = await tracker.getStats();
    expect(stats).toMatchObject({ counters: { a: 1 }, gauges: {}, errorCount: 0, lastActivity: 0 });
  });
});

describe("lifetime figures in snapshots", () => {
  it("takes timingBucketsMs, checked and named, and reports the bounds once per component", async () => {
    expect(() => new BaseStatisticsTracker("t", { timingBucketsMs: [2, 1] })).toThrow(
      /`timingBucketsMs` to be strictly ascending/,
    );
    expect(() => new BaseStatisticsTracker("t", { timingBucketsMs: [] as number[] })).toThrow(
      RangeError,
    );
    const bounds = [1, 10];
    const tracker = new BaseStatisticsTracker("t", {
      clock: manualClock(START),
      timingBucketsMs: bounds,
    });
    bounds[0] = 5; // the tracker took a copy
    expect((await tracker.getStats()).timingBucketsMs).toBeUndefined(); // no operation yet
    for (const ms of [0.5, 5, 50]) await tracker.recordTiming("op", ms);
    const stats = await tracker.getStats();
    expect(stats.timingBucketsMs).toEqual([1, 10]);
    expect(stats.performanceMetrics.op?.bucketCounts).toEqual([1, 1, 1]);
    expect(stats.performanceMetrics.op?.sumMs).toBe(55.5);
  });

  it("lists counters that received a negative increment, and forgets them on reset", async () => {
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(START) });
    await tracker.increment("up", 2);
    expect((await tracker.getStats()).upDownCounters).toBeUndefined();
    await tracker.increment("pool", 3);
    await tracker.increment("pool", -1);
    expect((await tracker.getStats()).upDownCounters).toEqual(["pool"]);
    await tracker.resetMetrics();
    await tracker.increment("pool", 1);
    expect((await tracker.getStats()).upDownCounters).toBeUndefined();
  });

  it("counts its resets, so that a reset shows while the clock stands still", async () => {
    const clock = manualClock(START);
    const tracker = new BaseStatisticsTracker("t", { clock, cacheTtlMs: 0 });
    expect(await tracker.getStats()).not.toHaveProperty("resetCount");
    await tracker.resetMetrics();
    await tracker.resetMetrics();
    const stats = await tracker.getStats();
    expect(stats.resetCount).toBe(2);
    expect(stats.countingSince).toBe(START);
  });

  it("says since when lifetime figures count: creation, then the first clock reading after a reset", async () => {
    const clock = manualClock(START);
    const tracker = new BaseStatisticsTracker("t", { clock, cacheTtlMs: 0 });
    clock.advance(1000);
    expect((await tracker.getStats()).countingSince).toBe(START);
    await tracker.resetMetrics();
    clock.advance(500);
    await tracker.increment("x");
    clock.advance(500);
    expect((await tracker.getStats()).countingSince).toBe(START + 1500);
    // The snapshot copies keep the arrays apart from the cached snapshot.
    await tracker.increment("y", -1);
    await tracker.recordTiming("op", 1);
    const cached = new BaseStatisticsTracker("c", { clock });
    await cached.increment("y", -1);
    await cached.recordTiming("op", 1);
    const first = await cached.getStats();
    first.upDownCounters?.push("z");
    first.timingBucketsMs?.push(1);
    first.performanceMetrics.op?.bucketCounts?.push(1);
    const second = await cached.getStats();
    expect(second.upDownCounters).toEqual(["y"]);
    expect(second.timingBucketsMs).toHaveLength(16);
    expect(second.performanceMetrics.op?.bucketCounts).toHaveLength(17);
  });
});

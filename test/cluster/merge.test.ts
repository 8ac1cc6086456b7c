import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type GaugeRule,
  interleaveErrors,
  mergeRecentActivity,
  mergeStats,
  REPORT_RULES,
  type StatsContext,
  TIMING_RULES,
} from "../../src/cluster/merge.js";
import { mergeFields, type Owned } from "../../src/cluster/merge-fields.js";
import type { ComponentReport } from "../../src/registry/types.js";
import { TimingStore } from "../../src/stores/timing-store.js";
import { TimingWindow } from "../../src/stores/timing-window.js";
import type { ComponentStats, ErrorRecord, TimingSummary } from "../../src/types.js";

const sample = fc.oneof(
  fc.integer({ min: 0, max: 20 }),
  fc.double({ min: 0, max: 1e5, noNaN: true }),
);

/** A worker's window: its tracker's summary and sorted samples. */
function windowOf(samples: readonly number[], size: number) {
  const timings = new TimingWindow(size);
  for (const value of samples) timings.record(value);
  // The window's own figures: the lifetime ones come from each test's own fields.
  const { sumMs, lifetimeMinMs, lifetimeMaxMs, bucketCounts, ...summary } = timings.summary({
    sumMs: 0,
    minMs: 0,
    maxMs: 0,
    bucketCounts: () => [],
  });
  return { summary: summary as TimingSummary, sorted: timings.sortedSamples() };
}

function statsOf(overrides: Partial<ComponentStats> = {}): ComponentStats {
  return {
    name: "api",
    status: "connected",
    uptimeSeconds: 10,
    lastActivity: 1000,
    errorCount: 0,
    memoryUsageMb: 0.1,
    healthScore: 100,
    counters: {},
    gauges: {},
    performanceMetrics: {},
    ...overrides,
  };
}

const context = (
  rules: Record<string, GaugeRule> = {},
  windows: StatsContext["windows"] = new Map(),
): StatsContext => ({ windows, gaugeRule: (name) => rules[name] ?? "sum" });

const owned = <S>(owner: string, value: S): Owned<S> => ({ owner, value });

describe("TIMING_RULES", () => {
  it("are exact over the union of windows: as one window holding every sample (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 30 }),
            samples: fc.array(sample, { minLength: 1, maxLength: 60 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        (workers) => {
          const windows = workers.map(({ samples, size }) => windowOf(samples, size));
          const merged = mergeFields(
            TIMING_RULES,
            windows.map((w, i) => owned(`w${i}`, w.summary)),
            [],
            {
              runs: windows.map((w) => w.sorted),
              counts: windows.map((w) => w.summary.count),
            },
          );
          const kept = workers.flatMap(({ samples, size }) => samples.slice(-size));
          const oracle = windowOf(kept, kept.length).summary;
          const { avgMs, count, ...exact } = merged;
          const { avgMs: oracleAvg, count: _, ...oracleExact } = oracle;
          expect(exact).toEqual(oracleExact);
          expect(count).toBe(workers.reduce((total, w) => total + w.samples.length, 0));
          expect(Math.abs(avgMs - oracleAvg)).toBeLessThanOrEqual(1e-9 * Math.max(1, oracleAvg));
        },
      ),
    );
  });

  it("without every window: exact min and max, the largest percentile, a count-weighted mean", () => {
    const a: TimingSummary = {
      count: 1,
      avgMs: 2,
      minMs: 1,
      maxMs: 3,
      p50Ms: 2,
      p90Ms: 2.8,
      p95Ms: 2.9,
      p99Ms: 3,
    };
    const b: TimingSummary = {
      count: 3,
      avgMs: 6,
      minMs: 5,
      maxMs: 7,
      p50Ms: 6,
      p90Ms: 6.8,
      p95Ms: 6.9,
      p99Ms: 6.95,
    };
    const merged = mergeFields(TIMING_RULES, [owned("a", a), owned("b", b)], [], {
      runs: undefined,
      counts: [1, 3],
    });
    expect(merged).toEqual({
      count: 4,
      avgMs: 5,
      minMs: 1,
      maxMs: 7,
      p50Ms: 6,
      p90Ms: 6.8,
      p95Ms: 6.9,
      p99Ms: 6.95,
    });
  });

  it("count sums carried summaries; the window fields ignore them", () => {
    const fresh = windowOf([1, 2, 3], 10);
    const gone: TimingSummary = { ...fresh.summary, count: 100, maxMs: 1000 };
    const merged = mergeFields(TIMING_RULES, [owned("a", fresh.summary)], [owned("gone", gone)], {
      runs: [fresh.sorted],
      counts: [3],
    });
    expect(merged).toEqual({ ...fresh.summary, count: 103 });
  });

  it("empty windows report zeros", () => {
    const merged = mergeFields(TIMING_RULES, [owned("a", windowOf([4], 1).summary)], [], {
      runs: [new Float64Array(0), new Float64Array(0)],
      counts: [1],
    });
    expect(merged).toMatchObject({ count: 1, avgMs: 0, minMs: 0, maxMs: 0, p99Ms: 0 });
  });
});

describe("mergeStats", () => {
  it("sums counters, error counts and memory; takes the worst status, the lowest health, the oldest uptime, the latest activity", () => {
    const merged = mergeStats(
      [
        owned(
          "a",
          statsOf({
            counters: { r: 1 },
            errorCount: 2,
            memoryUsageMb: 0.1,
            healthScore: 90,
            uptimeSeconds: 5,
            lastActivity: 7,
          }),
        ),
        owned(
          "b",
          statsOf({
            counters: { r: 2, s: 1 },
            errorCount: 1,
            memoryUsageMb: 0.2,
            healthScore: 60,
            uptimeSeconds: 9,
            lastActivity: null,
            status: "disconnected",
          }),
        ),
      ],
      [],
      context(),
    );
    expect(merged).toEqual(
      statsOf({
        status: "disconnected",
        counters: { r: 3, s: 1 },
        errorCount: 3,
        memoryUsageMb: 0.3,
        healthScore: 60,
        uptimeSeconds: 9,
        lastActivity: 7,
      }),
    );
  });

  it("merges each gauge by its rule; perWorker gauges go to workerGauges by worker", () => {
    const merged = mergeStats(
      [
        owned("cluster-1", statsOf({ gauges: { queue: 2, lag: 5, free: 10, conns: 3 } })),
        owned("cluster-2", statsOf({ gauges: { queue: 4, lag: 9, free: 4, conns: 7 } })),
        owned("cluster-3", statsOf({ gauges: { queue: 1 } })),
      ],
      [owned("gone", statsOf({ gauges: { queue: 100, old: 1 } }))],
      context({ lag: "max", free: "min", conns: "perWorker" }),
    );
    expect(merged.gauges).toEqual({ queue: 7, lag: 9, free: 4 });
    expect(merged.workerGauges).toEqual({ conns: { "cluster-1": 3, "cluster-2": 7 } });
  });

  it("leaves out workerGauges when no gauge is kept per worker, and unions those of merged views", () => {
    expect(
      "workerGauges" in mergeStats([owned("a", statsOf({ gauges: { q: 1 } }))], [], context()),
    ).toBe(false);
    const nested = mergeStats(
      [
        owned("a", statsOf({ workerGauges: { conns: { "thread-1": 1 } } })),
        owned("b", statsOf({ workerGauges: { conns: { "thread-2": 2 } } })),
      ],
      [],
      context(),
    );
    expect(nested.workerGauges).toEqual({ conns: { "thread-1": 1, "thread-2": 2 } });
  });

  it("counts carried counters and timing counts, but only for names a fresh worker reports", () => {
    const a = windowOf([1, 2], 10);
    const merged = mergeStats(
      [
        owned(
          "a",
          statsOf({ counters: { r: 1 }, errorCount: 1, performanceMetrics: { get: a.summary } }),
        ),
      ],
      [
        owned(
          "retired",
          statsOf({
            counters: { r: 10, gone: 5 },
            errorCount: 4,
            performanceMetrics: { get: { ...a.summary, count: 50 }, old: a.summary },
          }),
        ),
      ],
      context({}, new Map([["a", new Map([["get", a.sorted]])]])),
    );
    expect(merged.counters).toEqual({ r: 11 });
    expect(merged.errorCount).toBe(5);
    expect(Object.keys(merged.performanceMetrics)).toEqual(["get"]);
    expect(merged.performanceMetrics.get).toEqual({ ...a.summary, count: 52 });
  });

  it("falls back to estimates for an operation a worker sent no window for", () => {
    const a = windowOf([1, 2, 3], 10);
    const b = windowOf([10, 20], 10);
    const merged = mergeStats(
      [
        owned("a", statsOf({ performanceMetrics: { get: a.summary } })),
        owned("b", statsOf({ performanceMetrics: { get: b.summary } })),
      ],
      [],
      context({}, new Map([["a", new Map([["get", a.sorted]])]])),
    );
    expect(merged.performanceMetrics.get).toMatchObject({
      count: 5,
      minMs: 1,
      maxMs: 20,
      p50Ms: b.summary.p50Ms,
    });
  });

  it("sums folded-name counts", () => {
    const overflow = { counters: 1, gauges: 0, operations: 2 };
    const merged = mergeStats(
      [owned("a", statsOf({ overflow })), owned("b", statsOf()), owned("c", statsOf({ overflow }))],
      [],
      context(),
    );
    expect(merged.overflow).toEqual({ counters: 2, gauges: 0, operations: 4 });
  });
});

describe("mergeStats: lifetime figures", () => {
  // Multiples of 0.25: every sum is exact in binary floating point, in any order.
  const quarter = fc.integer({ min: 0, max: 60_000 }).map((n) => n / 4);
  const BOUNDS = [0.5, 2, 10, 100, 1000];

  /** A worker's stats over `samples` of operation "get", as a tracker reports them. */
  function storeStats(samples: readonly number[], window = 20, bucketsMs = BOUNDS) {
    const store = new TimingStore({ window, bucketsMs });
    for (const value of samples) store.recordTiming("get", value);
    const stats = statsOf({ performanceMetrics: store.getAllMetrics() });
    if (samples.length > 0) stats.timingBucketsMs = store.bucketsMs;
    return { stats, sorted: store.sortedSamples() };
  }

  it("sums sumMs and buckets exactly and takes the lifetime extremes over every sample, carried ones included (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(quarter, { minLength: 1, maxLength: 40 }), {
          minLength: 1,
          maxLength: 4,
        }),
        fc.array(fc.array(quarter, { minLength: 1, maxLength: 40 }), { maxLength: 2 }),
        (freshSamples, carriedSamples) => {
          const fresh = freshSamples.map((samples) => storeStats(samples));
          const carried = carriedSamples.map((samples) => storeStats(samples));
          const merged = mergeStats(
            fresh.map(({ stats }, i) => owned(`w${i}`, stats)),
            carried.map(({ stats }, i) => owned(`gone${i}`, stats)),
            context({}, new Map(fresh.map(({ sorted }, i) => [`w${i}`, sorted]))),
          );
          // The oracle: one store that recorded every sample of every worker.
          const all = [...freshSamples, ...carriedSamples].flat();
          const oracle = storeStats(all, all.length).stats.performanceMetrics.get;
          const get = merged.performanceMetrics.get;
          expect(get?.count).toBe(all.length);
          expect(get?.sumMs).toBe(oracle?.sumMs);
          expect(get?.bucketCounts).toEqual(oracle?.bucketCounts);
          expect(get?.lifetimeMinMs).toBe(Math.min(...all));
          expect(get?.lifetimeMaxMs).toBe(Math.max(...all));
          expect(merged.timingBucketsMs).toEqual(BOUNDS);
        },
      ),
    );
  });

  it("leaves out a lifetime field a worker does not report, rather than sum a part", () => {
    const a = storeStats([1, 2, 3]);
    const { sumMs: _, ...withoutSum } = a.stats.performanceMetrics.get as TimingSummary;
    const provider = statsOf({ performanceMetrics: { get: withoutSum } });
    const merged = mergeStats([owned("a", a.stats)], [owned("gone", provider)], context());
    expect(merged.performanceMetrics.get).not.toHaveProperty("sumMs");
    // The provider reports no bounds either: its buckets cannot be counted in.
    expect(merged.performanceMetrics.get).not.toHaveProperty("bucketCounts");
    expect(merged).not.toHaveProperty("timingBucketsMs");
    expect(merged.performanceMetrics.get).toMatchObject({
      count: 6,
      lifetimeMinMs: 1,
      lifetimeMaxMs: 3,
    });
  });

  it("keeps the first worker's bounds and drops the histogram of an operation a worker counted over other bounds", () => {
    const a = storeStats([1, 50]);
    const b = storeStats([3], 20, [1, 5]);
    const store = new TimingStore({ bucketsMs: BOUNDS });
    store.recordTiming("put", 7);
    a.stats.performanceMetrics.put = store.getAllMetrics().put as TimingSummary;
    const merged = mergeStats([owned("a", a.stats), owned("b", b.stats)], [], context());
    expect(merged.timingBucketsMs).toEqual(BOUNDS);
    expect(merged.performanceMetrics.get).not.toHaveProperty("bucketCounts");
    expect(merged.performanceMetrics.get).toMatchObject({ count: 3, sumMs: 54 });
    expect(merged.performanceMetrics.put?.bucketCounts).toEqual([0, 0, 1, 0, 0, 0]);
    // With no operation left with a histogram, the bounds go too.
    const only = mergeStats(
      [owned("b", b.stats), owned("a", storeStats([1]).stats)],
      [],
      context(),
    );
    expect(only).not.toHaveProperty("timingBucketsMs");
  });

  it("counts since the earliest start of any worker, carried ones included", () => {
    const merged = mergeStats(
      [owned("a", statsOf({ countingSince: 500 })), owned("b", statsOf({ countingSince: 300 }))],
      [owned("gone", statsOf({ countingSince: 100 }))],
      context(),
    );
    expect(merged.countingSince).toBe(100);
    expect(mergeStats([owned("a", statsOf())], [], context())).not.toHaveProperty("countingSince");
  });

  it("counts the resets of every worker, carried ones included", () => {
    const merged = mergeStats(
      [owned("a", statsOf({ resetCount: 2 })), owned("b", statsOf())],
      [owned("gone", statsOf({ resetCount: 1 }))],
      context(),
    );
    expect(merged.resetCount).toBe(3);
    expect(mergeStats([owned("a", statsOf())], [], context())).not.toHaveProperty("resetCount");
  });

  it("lists a counter as up-down when any worker does, carried ones included, in the order of the counters", () => {
    const merged = mergeStats(
      [
        owned("a", statsOf({ counters: { r: 1, s: 2, t: 3 }, upDownCounters: ["t"] })),
        owned("b", statsOf({ counters: { r: 1 } })),
      ],
      [owned("gone", statsOf({ counters: { r: -5, old: -1 }, upDownCounters: ["old", "r"] }))],
      context(),
    );
    expect(merged.counters).toEqual({ r: -3, s: 2, t: 3 });
    // "old" is no counter of the merged view: carried values never add a name.
    expect(merged.upDownCounters).toEqual(["r", "t"]);
    const carriedOnly = mergeStats(
      [owned("a", statsOf({ counters: { r: 1 } }))],
      [owned("gone", statsOf({ counters: { r: -2 }, upDownCounters: ["r"] }))],
      context(),
    );
    expect(carriedOnly.upDownCounters).toEqual(["r"]);
    expect(
      mergeStats([owned("a", statsOf({ counters: { r: 1 } }))], [], context()),
    ).not.toHaveProperty("upDownCounters");
  });

  it("sums recent calls and errors over the workers that answered now", () => {
    const recent = (calls: number, errors: number) => ({
      windowMs: 60_000,
      calls,
      errors,
      errorRate: calls > 0 ? errors / calls : 0,
    });
    const merged = mergeStats(
      [
        owned("a", statsOf({ recent: recent(90, 0) })),
        owned("b", statsOf({ recent: recent(10, 10) })),
      ],
      [owned("gone", statsOf({ recent: recent(1000, 1000) }))],
      context(),
    );
    expect(merged.recent).toEqual({ windowMs: 60_000, calls: 100, errors: 10, errorRate: 0.1 });
  });
});

describe("REPORT_RULES", () => {
  const ok = (name: string, overrides: Partial<ComponentReport> = {}): ComponentReport => ({
    name,
    outcome: "ok",
    status: "connected",
    healthScore: 90,
    weight: 1,
    stats: statsOf({ name }),
    verdict: "healthy",
    reasons: [],
    ...overrides,
  });
  const merge = (reports: Owned<ComponentReport>[]) =>
    mergeFields(REPORT_RULES, reports, [], { ...context(), carried: [] });

  it("is collected when any worker collected it; the failure shows in status, health and reason", () => {
    const merged = merge([
      owned("cluster-1", ok("api")),
      owned("cluster-2", {
        name: "api",
        outcome: "timeout",
        status: "timeout",
        healthScore: 0,
        weight: 2,
        reason: "slow",
        pendingSinceMs: 5,
        verdict: "unhealthy",
        reasons: ["not collected (timeout): slow"],
      }),
    ]);
    expect(merged).toMatchObject({
      outcome: "ok",
      status: "timeout",
      healthScore: 0,
      weight: 2,
      reason: "cluster-2: slow",
      pendingSinceMs: 5,
      verdict: "unhealthy",
      reasons: ["cluster-2: not collected (timeout): slow"],
    });
    expect(merged.stats?.name).toBe("api");
  });

  it("fails with error before timeout when no worker collected it, and has no stats", () => {
    const failed = (outcome: "error" | "timeout"): ComponentReport => ({
      name: "api",
      outcome,
      status: outcome,
      healthScore: 0,
      weight: 1,
      reason: outcome,
      verdict: "unhealthy",
      reasons: [`not collected (${outcome}): ${outcome}`],
    });
    const merged = merge([owned("a", failed("timeout")), owned("b", failed("error"))]);
    expect(merged).toEqual({
      name: "api",
      outcome: "error",
      status: "error",
      healthScore: 0,
      weight: 1,
      reason: "a: timeout; b: error",
      verdict: "unhealthy",
      reasons: ["a: not collected (timeout): timeout", "b: not collected (error): error"],
    });
    expect(merge([owned("a", failed("timeout"))]).outcome).toBe("timeout");
  });

  it("takes the worst verdict of the workers', each reason named by its worker, whatever their order", () => {
    const degraded = ok("api", { verdict: "degraded", reasons: ['status "initializing"'] });
    const unhealthy = ok("api", {
      verdict: "unhealthy",
      reasons: ['status "error"', "6 of 10 calls failed in the last 60 s (60%)"],
    });
    const healthy = ok("api");
    expect(merge([owned("a", healthy), owned("b", degraded)])).toMatchObject({
      verdict: "degraded",
      reasons: ['b: status "initializing"'],
    });
    for (const order of [
      [owned("a", healthy), owned("b", degraded), owned("c", unhealthy)],
      [owned("c", unhealthy), owned("b", degraded), owned("a", healthy)],
    ]) {
      const merged = merge(order);
      expect(merged.verdict).toBe("unhealthy");
      expect([...merged.reasons].sort()).toEqual([
        'b: status "initializing"',
        "c: 6 of 10 calls failed in the last 60 s (60%)",
        'c: status "error"',
      ]);
    }
    expect(merge([owned("a", healthy), owned("b", healthy)])).toMatchObject({
      verdict: "healthy",
      reasons: [],
    });
  });

  it("interleaves recent errors by time and keeps the newest ten", () => {
    const record = (timestamp: number, error: string): ErrorRecord => ({
      error,
      errorType: "Error",
      context: "x",
      details: {},
      timestamp,
    });
    const a = Array.from({ length: 8 }, (_, i) => record(i * 2, `a${i}`));
    const b = Array.from({ length: 8 }, (_, i) => record(i * 2 + 1, `b${i}`));
    const merged = merge([
      owned("a", ok("api", { recentErrors: a })),
      owned("b", ok("api", { recentErrors: b })),
    ]);
    expect(merged.recentErrors?.map((r) => r.timestamp)).toEqual([
      6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    ]);
  });
});

describe("interleaveErrors and mergeRecentActivity", () => {
  it("keeps worker order for records of the same time, and nothing for a limit of 0", () => {
    const at = (error: string): ErrorRecord => ({
      error,
      errorType: "E",
      context: "",
      details: {},
      timestamp: 5,
    });
    expect(interleaveErrors([[at("a1"), at("a2")], [at("b1")]], 10).map((r) => r.error)).toEqual([
      "a1",
      "a2",
      "b1",
    ]);
    expect(interleaveErrors([[at("a1")]], 0)).toEqual([]);
  });

  it("recomputes the error rate from summed calls and errors", () => {
    expect(
      mergeRecentActivity([
        { windowMs: 60_000, calls: 100, errors: 0, errorRate: 0 },
        { windowMs: 60_000, calls: 0, errors: 0, errorRate: 0 },
        { windowMs: 60_000, calls: 1, errors: 1, errorRate: 1 },
      ]),
    ).toEqual({ windowMs: 60_000, calls: 101, errors: 1, errorRate: 1 / 101 });
    // As RecentActivity defines it: failures tracked without a counted call count as calls.
    expect(
      mergeRecentActivity([
        { windowMs: 1, calls: 0, errors: 3, errorRate: 1 },
        { windowMs: 1, calls: 1, errors: 0, errorRate: 0 },
      ]).errorRate,
    ).toBe(1);
    expect(
      mergeRecentActivity([{ windowMs: 1, calls: 0, errors: 0, errorRate: 0 }]).errorRate,
    ).toBe(0);
  });
});

/**
 * Model-based test: random sequences of every public call, bad arguments included,
 * run against a tracker and against a plain reference model, checking after every
 * step that the two agree. The model is written from the contract, not from the
 * tracker's code: Maps and arrays, a naive sort for percentiles, and the pure
 * `scoreHealth` / `estimateMemoryMb` for the figures that are defined by them. Values
 * reach the extremes (±Number.MAX_VALUE, MAX_DURATION_MS, subnormals, -0), and no
 * figure a snapshot or health breakdown reports may ever be NaN or ±Infinity.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateMemoryMb } from "../../src/compute/memory.js";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  DEFAULT_TIMING_BUCKETS_MS,
  type ErrorRecord,
  MAX_DURATION_MS,
  type ManualClock,
  manualClock,
  OVERFLOW_NAME,
  scoreHealth,
  type TimingSummary,
} from "../../src/index.js";

/** Generated command sequences per run of the property; the README quotes it. */
const MODEL_RUNS = 400;
const MAX_COMMANDS = 60;

const NAMES = ["a", "b", "c", "d", "e"] as const;
const STATUSES = ["connected", "active", "initializing", "disconnected", "error", "paused"];
const MAX_NAMES = 3;
const TIMING_WINDOW = 8;
const START_MS = 1_700_000_000_000;
/** The default recent window: 60 buckets of 1 s. */
const RECENT_WINDOW_MS = 60_000;
const RECENT_BUCKET_MS = 1000;

// ---- the reference model ------------------------------------------------------

interface Timing {
  count: number;
  window: number[];
  /** Every duration since creation or reset, for the lifetime sum, extremes and buckets. */
  all: number[];
}

interface Model {
  readonly maxErrors: number;
  readonly ttlMs: number;
  readonly createdAt: number;
  nowMs: number;
  counters: Map<string, number>;
  gauges: Map<string, number>;
  timings: Map<string, Timing>;
  folded: { counters: Set<string>; gauges: Set<string>; operations: Set<string> };
  errors: ErrorRecord[];
  errorCount: number;
  status: string;
  lastActivity: number | null;
  /** Creation or the first clock reading after the last reset. */
  countingSince: number | null;
  /** resetMetrics() calls since creation. */
  resetCount: number;
  /** Counter keys that received a negative increment. */
  upDown: Set<string>;
  /** Every call and failure since creation or reset, in the bucket it counts in. */
  recent: { bucket: number; calls: number; errors: number }[];
  /** The newest bucket any write or fresh snapshot reached: the window never moves back. */
  recentHead: number;
  /** When the cached snapshot and health score were taken; null when none is cached. */
  statsCachedAt: number | null;
  healthCachedAt: number | null;
}

interface Real {
  tracker: BaseStatisticsTracker;
  clock: ManualClock;
  /** What the tracker's onError received, in order. */
  failures: unknown[];
}

function newModel(maxErrors: number, ttlMs: number): Model {
  return {
    maxErrors,
    ttlMs,
    createdAt: START_MS,
    nowMs: START_MS,
    counters: new Map(),
    gauges: new Map(),
    timings: new Map(),
    folded: { counters: new Set(), gauges: new Set(), operations: new Set() },
    errors: [],
    errorCount: 0,
    status: "initializing",
    lastActivity: null,
    countingSince: START_MS,
    resetCount: 0,
    upDown: new Set(),
    recent: [],
    recentHead: Number.NEGATIVE_INFINITY,
    statsCachedAt: null,
    healthCachedAt: null,
  };
}

/** Counts calls or a failure now, in the newest bucket if the clock went back. */
function countRecent(model: Model, calls: number, errors: number): void {
  model.recentHead = Math.max(model.recentHead, Math.floor(model.nowMs / RECENT_BUCKET_MS));
  model.recent.push({ bucket: model.recentHead, calls, errors });
}

/** The contract of `recent`: what the buckets of the last 60 s hold, read at `atMs`. */
function modelRecent(model: Model, atMs: number) {
  model.recentHead = Math.max(model.recentHead, Math.floor(atMs / RECENT_BUCKET_MS));
  const oldest = model.recentHead - RECENT_WINDOW_MS / RECENT_BUCKET_MS + 1;
  let calls = 0;
  let errors = 0;
  for (const event of model.recent) {
    if (event.bucket < oldest) continue;
    calls += event.calls;
    errors += event.errors;
  }
  calls = Math.min(calls, Number.MAX_VALUE);
  const attempts = Math.max(calls, errors);
  return {
    windowMs: RECENT_WINDOW_MS,
    calls,
    errors,
    errorRate: attempts > 0 ? errors / attempts : 0,
    // Sums of these values are exact in any order; past them the order of float sums shows.
    exact: model.recent.every((event) => event.bucket < oldest || event.calls <= 1e6),
  };
}

/** The key a value for `name` lands on: the name, or the overflow entry past the cap. */
function keyFor(map: Map<string, unknown>, name: string): { key: string; folds: boolean } {
  if (map.has(name) || map.size < MAX_NAMES) return { key: name, folds: false };
  return { key: OVERFLOW_NAME, folds: true };
}

function touch(model: Model): void {
  model.countingSince ??= model.nowMs;
  model.lastActivity = model.nowMs;
  model.statsCachedAt = null;
  model.healthCachedAt = null;
}

function modelIncrement(model: Model, name: string, value: number): "ok" | "overflow" {
  const { key, folds } = keyFor(model.counters, name);
  const next = (model.counters.get(key) ?? 0) + value;
  if (!Number.isFinite(next)) return "overflow";
  if (folds) model.folded.counters.add(name);
  model.counters.set(key, next + 0);
  if (value < 0) model.upDown.add(key);
  if (value > 0) countRecent(model, value, 0);
  touch(model);
  return "ok";
}

function modelRecordTiming(model: Model, name: string, durationMs: number): void {
  const { key, folds } = keyFor(model.timings, name);
  if (folds) model.folded.operations.add(name);
  const timing = model.timings.get(key) ?? { count: 0, window: [], all: [] };
  timing.count++;
  timing.all.push(durationMs + 0);
  timing.window.push(durationMs + 0);
  if (timing.window.length > TIMING_WINDOW) timing.window.shift();
  model.timings.set(key, timing);
  countRecent(model, 1, 0);
  touch(model);
}

function modelTrackError(model: Model, record: Omit<ErrorRecord, "timestamp">): void {
  model.errors.push({ ...record, timestamp: model.nowMs });
  model.errorCount++;
  countRecent(model, 0, 1);
  touch(model);
}

function modelReset(model: Model): void {
  model.counters.clear();
  model.gauges.clear();
  model.timings.clear();
  model.folded = { counters: new Set(), gauges: new Set(), operations: new Set() };
  model.errors = [];
  model.errorCount = 0;
  model.recent = [];
  model.status = "initializing";
  model.lastActivity = null;
  model.countingSince = null;
  model.resetCount++;
  model.upDown = new Set();
  model.statsCachedAt = null;
  model.healthCachedAt = null;
}

/** lru-cache semantics: served while at most ttlMs passed (also when the clock stepped back); a stale entry is dropped. */
function cacheHit(model: Model, field: "statsCachedAt" | "healthCachedAt"): number | null {
  const cachedAt = model[field];
  if (cachedAt === null || model.ttlMs === 0) return null;
  if (model.nowMs - cachedAt > model.ttlMs) {
    model[field] = null;
    return null;
  }
  return cachedAt;
}

/**
 * The counters' sum as the contract defines it: exact to rounding, and saturated at
 * ±Number.MAX_VALUE where the exact sum lies beyond (summed scaled down, it cannot overflow).
 */
function finiteSum(values: readonly number[]): number {
  const plain = values.reduce((total, value) => total + value, 0);
  if (Number.isFinite(plain)) return plain;
  const scaled = values.reduce((total, value) => total + value * 2 ** -64, 0) * 2 ** 64;
  return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, scaled));
}

function modelHealth(model: Model, atMs: number) {
  const operations = finiteSum([...model.counters.values()]);
  return scoreHealth({
    errorCount: model.errorCount,
    operationCount: operations,
    uptimeMs: Math.max(0, atMs - model.createdAt),
    msSinceLastActivity:
      model.lastActivity === null ? null : Math.max(0, atMs - model.lastActivity),
    status: model.status,
  });
}

function percentile(sorted: number[], percent: number): number {
  const position = ((sorted.length - 1) * percent) / 100;
  const lower = Math.floor(position);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower] as number;
  return low + ((sorted[upper] as number) - low) * (position - lower);
}

function summary(timing: Timing): TimingSummary {
  const sorted = [...timing.window].sort((x, y) => x - y);
  return {
    count: timing.count,
    avgMs: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    sumMs: timing.all.reduce((sum, v) => sum + v, 0),
    lifetimeMinMs: Math.min(...timing.all),
    lifetimeMaxMs: Math.max(...timing.all),
    bucketCounts: [...DEFAULT_TIMING_BUCKETS_MS, Number.POSITIVE_INFINITY].map(
      (bound, i, bounds) =>
        timing.all.filter((v) => v <= bound && (i === 0 || v > (bounds[i - 1] as number))).length,
    ),
  };
}

function modelStats(
  model: Model,
  atMs: number,
): ComponentStats & { recent: ReturnType<typeof modelRecent> } {
  const timingsByOp = [...model.timings];
  const stats: ComponentStats & { recent: ReturnType<typeof modelRecent> } = {
    name: "tracker",
    status: model.status,
    uptimeSeconds: Math.max(0, Math.floor((atMs - model.createdAt) / 1000)),
    lastActivity: model.lastActivity,
    errorCount: model.errorCount,
    countingSince: model.countingSince ?? atMs,
    memoryUsageMb: estimateMemoryMb({
      counters: model.counters.size,
      gauges: model.gauges.size,
      errors: Math.min(model.errorCount, model.maxErrors),
      operations: model.timings.size,
      // A window of 8 is allocated whole: 8 Float64 samples and 8 Uint16 ranks; and 17
      // Float64 bucket counts.
      timingBytes: model.timings.size * (TIMING_WINDOW * (8 + 2) + 17 * 8),
    }),
    healthScore: modelHealth(model, atMs).score,
    counters: Object.fromEntries(model.counters),
    gauges: Object.fromEntries(model.gauges),
    performanceMetrics: Object.fromEntries(timingsByOp.map(([op, t]) => [op, summary(t)])),
    recent: modelRecent(model, atMs),
  };
  if (model.resetCount > 0) stats.resetCount = model.resetCount;
  const upDown = [...model.counters.keys()].filter((key) => model.upDown.has(key));
  if (upDown.length > 0) stats.upDownCounters = upDown;
  if (model.timings.size > 0) stats.timingBucketsMs = [...DEFAULT_TIMING_BUCKETS_MS];
  const folded = {
    counters: model.folded.counters.size,
    gauges: model.folded.gauges.size,
    operations: model.folded.operations.size,
  };
  if (folded.counters + folded.gauges + folded.operations > 0) stats.overflow = folded;
  return stats;
}

function expectStatsEqual(actual: ComponentStats, expected: ReturnType<typeof modelStats>): void {
  const { performanceMetrics: actualTimings, recent: actualRecent, ...actualRest } = actual;
  const { performanceMetrics: expectedTimings, recent: expectedRecent, ...expectedRest } = expected;
  expect(actualRest).toEqual(expectedRest);
  const { exact, ...want } = expectedRecent;
  if (exact) expect(actualRecent).toEqual(want);
  else {
    // Values near Number.MAX_VALUE: finite, saturated, and the failures still exact.
    expect(actualRecent?.errors).toBe(want.errors);
    expect(Number.isFinite(actualRecent?.calls)).toBe(true);
    expect(actualRecent?.errorRate).toBeGreaterThanOrEqual(0);
    expect(actualRecent?.errorRate).toBeLessThanOrEqual(1);
  }
  expect(Object.keys(actualTimings)).toEqual(Object.keys(expectedTimings));
  for (const [op, want] of Object.entries(expectedTimings)) {
    const got = actualTimings[op] as TimingSummary;
    expect([got.count, got.minMs, got.maxMs]).toEqual([want.count, want.minMs, want.maxMs]);
    expect([got.lifetimeMinMs, got.lifetimeMaxMs, got.bucketCounts]).toEqual([
      want.lifetimeMinMs,
      want.lifetimeMaxMs,
      want.bucketCounts,
    ]);
    // Interpolation, the mean and the lifetime sum are computed two ways; they agree
    // to rounding, relative to the value once durations reach MAX_DURATION_MS.
    const sumTolerance = 5e-10 * Math.max(1, Math.abs(want.sumMs as number));
    expect(Math.abs((got.sumMs as number) - (want.sumMs as number))).toBeLessThanOrEqual(
      sumTolerance,
    );
    for (const field of ["avgMs", "p50Ms", "p90Ms", "p95Ms", "p99Ms"] as const) {
      const tolerance = 5e-10 * Math.max(1, Math.abs(want[field]));
      expect(Math.abs(got[field] - want[field]), field).toBeLessThanOrEqual(tolerance);
    }
  }
}

/** Every number anywhere in `value` is finite: no NaN, no ±Infinity. */
function expectAllFinite(value: unknown, path: string): void {
  if (typeof value === "number") {
    expect(Number.isFinite(value), `${path} is ${value}`).toBe(true);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) expectAllFinite(inner, `${path}.${key}`);
  }
}

/** After every step: everything that can be read without touching the cache. */
async function expectAgree(model: Model, { tracker }: Real): Promise<void> {
  for (const name of [...NAMES, OVERFLOW_NAME]) {
    expect(await tracker.getCounter(name)).toBe(model.counters.get(name) ?? 0);
    expect(await tracker.getGauge(name)).toBe(model.gauges.get(name));
  }
  expect(await tracker.getErrorCount()).toBe(model.errorCount);
  expect(await tracker.getStatus()).toBe(model.status);
  expect(await tracker.getUptime()).toBe(
    Math.max(0, Math.floor((model.nowMs - model.createdAt) / 1000)),
  );
  expect(tracker.lastActivity).toBe(model.lastActivity);
  // Without a cache, a snapshot has no side effect to model: compare it every step.
  if (model.ttlMs === 0) {
    model.countingSince ??= model.nowMs; // the snapshot reads the clock
    const stats = await tracker.getStats();
    expectAllFinite(stats, "getStats()");
    expectStatsEqual(stats, modelStats(model, model.nowMs));
    const breakdown = await tracker.getHealthBreakdown();
    expectAllFinite(breakdown, "getHealthBreakdown()");
    expect(breakdown).toEqual(modelHealth(model, model.nowMs));
  }
}

/**
 * A call with bad input must reject (never throw) with a TypeError or RangeError, and
 * be reported to onError exactly once, with that error.
 */
async function expectBadInput(real: Real, call: () => Promise<unknown>): Promise<void> {
  const reported = real.failures.length;
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error(`threw synchronously instead of rejecting: ${String(error)}`);
  }
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error instanceof TypeError || error instanceof RangeError, String(error)).toBe(true);
  expect(real.failures.slice(reported)).toEqual([error]);
}

// ---- commands -------------------------------------------------------------------

type Step = fc.AsyncCommand<Model, Real>;

function command(label: string, run: (model: Model, real: Real) => Promise<void>): Step {
  return {
    check: () => true,
    run: async (model, real) => {
      await run(model, real);
      await expectAgree(model, real);
    },
    toString: () => label,
  };
}

const name = fc.constantFrom(...NAMES);
const badName = fc.constantFrom<unknown>(42, "", "x".repeat(257), null, undefined, Symbol("s"));
const finite = fc.oneof(
  { arbitrary: fc.integer({ min: -100, max: 100 }), weight: 3 },
  { arbitrary: fc.constantFrom(0.25, -0.5, -0), weight: 1 },
  // Subnormals: the smallest doubles, which a sum or a mean must not lose to NaN.
  { arbitrary: fc.constantFrom(Number.MIN_VALUE, -Number.MIN_VALUE, 2.2e-308), weight: 1 },
  // Sums past Number.MAX_VALUE: the increment must reject and change nothing, and
  // counters near it must not overflow the health score's operation count.
  {
    arbitrary: fc.constantFrom(1e308, -1e308, Number.MAX_VALUE, -Number.MAX_VALUE),
    weight: 2,
  },
);
const badNumber = fc.constantFrom<unknown>(Number.NaN, Number.POSITIVE_INFINITY, "1", null, 1n);
const duration = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 1000 }), weight: 4 },
  { arbitrary: fc.constantFrom(0.25, 2.5, -0, Number.MIN_VALUE), weight: 1 },
  // The largest accepted durations: a full window of them must sum and average finitely.
  { arbitrary: fc.constantFrom(MAX_DURATION_MS, MAX_DURATION_MS - 1, 1e15), weight: 2 },
);
const badDuration = fc.constantFrom<unknown>(
  -1,
  -0.001,
  -Number.MIN_VALUE,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "5",
  // Past MAX_DURATION_MS: two of these overflowed the window's sum.
  1e308,
  Number.MAX_VALUE,
  MAX_DURATION_MS * 2,
);
const show = (value: unknown) =>
  typeof value === "string" && value.length > 20 ? `"${value.slice(0, 8)}…"` : fc.stringify(value);

/** Error values with the record the contract says they give. */
const thrown = fc.oneof(
  fc.string({ maxLength: 5 }).map((m) => ({ value: new Error(m), error: m, errorType: "Error" })),
  fc
    .string({ maxLength: 5 })
    .map((m) => ({ value: new TypeError(m), error: m, errorType: "TypeError" })),
  fc.string({ maxLength: 5 }).map((m) => ({ value: m, error: m, errorType: "Unknown" })),
  fc.constant({ value: null, error: "null", errorType: "Unknown" }),
  fc.integer().map((n) => ({ value: n, error: String(n), errorType: "Unknown" })),
  fc.integer().map((n) => ({ value: { code: n }, error: `{"code":${n}}`, errorType: "Unknown" })),
);
const details = fc.option(
  fc.record({ attempt: fc.integer(), symbol: fc.constantFrom("ES", "NQ") }),
  {
    nil: undefined,
  },
);
const context = fc.constantFrom("feed", "order.submit", "");

const increment = fc.tuple(name, fc.option(finite, { nil: undefined })).map(([metric, value]) =>
  command(`increment(${metric}, ${show(value)})`, async (model, real) => {
    if (modelIncrement(model, metric, value ?? 1) === "overflow") {
      // The sum would not be finite: a RangeError, and nothing changes.
      await expectBadInput(real, () => real.tracker.increment(metric, value));
    } else {
      await real.tracker.increment(metric, value);
    }
  }),
);

const commands: fc.Arbitrary<Step>[] = [
  // Listed three times: folding and overflow need several increments in a row.
  increment,
  increment,
  increment,
  fc
    .oneof(
      fc.tuple(badName, fc.constant<unknown>(1)),
      fc.tuple(name as fc.Arbitrary<unknown>, badNumber),
    )
    .map(([metric, value]) =>
      command(`increment(${show(metric)}, ${show(value)}) [bad]`, async (_, real) => {
        await expectBadInput(real, () => real.tracker.increment(metric as string, value as number));
      }),
    ),
  fc.tuple(name, finite).map(([metric, value]) =>
    command(`setGauge(${metric}, ${show(value)})`, async (model, { tracker }) => {
      const { key, folds } = keyFor(model.gauges, metric);
      if (folds) model.folded.gauges.add(metric);
      model.gauges.set(key, value + 0);
      touch(model);
      await tracker.setGauge(metric, value);
    }),
  ),
  fc
    .oneof(
      fc.tuple(badName, fc.constant<unknown>(1)),
      fc.tuple(name as fc.Arbitrary<unknown>, badNumber),
      fc.tuple(name as fc.Arbitrary<unknown>, fc.constant(undefined)),
    )
    .map(([metric, value]) =>
      command(`setGauge(${show(metric)}, ${show(value)}) [bad]`, async (_, real) => {
        await expectBadInput(real, () => real.tracker.setGauge(metric as string, value as number));
      }),
    ),
  fc.tuple(name, duration).map(([op, ms]) =>
    command(`recordTiming(${op}, ${show(ms)})`, async (model, { tracker }) => {
      modelRecordTiming(model, op, ms);
      await tracker.recordTiming(op, ms);
    }),
  ),
  fc
    .oneof(
      fc.tuple(badName, fc.constant<unknown>(1)),
      fc.tuple(name as fc.Arbitrary<unknown>, badDuration),
    )
    .map(([op, ms]) =>
      command(`recordTiming(${show(op)}, ${show(ms)}) [bad]`, async (_, real) => {
        await expectBadInput(real, () => real.tracker.recordTiming(op as string, ms as number));
      }),
    ),
  fc.tuple(thrown, context, details).map(([error, where, extra]) =>
    command(
      `trackError(${show(error.value)}, ${show(where)}, ${show(extra)})`,
      async (model, { tracker }) => {
        modelTrackError(model, {
          error: error.error,
          errorType: error.errorType,
          context: where,
          details: extra ?? {},
        });
        await tracker.trackError(error.value, where, extra);
      },
    ),
  ),
  fc
    .constantFrom<unknown>(5, null, undefined, Symbol("c"), { toString: () => "ctx" })
    .map((where) =>
      command(`trackError(Error, ${show(where)}) [bad]`, async (_, real) => {
        await expectBadInput(real, () => real.tracker.trackError(new Error("e"), where as string));
      }),
    ),
  fc.constantFrom(...STATUSES).map((status) =>
    command(`setStatus(${status})`, async (model, { tracker }) => {
      model.status = status;
      touch(model);
      await tracker.setStatus(status);
    }),
  ),
  badName.map((status) =>
    command(`setStatus(${show(status)}) [bad]`, async (_, real) => {
      await expectBadInput(real, () => real.tracker.setStatus(status as string));
    }),
  ),
  fc.constant(
    command("resetMetrics()", async (model, { tracker }) => {
      modelReset(model);
      await tracker.resetMetrics();
    }),
  ),
  fc.constant(
    command("getStats()", async (model, { tracker }) => {
      const cachedAt = cacheHit(model, "statsCachedAt");
      const atMs = cachedAt ?? model.nowMs;
      if (cachedAt === null) model.countingSince ??= atMs;
      if (cachedAt === null && model.ttlMs > 0) {
        model.statsCachedAt = atMs;
        model.healthCachedAt = atMs;
      }
      const stats = await tracker.getStats();
      expectAllFinite(stats, "getStats()");
      expectStatsEqual(stats, modelStats(model, atMs));
      expect(JSON.parse(JSON.stringify(stats))).toEqual(stats);
      // A copy: mutating it changes nothing the next read returns.
      stats.counters.a = -1;
      stats.status = "mutated";
    }),
  ),
  fc.constant(
    command("getHealthScore()", async (model, { tracker }) => {
      const cachedAt = cacheHit(model, "healthCachedAt");
      const atMs = cachedAt ?? model.nowMs;
      if (cachedAt === null && model.ttlMs > 0) model.healthCachedAt = atMs;
      expect(await tracker.getHealthScore()).toBe(modelHealth(model, atMs).score);
    }),
  ),
  fc.constant(
    command("getHealthBreakdown()", async (model, { tracker }) => {
      const cachedAt = cacheHit(model, "healthCachedAt");
      const atMs = cachedAt ?? model.nowMs;
      if (cachedAt === null && model.ttlMs > 0) model.healthCachedAt = atMs;
      const breakdown = await tracker.getHealthBreakdown();
      expectAllFinite(breakdown, "getHealthBreakdown()");
      expect(breakdown).toEqual(modelHealth(model, atMs));
    }),
  ),
  fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }).map((limit) =>
    command(`getRecentErrors(${show(limit)})`, async (model, { tracker }) => {
      const kept = model.maxErrors === 0 ? [] : model.errors.slice(-model.maxErrors);
      const count = Math.min(limit ?? 10, kept.length);
      expect(await tracker.getRecentErrors(limit)).toEqual(kept.slice(kept.length - count));
    }),
  ),
  fc.constantFrom<unknown>(-1, 1.5, "2", Number.NaN, null).map((limit) =>
    command(`getRecentErrors(${show(limit)}) [bad]`, async (_, real) => {
      await expectBadInput(real, () => real.tracker.getRecentErrors(limit as number));
    }),
  ),
  fc
    .tuple(name, fc.integer({ min: -5, max: 50 }), fc.boolean(), fc.boolean())
    .map(([op, elapsedMs, fails, isAsync]) =>
      command(
        `time(${op}, ${isAsync ? "async " : ""}fn taking ${elapsedMs} ms${fails ? ", throwing" : ""})`,
        async (model, { tracker, clock }) => {
          const failure = new RangeError("fn failed");
          const fn = () => {
            clock.advance(elapsedMs);
            if (fails) throw failure;
            return "result";
          };
          const run = tracker.time(op, isAsync ? async () => fn() : fn);
          model.nowMs += elapsedMs;
          modelRecordTiming(model, op, Math.max(0, elapsedMs));
          if (fails) {
            modelTrackError(model, {
              error: "fn failed",
              errorType: "RangeError",
              context: op,
              details: {},
            });
            await expect(run).rejects.toBe(failure);
          } else {
            expect(await run).toBe("result");
          }
        },
      ),
    ),
  fc
    .oneof(
      fc.tuple(
        badName,
        fc.constant<unknown>(() => 1),
      ),
      fc.tuple(name as fc.Arbitrary<unknown>, fc.constantFrom<unknown>(undefined, 5, "fn")),
    )
    .map(([op, fn]) =>
      command(`time(${show(op)}, ${show(fn)}) [bad]`, async (_, real) => {
        const before = real.clock.now();
        await expectBadInput(real, () => real.tracker.time(op as string, fn as () => number));
        expect(real.clock.now()).toBe(before);
      }),
    ),
  fc
    .oneof(
      fc.integer({ min: 0, max: 6000 }),
      fc.constantFrom(5000, 5001, -1, -3_600_000, 12 * 3_600_000, 0.5),
    )
    .map((ms) =>
      command(`clock.advance(${ms})`, async (model, { clock }) => {
        model.nowMs += ms;
        clock.advance(ms);
      }),
    ),
];

describe("the tracker against a reference model (fc.commands)", () => {
  it(`agrees on every step of ${MODEL_RUNS} random sequences of up to ${MAX_COMMANDS} calls`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(0, 3),
        fc.constantFrom(0, 5000),
        // size "medium": sequences of 30 calls on average (fast-check's default gives 5).
        fc.commands(commands, { maxCommands: MAX_COMMANDS, size: "medium" }),
        async (maxErrors, ttlMs, steps) => {
          const clock = manualClock(START_MS);
          const failures: unknown[] = [];
          const tracker = new BaseStatisticsTracker("tracker", {
            clock,
            onError: (error) => failures.push(error),
            maxErrors,
            cacheTtlMs: ttlMs,
            timingWindow: TIMING_WINDOW,
            maxMetricNames: MAX_NAMES,
          });
          await fc.asyncModelRun(
            () => ({ model: newModel(maxErrors, ttlMs), real: { tracker, clock, failures } }),
            steps,
          );
        },
      ),
      { numRuns: MODEL_RUNS },
    );
  });
});

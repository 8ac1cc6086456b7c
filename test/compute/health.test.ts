import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  clampScore,
  DEFAULT_HEALTH_CONFIG,
  type HealthInput,
  type HealthOptions,
  resolveHealthConfig,
  roundToTenth,
  scoreHealth,
} from "../../src/compute/health.js";
import { manualClock } from "../../src/shared/clock.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";

const fresh: HealthInput = {
  errorCount: 0,
  operationCount: 0,
  uptimeMs: 0,
  msSinceLastActivity: null,
  status: "initializing",
};

describe("scoreHealth", () => {
  it("scores a fresh component 54: no errors 100, uptime 0, never active 0, initializing 70", () => {
    expect(scoreHealth(fresh)).toEqual({
      score: 54,
      errors: 100,
      uptime: 0,
      activity: 0,
      status: 70,
    });
  });

  it("scores a connected, just active component with 100 operations 80, and 40 after 10 errors", () => {
    const input = { ...fresh, operationCount: 100, msSinceLastActivity: 0, status: "connected" };
    expect(scoreHealth(input).score).toBe(80);
    expect(scoreHealth({ ...input, errorCount: 10 })).toEqual({
      score: 40,
      errors: 0,
      uptime: 0,
      activity: 100,
      status: 100,
    });
    // 1% errors costs 10 points of the error factor.
    expect(scoreHealth({ ...input, errorCount: 1 }).errors).toBe(90);
  });

  it("follows each factor's formula", () => {
    const breakdown = scoreHealth({
      errorCount: 1,
      operationCount: 200,
      uptimeMs: 9_000_000,
      msSinceLastActivity: 150_000,
      status: "disconnected",
    });
    expect(breakdown.errors).toBe(95);
    expect(breakdown.uptime).toBe(25);
    expect(breakdown.activity).toBe(75);
    expect(breakdown.status).toBe(30);
    expect(breakdown.score).toBe(64); // 38 + 5 + 15 + 6
  });

  it("gives an error factor of 0 for errors without operations", () => {
    expect(scoreHealth({ ...fresh, errorCount: 1 }).errors).toBe(0);
  });

  it("scores unknown statuses 50, inherited Object keys included", () => {
    for (const status of ["degraded", "toString", "__proto__", "constructor"]) {
      expect(scoreHealth({ ...fresh, status }).status).toBe(50);
    }
    expect(scoreHealth({ ...fresh, status: "error" }).status).toBe(0);
    expect(scoreHealth({ ...fresh, status: "active" }).status).toBe(100);
  });

  it("clamps every factor to 0..100", () => {
    const future = scoreHealth({
      errorCount: 0,
      operationCount: 1,
      uptimeMs: -3_600_000,
      msSinceLastActivity: -3_600_000,
      status: "connected",
    });
    expect(future.uptime).toBe(0);
    expect(future.activity).toBe(100);
    const old = scoreHealth({
      errorCount: 500,
      operationCount: 1,
      uptimeMs: 1e12,
      msSinceLastActivity: 1e12,
      status: "connected",
    });
    expect(old).toMatchObject({ errors: 0, uptime: 100, activity: 0 });
    const custom = resolveHealthConfig({ statusScores: { great: 250, awful: -20 } });
    expect(scoreHealth({ ...fresh, status: "great" }, custom).status).toBe(100);
    expect(scoreHealth({ ...fresh, status: "awful" }, custom).status).toBe(0);
  });

  it("counts a NaN factor from broken input as 0", () => {
    const breakdown = scoreHealth({
      ...fresh,
      uptimeMs: Number.NaN,
      msSinceLastActivity: Number.NaN,
    });
    expect(breakdown.uptime).toBe(0);
    expect(breakdown.activity).toBe(0);
    expect(breakdown.score).toBe(54);
  });

  it("stays in 0..100, one decimal, and never improves with more errors (property)", () => {
    const input = fc.record({
      errorCount: fc.nat({ max: 1000 }),
      operationCount: fc.nat({ max: 100_000 }),
      uptimeMs: fc.double({ min: -1e9, max: 1e9, noNaN: true }),
      msSinceLastActivity: fc.option(fc.double({ min: -1e7, max: 1e7, noNaN: true })),
      status: fc.constantFrom("connected", "initializing", "error", "weird"),
    });
    fc.assert(
      fc.property(input, fc.nat({ max: 50 }), (value, extraErrors) => {
        const breakdown = scoreHealth(value);
        for (const factor of Object.values(breakdown)) {
          expect(factor).toBeGreaterThanOrEqual(0);
          expect(factor).toBeLessThanOrEqual(100);
        }
        expect(roundToTenth(breakdown.score)).toBe(breakdown.score);
        const worse = scoreHealth({ ...value, errorCount: value.errorCount + extraErrors });
        expect(worse.score).toBeLessThanOrEqual(breakdown.score);
      }),
    );
  });

  it("weighs the factors by the config", () => {
    const config = resolveHealthConfig({
      weights: { errors: 0, uptime: 0, activity: 0, status: 1 },
    });
    expect(scoreHealth(fresh, config).score).toBe(70);
  });
});

describe("clampScore and roundToTenth", () => {
  it("clamp to 0..100 and round half away from zero to one decimal", () => {
    expect(clampScore(-1)).toBe(0);
    expect(clampScore(101)).toBe(100);
    expect(clampScore(Number.POSITIVE_INFINITY)).toBe(100);
    expect(clampScore(Number.NaN)).toBe(0);
    expect(clampScore(42.5)).toBe(42.5);
    expect(roundToTenth(79.99999987)).toBe(80);
    expect(roundToTenth(70.16666)).toBe(70.2);
    expect(roundToTenth(0.25)).toBe(0.3);
  });
});

describe("DEFAULT_HEALTH_CONFIG", () => {
  it("holds the original's constants and is frozen", () => {
    expect(DEFAULT_HEALTH_CONFIG).toEqual({
      weights: { errors: 0.4, uptime: 0.2, activity: 0.2, status: 0.2 },
      errorRateMultiplier: 1000,
      uptimeForFullScoreMs: 36_000_000,
      activityDecayMs: 600_000,
      statusScores: { connected: 100, active: 100, initializing: 70, disconnected: 30, error: 0 },
      unknownStatusScore: 50,
    });
    expect(Object.isFrozen(DEFAULT_HEALTH_CONFIG)).toBe(true);
    expect(Object.isFrozen(DEFAULT_HEALTH_CONFIG.weights)).toBe(true);
    expect(Object.isFrozen(DEFAULT_HEALTH_CONFIG.statusScores)).toBe(true);
  });
});

describe("resolveHealthConfig", () => {
  it("gives the defaults for no options", () => {
    expect(resolveHealthConfig()).toEqual(DEFAULT_HEALTH_CONFIG);
  });

  it("takes every option given as undefined for its default", () => {
    const allUndefined: { [K in keyof Required<HealthOptions>]: undefined } = {
      weights: undefined,
      errorRateMultiplier: undefined,
      uptimeForFullScoreMs: undefined,
      activityDecayMs: undefined,
      statusScores: undefined,
      unknownStatusScore: undefined,
      operationCounters: undefined,
    };
    expect(resolveHealthConfig(allUndefined)).toEqual(DEFAULT_HEALTH_CONFIG);
    expect(resolveHealthConfig({})).toEqual(DEFAULT_HEALTH_CONFIG);
  });

  it("merges weights and status scores key by key and freezes the result", () => {
    const config = resolveHealthConfig({
      weights: { errors: 0.5, uptime: 0.1 } as never,
      statusScores: { degraded: 40 },
      errorRateMultiplier: 500,
      uptimeForFullScoreMs: 1000,
      activityDecayMs: 2000,
      unknownStatusScore: 10,
    });
    expect(config.weights).toEqual({ errors: 0.5, uptime: 0.1, activity: 0.2, status: 0.2 });
    expect(config.statusScores.degraded).toBe(40);
    expect(config.statusScores.connected).toBe(100);
    expect(config).toMatchObject({
      errorRateMultiplier: 500,
      uptimeForFullScoreMs: 1000,
      activityDecayMs: 2000,
      unknownStatusScore: 10,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("copies operationCounters so later changes to the caller's array do not show", () => {
    const names = ["requests"];
    const config = resolveHealthConfig({ operationCounters: names });
    names.push("bytes");
    expect(config.operationCounters).toEqual(["requests"]);
    expect(Object.isFrozen(config.operationCounters)).toBe(true);
    expect("operationCounters" in resolveHealthConfig({})).toBe(false);
  });

  it.each([
    [{ weights: { errors: 0.5 } }, RangeError, /`health.weights` to sum to 1, got 1\.(1|09)/],
    [{ weights: { errors: -0.2, uptime: 0.6 } }, RangeError, /`health.weights.errors`.*-0.2/],
    [{ weights: { status: Number.NaN } }, RangeError, /`health.weights.status`.*NaN/],
    [{ weights: { uptime: "0.2" } }, TypeError, /`health.weights.uptime`.*"0.2"/],
    [{ errorRateMultiplier: Number.POSITIVE_INFINITY }, RangeError, /`health.errorRateMultiplier`/],
    [{ errorRateMultiplier: -1 }, RangeError, /`health.errorRateMultiplier` to be >= 0, got -1/],
    [{ errorRateMultiplier: null }, TypeError, /`health.errorRateMultiplier`.*got null/],
    [{ activityDecayMs: null }, TypeError, /`health.activityDecayMs`.*got null/],
    [{ uptimeForFullScoreMs: 0 }, RangeError, /`health.uptimeForFullScoreMs`.*> 0, got 0/],
    [{ activityDecayMs: -1 }, RangeError, /`health.activityDecayMs`.*-1/],
    [{ unknownStatusScore: Number.NaN }, RangeError, /`health.unknownStatusScore`/],
    [{ statusScores: { connected: Number.NaN } }, RangeError, /`health.statusScores.connected`/],
    [{ operationCounters: "requests" }, TypeError, /`health.operationCounters`.*"requests"/],
    [{ operationCounters: ["a", 3] }, TypeError, /`health.operationCounters\[1\]`.*3 \(number\)/],
  ])("rejects %o, naming the option", (partial, type, message) => {
    expect(() => resolveHealthConfig(partial as never)).toThrow(type);
    expect(() => resolveHealthConfig(partial as never)).toThrow(message);
  });

  it.each([
    [{ weights: 5 }, /`health.weights` to be an object, got 5 \(number\)/],
    [{ weights: null }, /`health.weights` to be an object, got null/],
    [{ weights: [0.4, 0.2, 0.2, 0.2] }, /`health.weights` to be an object, got array/],
    [{ statusScores: "connected" }, /`health.statusScores` to be an object, got "connected"/],
  ])("rejects %o instead of silently using the defaults", (partial, message) => {
    expect(() => resolveHealthConfig(partial as never)).toThrow(TypeError);
    expect(() => resolveHealthConfig(partial as never)).toThrow(message);
  });

  it("rejects a config that is not an object", () => {
    expect(() => resolveHealthConfig(null as never)).toThrow(TypeError);
    expect(() => resolveHealthConfig(5 as never)).toThrow(/`health` to be an object, got 5/);
  });
});

describe("BaseStatisticsTracker health on a manual clock", () => {
  const start = 1_700_000_000_000;

  async function connectedWith100Operations() {
    const clock = manualClock(start);
    const tracker = new BaseStatisticsTracker("feed", { clock });
    await tracker.setStatus("connected");
    await tracker.increment("requests", 100);
    return { clock, tracker };
  }

  it("scores a fresh tracker 54.0", async () => {
    const tracker = new BaseStatisticsTracker("feed", { clock: manualClock(start) });
    expect(await tracker.getHealthScore()).toBe(54);
    expect((await tracker.getStats()).healthScore).toBe(54);
  });

  it("scores a connected tracker with 100 operations 80.0, and 40.0 after 10 errors", async () => {
    const { tracker } = await connectedWith100Operations();
    expect(await tracker.getHealthScore()).toBe(80);
    for (let i = 0; i < 10; i++) await tracker.trackError(new Error(`e${i}`), "feed.read");
    expect(await tracker.getHealthScore()).toBe(40);
    expect(await tracker.getHealthBreakdown()).toEqual({
      score: 40,
      errors: 0,
      uptime: 0,
      activity: 100,
      status: 100,
    });
  });

  it("decays activity and builds uptime as the clock moves", async () => {
    const { clock, tracker } = await connectedWith100Operations();
    clock.advance(300_000); // 5 min: activity 50, uptime 300000 / 36e6 = 0.83
    const breakdown = await tracker.getHealthBreakdown();
    expect(breakdown.activity).toBe(50);
    expect(breakdown.uptime).toBeCloseTo(100 / 120, 12);
    expect(breakdown.score).toBe(70.2); // 40 + 0.1667 + 10 + 20
    clock.advance(300_000); // 10 min: activity gone
    expect(await tracker.getHealthScore()).toBe(60.3); // 40 + 0.333 + 0 + 20
    clock.set(start + 36_000_000); // 10 h: full uptime
    expect(await tracker.getHealthScore()).toBe(80);
    await tracker.increment("requests");
    expect(await tracker.getHealthScore()).toBe(100);
    clock.set(start + 100 * 36_000_000);
    expect((await tracker.getHealthBreakdown()).uptime).toBe(100);
  });

  it("uses the exact time since creation, not whole seconds", async () => {
    const clock = manualClock(0);
    const tracker = new BaseStatisticsTracker("feed", {
      clock,
      cacheTtlMs: 0,
      health: {
        weights: { errors: 0, uptime: 1, activity: 0, status: 0 },
        uptimeForFullScoreMs: 10_000,
      },
    });
    clock.advance(1999);
    expect(await tracker.getUptime()).toBe(1);
    expect(await tracker.getHealthScore()).toBe(20); // 19.99 → 20.0, not 10 from 1 s
    expect((await tracker.getHealthBreakdown()).uptime).toBeCloseTo(19.99, 12);
  });

  it("does not count errors as operations", async () => {
    const tracker = new BaseStatisticsTracker("feed", { clock: manualClock(start) });
    await tracker.trackError(new Error("e"), "ctx");
    expect((await tracker.getHealthBreakdown()).errors).toBe(0);
    expect((await tracker.getStats()).counters).toEqual({});
  });

  it("counts only operationCounters as operations when given", async () => {
    const clock = manualClock(start);
    const only = new BaseStatisticsTracker("feed", {
      clock,
      health: { operationCounters: ["requests"] },
    });
    const all = new BaseStatisticsTracker("feed", { clock });
    for (const tracker of [only, all]) {
      await tracker.increment("requests", 100);
      await tracker.increment("bytes_sent", 1_000_000);
      await tracker.trackError(new Error("e"), "send");
    }
    expect((await only.getHealthBreakdown()).errors).toBe(90);
    expect((await all.getHealthBreakdown()).errors).toBeCloseTo(100 - 1000 / 1_000_100, 9);
    const none = new BaseStatisticsTracker("feed", { clock, health: { operationCounters: [] } });
    await none.increment("requests", 100);
    await none.trackError(new Error("e"), "send");
    expect((await none.getHealthBreakdown()).errors).toBe(0);
  });

  it("applies custom weights and status scores", async () => {
    const tracker = new BaseStatisticsTracker("feed", {
      clock: manualClock(start),
      health: {
        weights: { errors: 0.5, uptime: 0, activity: 0, status: 0.5 },
        statusScores: { degraded: 40 },
        unknownStatusScore: 10,
      },
    });
    expect(await tracker.getHealthScore()).toBe(85); // 50 + 35
    await tracker.setStatus("degraded");
    expect(await tracker.getHealthScore()).toBe(70);
    await tracker.setStatus("unheard-of");
    expect(await tracker.getHealthScore()).toBe(55);
  });

  it("clamps when the clock steps back before createdAt", async () => {
    const clock = manualClock(start);
    const tracker = new BaseStatisticsTracker("feed", { clock });
    await tracker.setStatus("connected");
    clock.advance(-3_600_000);
    const breakdown = await tracker.getHealthBreakdown();
    expect(breakdown).toEqual({ score: 80, errors: 100, uptime: 0, activity: 100, status: 100 });
    expect(await tracker.getUptime()).toBe(0);
  });

  it("rejects a bad health config in the constructor, naming the option", () => {
    const clock = manualClock(0);
    expect(
      () =>
        new BaseStatisticsTracker("feed", { clock, health: { weights: { errors: 0.9 } as never } }),
    ).toThrow(/`health.weights` to sum to 1/);
    expect(
      () => new BaseStatisticsTracker("feed", { clock, health: { activityDecayMs: 0 } }),
    ).toThrow(RangeError);
    expect(
      () =>
        new BaseStatisticsTracker("feed", { clock, health: { operationCounters: [1] as never } }),
    ).toThrow(/`health.operationCounters\[0\]`/);
    expect(() => new BaseStatisticsTracker("feed", { clock, health: null as never })).toThrow(
      /`health`/,
    );
  });
});

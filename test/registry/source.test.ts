import { describe, expect, expectTypeOf, it } from "vitest";
import {
  BaseStatisticsTracker,
  isStatisticsProvider,
  isStatsSource,
  type StatisticsProvider,
  type StatsSource,
} from "../../src/index.js";

const getStats = async () => ({}) as never;

describe("StatsSource", () => {
  it("is what a tracker and every StatisticsProvider are", () => {
    expectTypeOf<BaseStatisticsTracker>().toMatchTypeOf<StatsSource>();
    expectTypeOf<StatisticsProvider>().toMatchTypeOf<StatsSource>();
    // Only getStats is required; the rest is optional and read-only.
    expectTypeOf<{ getStats: typeof getStats }>().toMatchTypeOf<StatsSource>();
    expectTypeOf<{ getHealthScore(): Promise<number> }>().not.toMatchTypeOf<StatsSource>();
  });
});

describe("isStatsSource", () => {
  it("accepts a tracker, a provider, and an object or function with getStats()", () => {
    const provider = {
      increment: async () => {},
      setGauge: async () => {},
      recordTiming: async () => {},
      trackError: async () => {},
      getStats,
      getHealthScore: async () => 90,
    };
    expect(isStatisticsProvider(provider)).toBe(true);
    for (const value of [
      new BaseStatisticsTracker("a"),
      provider,
      { getStats },
      { getStats: () => ({}) },
      { getStats, getHealthScore: () => 90, getRecentErrors: () => [] },
      { getStats, getHealthScore: undefined, getRecentErrors: undefined },
      Object.assign(() => {}, { getStats }),
      Object.create({ getStats }),
    ]) {
      expect(isStatsSource(value)).toBe(true);
    }
    // A source is not a provider: the registry never writes.
    expect(isStatisticsProvider({ getStats })).toBe(false);
  });

  it.each([
    ["null", null],
    ["undefined", undefined],
    ["a number", 1],
    ["a string", "getStats"],
    ["an empty object", {}],
    ["getStats that is not a function", { getStats: {} }],
    ["getHealthScore that is not a function", { getStats, getHealthScore: 90 }],
    ["getRecentErrors that is not a function", { getStats, getRecentErrors: [] }],
    ["getHealthScore of null", { getStats, getHealthScore: null }],
  ])("rejects %s", (_, value) => {
    expect(isStatsSource(value)).toBe(false);
  });

  it("rejects a throwing getter or a revoked proxy instead of throwing", () => {
    const throwing = Object.defineProperty({ getStats }, "getRecentErrors", {
      get() {
        throw new Error("no");
      },
    });
    expect(isStatsSource(throwing)).toBe(false);
    const { proxy, revoke } = Proxy.revocable({ getStats }, {});
    expect(isStatsSource(proxy)).toBe(true);
    revoke();
    expect(isStatsSource(proxy)).toBe(false);
  });
});

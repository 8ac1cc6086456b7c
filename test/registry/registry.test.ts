import { describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  manualClock,
  REGISTRY_RECENT_ERRORS,
  type StatisticsProvider,
  StatisticsRegistry,
} from "../../src/index.js";

const START = 1_700_000_000_000;

function setup(options: { cacheTtlMs?: number } = {}) {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, ...options });
  const tracker = (name: string) => new BaseStatisticsTracker(name, { clock });
  return { clock, registry, tracker };
}

function stats(name: string, overrides: Partial<ComponentStats> = {}): ComponentStats {
  return {
    name,
    status: "connected",
    uptimeSeconds: 1,
    lastActivity: null,
    errorCount: 0,
    memoryUsageMb: 0.5,
    healthScore: 90,
    counters: {},
    gauges: {},
    performanceMetrics: {},
    ...overrides,
  };
}

/** A provider whose reads are given as functions; writes do nothing. */
function provider(
  reads: {
    getStats?: () => unknown;
    getHealthScore?: () => unknown;
    getRecentErrors?: (limit?: number) => unknown;
  },
  componentName?: unknown,
): StatisticsProvider {
  const value: Record<string, unknown> = {
    increment: async () => {},
    setGauge: async () => {},
    recordTiming: async () => {},
    trackError: async () => {},
    getStats: reads.getStats ?? (async () => stats(String(componentName))),
    getHealthScore: reads.getHealthScore ?? (async () => 90),
  };
  if (reads.getRecentErrors) value.getRecentErrors = reads.getRecentErrors;
  if (componentName !== undefined) value.componentName = componentName;
  return value as unknown as StatisticsProvider;
}

const never = () => new Promise<never>(() => {});

describe("StatisticsRegistry options", () => {
  it.each([
    [{ componentTimeoutMs: 0 }, RangeError, /componentTimeoutMs.*got 0 \(number\)/],
    [{ componentTimeoutMs: -1 }, RangeError, /componentTimeoutMs/],
    [{ componentTimeoutMs: 2 ** 31 }, RangeError, /componentTimeoutMs/],
    [{ componentTimeoutMs: Number.NaN }, RangeError, /componentTimeoutMs.*NaN/],
    [{ componentTimeoutMs: "5" }, TypeError, /componentTimeoutMs.*"5" \(string\)/],
    [{ healthyThreshold: 101 }, RangeError, /healthyThreshold.*101/],
    [{ healthyThreshold: -0.5 }, RangeError, /healthyThreshold/],
    [{ cacheTtlMs: -1 }, RangeError, /cacheTtlMs.*-1/],
    [{ cacheTtlMs: 1.5 }, RangeError, /cacheTtlMs.*integer.*1.5/],
    [{ cacheTtlMs: Number.POSITIVE_INFINITY }, RangeError, /cacheTtlMs/],
    [{ clock: {} }, TypeError, /clock/],
    [{ clock: null }, TypeError, /clock/],
  ])("rejects %o", (options, type, message) => {
    expect(() => new StatisticsRegistry(options as never)).toThrow(type);
    expect(() => new StatisticsRegistry(options as never)).toThrow(message);
  });

  it("rejects options that are not an object", () => {
    expect(() => new StatisticsRegistry(null as never)).toThrow(/`options`.*null/);
  });

  it("accepts the bounds", () => {
    expect(
      () =>
        new StatisticsRegistry({
          componentTimeoutMs: 2 ** 31 - 1,
          healthyThreshold: 0,
          cacheTtlMs: 0,
        }),
    ).not.toThrow();
    expect(() => new StatisticsRegistry({ healthyThreshold: 100 })).not.toThrow();
  });
});

describe("register, unregister, names", () => {
  it("lists components under their componentName, in registration order", () => {
    const { registry, tracker } = setup();
    registry.register(tracker("b"));
    registry.register(tracker("a"));
    registry.register(tracker("c"), { name: "renamed" });
    expect(registry.names()).toEqual(["b", "a", "renamed"]);
  });

  it("returns a copy from names()", () => {
    const { registry, tracker } = setup();
    registry.register(tracker("a"));
    registry.names().push("x");
    expect(registry.names()).toEqual(["a"]);
  });

  it("throws on a duplicate name, naming it, and keeps the first", () => {
    const { registry, tracker } = setup();
    const first = tracker("feed");
    registry.register(first);
    expect(() => registry.register(tracker("feed"))).toThrow(
      new Error('A component named "feed" is already registered'),
    );
    expect(() => registry.register(tracker("other"), { name: "feed" })).toThrow(/"feed"/);
    expect(registry.names()).toEqual(["feed"]);
  });

  it("rejects what is not a provider", () => {
    const { registry } = setup();
    for (const bad of [null, undefined, 42, "x", {}, { getStats() {} }]) {
      expect(() => registry.register(bad as never)).toThrow(TypeError);
    }
    expect(() => registry.register({} as never)).toThrow(/`provider`.*an object \(object\)/);
  });

  it("needs a name from the options or the provider", () => {
    const { registry } = setup();
    expect(() => registry.register(provider({}))).toThrow(
      /`options.name` or the provider's `componentName`.*undefined/,
    );
    expect(() => registry.register(provider({}, 7))).toThrow(TypeError);
    expect(() => registry.register(provider({}, ""))).toThrow(RangeError);
    expect(() => registry.register(provider({}, "x".repeat(257)))).toThrow(/componentName/);
    registry.register(provider({}), { name: "custom" });
    expect(registry.names()).toEqual(["custom"]);
  });

  it("validates the options, naming them, and changes nothing", () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    expect(() => registry.register(t, null as never)).toThrow(/`options`/);
    expect(() => registry.register(t, { name: "" })).toThrow(RangeError);
    expect(() => registry.register(t, { name: 5 as never })).toThrow(
      /`options.name`.*5 \(number\)/,
    );
    expect(() => registry.register(t, { weight: 0 })).toThrow(RangeError);
    expect(() => registry.register(t, { weight: -1 })).toThrow(/`options.weight`.*-1/);
    expect(() => registry.register(t, { weight: Number.NaN })).toThrow(RangeError);
    expect(() => registry.register(t, { weight: "2" as never })).toThrow(TypeError);
    expect(registry.names()).toEqual([]);
  });

  it("unregisters by name", () => {
    const { registry, tracker } = setup();
    registry.register(tracker("a"));
    registry.register(tracker("b"));
    expect(registry.unregister("a")).toBe(true);
    expect(registry.unregister("a")).toBe(false);
    expect(registry.unregister("missing")).toBe(false);
    expect(registry.names()).toEqual(["b"]);
    registry.register(tracker("a"));
    expect(registry.names()).toEqual(["b", "a"]);
  });
});

describe("collect", () => {
  it("gathers every component's snapshot, health and recent errors", async () => {
    const { clock, registry, tracker } = setup();
    const orders = tracker("orders");
    const feed = tracker("feed");
    registry.register(orders);
    registry.register(feed, { weight: 3 });
    await orders.increment("placed", 10);
    await orders.setStatus("connected");
    await feed.trackError(new Error("stale tick"), "feed.parse", { symbol: "ES" });
    clock.advance(2000);

    const snapshot = await registry.collect();
    expect(snapshot.timestamp).toBe(START + 2000);
    expect(snapshot.components.map((c) => c.name)).toEqual(["orders", "feed"]);
    const [o, f] = snapshot.components;
    expect(o).toMatchObject({
      name: "orders",
      outcome: "ok",
      status: "connected",
      weight: 1,
      healthScore: await orders.getHealthScore(),
      stats: await orders.getStats(),
      recentErrors: [],
    });
    expect(o?.reason).toBeUndefined();
    expect(f?.weight).toBe(3);
    expect(f?.recentErrors).toEqual(await feed.getRecentErrors());
    expect(f?.recentErrors?.[0]).toMatchObject({ error: "stale tick", context: "feed.parse" });
    expect(snapshot.totals).toEqual({
      components: 2,
      failed: 0,
      errors: 1,
      operations: 10,
      memoryUsageMb:
        Math.round(((o?.stats?.memoryUsageMb ?? 0) + (f?.stats?.memoryUsageMb ?? 0)) * 10_000) /
        10_000,
    });
  });

  it("asks getRecentErrors for REGISTRY_RECENT_ERRORS records", async () => {
    const { registry } = setup();
    const getRecentErrors = vi.fn(async () => []);
    registry.register(provider({ getRecentErrors }, "p"));
    await registry.collect();
    expect(getRecentErrors).toHaveBeenCalledWith(REGISTRY_RECENT_ERRORS);
  });

  it("leaves recentErrors out for a provider without getRecentErrors", async () => {
    const { registry } = setup();
    registry.register(provider({}, "plain"));
    const [report] = (await registry.collect()).components;
    expect(report?.outcome).toBe("ok");
    expect(report && "recentErrors" in report).toBe(false);
  });

  it("reports an empty registry as healthy", async () => {
    const { registry } = setup();
    const snapshot = await registry.collect();
    expect(snapshot.components).toEqual([]);
    expect(snapshot.totals).toEqual({
      components: 0,
      failed: 0,
      errors: 0,
      operations: 0,
      memoryUsageMb: 0,
    });
    expect(snapshot.health).toEqual({
      score: 100,
      lowest: 100,
      weightedMean: 100,
      threshold: 70,
      healthy: true,
      verdict: "healthy",
      reasons: [],
    });
  });

  it("collects components in parallel", async () => {
    const registry = new StatisticsRegistry({ componentTimeoutMs: 1000 });
    const started: string[] = [];
    const release: (() => void)[] = [];
    for (const name of ["a", "b", "c"]) {
      registry.register(
        provider(
          {
            getStats: () => {
              started.push(name);
              return new Promise((resolve) => release.push(() => resolve(stats(name))));
            },
          },
          name,
        ),
      );
    }
    const pending = registry.collect();
    await Promise.resolve();
    await Promise.resolve();
    // All three were asked before any answered.
    expect(started).toEqual(["a", "b", "c"]);
    for (const go of release) go();
    const snapshot = await pending;
    expect(snapshot.components.every((c) => c.outcome === "ok")).toBe(true);
  });
});

describe("failures", () => {
  it("reports a component that throws, rejects or returns garbage as an error, and the rest normally", async () => {
    const { registry, tracker } = setup();
    const good = tracker("good");
    await good.increment("ops", 2);
    registry.register(good);
    registry.register(
      provider(
        {
          getStats: () => {
            throw new TypeError("sync boom");
          },
        },
        "throws",
      ),
    );
    registry.register(
      provider({ getStats: async () => Promise.reject("plain string") }, "rejects"),
    );
    registry.register(provider({ getStats: async () => null }, "null-stats"));
    registry.register(
      provider({ getStats: async () => stats("x", { counters: { n: Number.NaN } }) }, "nan"),
    );
    registry.register(provider({ getHealthScore: async () => 150 }, "bad-health"));
    registry.register(provider({ getRecentErrors: async () => "nope" }, "bad-errors"));

    const snapshot = await registry.collect();
    const byName = Object.fromEntries(snapshot.components.map((c) => [c.name, c]));
    expect(byName.good?.outcome).toBe("ok");
    expect(byName.throws).toEqual({
      name: "throws",
      outcome: "error",
      status: "error",
      healthScore: 0,
      weight: 1,
      reason: "TypeError: sync boom",
      verdict: "unhealthy",
      reasons: ["not collected (error): TypeError: sync boom"],
    });
    expect(byName.rejects?.reason).toBe("Unknown: plain string");
    expect(byName["null-stats"]?.reason).toMatch(/getStats\(\) to be an object, got null/);
    expect(byName.nan?.reason).toMatch(/getStats\(\)\.counters\["n"\] to be a finite number/);
    expect(byName["bad-health"]?.reason).toMatch(/getHealthScore\(\).*0 to 100, got 150/);
    expect(byName["bad-errors"]?.reason).toMatch(/getRecentErrors\(\) to resolve to an array/);
    for (const name of ["throws", "rejects", "null-stats", "nan", "bad-health", "bad-errors"]) {
      expect(byName[name]?.outcome).toBe("error");
      expect(byName[name]?.stats).toBeUndefined();
    }
    expect(snapshot.totals).toMatchObject({ components: 7, failed: 6, operations: 2 });
    expect(snapshot.health.healthy).toBe(false);
    expect(snapshot.health.score).toBe(0);
  });

  it("times out a component that never answers, using a real timer, and reports the rest", async () => {
    const registry = new StatisticsRegistry({ componentTimeoutMs: 20 });
    const good = new BaseStatisticsTracker("good");
    registry.register(good);
    registry.register(provider({ getStats: never }, "stuck-stats"));
    registry.register(provider({ getHealthScore: never }, "stuck-health"));
    registry.register(provider({ getRecentErrors: never }, "stuck-errors"));
    const startedAt = performance.now();
    const snapshot = await registry.collect();
    const elapsedMs = performance.now() - startedAt;
    expect(elapsedMs).toBeGreaterThanOrEqual(15);
    expect(elapsedMs).toBeLessThan(1000);
    const [ok, ...stuck] = snapshot.components;
    expect(ok?.outcome).toBe("ok");
    for (const report of stuck) {
      expect(report).toMatchObject({
        outcome: "timeout",
        status: "timeout",
        healthScore: 0,
        reason: `${JSON.stringify(report.name)} did not answer within 20 ms`,
      });
    }
    expect(snapshot.totals.failed).toBe(3);
  });

  it("clears its timers once every component answered", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const registry = new StatisticsRegistry({ componentTimeoutMs: 50 });
      registry.register(new BaseStatisticsTracker("a"));
      registry.register(new BaseStatisticsTracker("b"));
      await registry.collect();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("unrefs its timers, so a stuck component never keeps the process alive", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    try {
      const registry = new StatisticsRegistry({ componentTimeoutMs: 20 });
      registry.register(provider({ getStats: never }, "stuck"));
      const pending = registry.collect();
      const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
      await pending;
    } finally {
      spy.mockRestore();
    }
  });
});

describe("health", () => {
  it("takes the lowest score, gives the weighted mean and applies the threshold", async () => {
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, healthyThreshold: 60 });
    registry.register(provider({ getHealthScore: async () => 90 }, "a"), { weight: 3 });
    registry.register(provider({ getHealthScore: async () => 50 }, "b"), { weight: 1 });
    const { health } = await registry.collect();
    expect(health).toEqual({
      score: 50,
      lowest: 50,
      weightedMean: 80,
      threshold: 60,
      healthy: false,
      verdict: "unhealthy",
      reasons: ["b is unhealthy: health score 50 is below the minimum 60"],
    });
  });

  it("is healthy at exactly the threshold", async () => {
    const registry = new StatisticsRegistry({ healthyThreshold: 70 });
    registry.register(provider({ getHealthScore: async () => 70 }, "a"));
    registry.register(provider({ getHealthScore: async () => 100 }, "b"));
    expect((await registry.collect()).health).toMatchObject({ score: 70, healthy: true });
  });

  it("is unhealthy when a component failed, even above the threshold", async () => {
    const registry = new StatisticsRegistry({ healthyThreshold: 0 });
    registry.register(provider({ getStats: async () => 1 }, "broken"));
    const { health, totals } = await registry.collect();
    expect(totals.failed).toBe(1);
    expect(health).toMatchObject({ score: 0, healthy: false });
  });

  // Issue 10 changed this verdict: a fresh tracker scored 54 and made /health answer
  // 503 from the first second. Its score is unchanged; it is now degraded (still serving).
  it("uses the components' own scores: a fresh tracker scores 54", async () => {
    const { registry, tracker } = setup();
    registry.register(tracker("fresh"));
    const { health } = await registry.collect();
    expect(health).toMatchObject({ score: 54, lowest: 54, weightedMean: 54, healthy: true });
    expect(health).toMatchObject({
      verdict: "degraded",
      reasons: ['fresh is degraded: status "initializing"'],
    });
  });
});

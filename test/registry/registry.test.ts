import { describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  manualClock,
  REGISTRY_RECENT_ERRORS,
  type RegisterOptions,
  type RegistryOptions,
  renderPrometheus,
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

/**
 * A provider whose reads are given as functions; writes do nothing. When only
 * `getHealthScore` is given, its snapshot carries no `healthScore`, so the registry
 * asks `getHealthScore()` for it.
 */
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
    getStats:
      reads.getStats ??
      (async () => {
        const { healthScore: _, ...withoutHealth } = stats(String(componentName));
        return reads.getHealthScore === undefined ? stats(String(componentName)) : withoutHealth;
      }),
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

describe("options given as undefined", () => {
  it("take their defaults, in the registry and in a registration", async () => {
    // Typed with every key, so a new option must be added here (and accept undefined).
    const allUndefined: { [K in keyof Required<RegistryOptions>]: undefined } = {
      componentTimeoutMs: undefined,
      healthyThreshold: undefined,
      verdict: undefined,
      cacheTtlMs: undefined,
      clock: undefined,
    };
    const noRegistration: { [K in keyof Required<RegisterOptions>]: undefined } = {
      name: undefined,
      weight: undefined,
    };
    // A score of 10 decides nothing by default: only a healthyThreshold given explicitly does.
    const source = { componentName: "low", getStats: () => stats("low", { healthScore: 10 }) };
    const given = new StatisticsRegistry(allUndefined);
    const defaults = new StatisticsRegistry();
    given.register(source, noRegistration);
    defaults.register(source);
    const snapshot = await given.collect();
    expect({ ...snapshot, timestamp: 0 }).toEqual({ ...(await defaults.collect()), timestamp: 0 });
    expect(snapshot.components[0]).toMatchObject({ name: "low", weight: 1, verdict: "healthy" });
    expect(snapshot.health).toMatchObject({ threshold: 70, verdict: "healthy" });
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

  it("rejects what is not a stats source", () => {
    const { registry } = setup();
    for (const bad of [
      null,
      undefined,
      42,
      "x",
      {},
      { getStats: 1 },
      { getStats() {}, getHealthScore: 90 },
      { getStats() {}, getRecentErrors: [] },
    ]) {
      expect(() => registry.register(bad as never, { name: "bad" })).toThrow(TypeError);
    }
    expect(() => registry.register({} as never)).toThrow(/`source`.*an object \(object\)/);
    expect(registry.names()).toEqual([]);
  });

  it("needs a name from the options or the provider", () => {
    const { registry } = setup();
    expect(() => registry.register(provider({}))).toThrow(
      /`options.name` or the source's `componentName`.*undefined/,
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

  it("holds the process with its timer while a component is pending, so the collection settles", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    try {
      const registry = new StatisticsRegistry({ componentTimeoutMs: 20 });
      registry.register(provider({ getStats: never }, "stuck"));
      const pending = registry.collect();
      const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(true);
      expect((await pending).components[0]?.outcome).toBe("timeout");
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

describe("stats sources", () => {
  it("registers and collects a source with only getStats(), its health read from the stats", async () => {
    const { registry } = setup();
    const pool = { componentName: "pool", getStats: () => stats("pool", { healthScore: 77 }) };
    registry.register(pool);
    registry.register({ getStats: async () => stats("cache") }, { name: "cache" });
    const snapshot = await registry.collect();
    expect(snapshot.components.map((c) => [c.name, c.outcome, c.healthScore])).toEqual([
      ["pool", "ok", 77],
      ["cache", "ok", 90],
    ]);
    expect(snapshot.components[0]?.stats).toEqual(stats("pool", { healthScore: 77 }));
    expect(snapshot.components[0] && "recentErrors" in snapshot.components[0]).toBe(false);
    expect(snapshot.health).toMatchObject({ score: 77, healthy: true });
  });

  it("asks getHealthScore() only when the stats carry no healthScore, and completes the stats with it", async () => {
    const { registry } = setup();
    const withScore = vi.fn(async () => 10);
    registry.register(
      provider({ getStats: async () => stats("a"), getHealthScore: withScore }, "a"),
    );
    registry.register(provider({ getHealthScore: async () => 64 }, "b"));
    const [a, b] = (await registry.collect()).components;
    expect(withScore).not.toHaveBeenCalled();
    expect(a?.healthScore).toBe(90);
    expect(b?.healthScore).toBe(64);
    expect(b?.stats?.healthScore).toBe(64);
  });

  it("reports a source whose stats have no healthScore and that has no getHealthScore() as an error", async () => {
    const { registry } = setup();
    const { healthScore: _, ...withoutHealth } = stats("bare");
    registry.register({ getStats: () => withoutHealth as ComponentStats }, { name: "bare" });
    registry.register({ getStats: () => stats("high", { healthScore: 101 }) }, { name: "high" });
    const [bare, high] = (await registry.collect()).components;
    expect(bare).toMatchObject({ outcome: "error", healthScore: 0 });
    expect(bare?.reason).toBe(
      "TypeError: Expected getStats().healthScore to be a number from 0 to 100, or the source to have a getHealthScore() method, got undefined",
    );
    expect(high?.reason).toMatch(
      /RangeError: Expected getStats\(\)\.healthScore to be a number from 0 to 100, got 101/,
    );
  });

  it("reads each method of a source once per collection", async () => {
    const { registry } = setup();
    const reads: string[] = [];
    const target = { getStats: async () => stats("p"), getRecentErrors: async () => [] };
    const proxy = new Proxy(target, {
      get(object, key, receiver) {
        if (typeof key === "string") reads.push(key);
        return Reflect.get(object, key, receiver);
      },
    });
    registry.register(proxy, { name: "p" });
    reads.length = 0;
    await registry.collect();
    expect(reads.sort()).toEqual(["getHealthScore", "getRecentErrors", "getStats"]);
  });

  it("is what renderPrometheus accepts as a single component", async () => {
    const text = await renderPrometheus({ getStats: () => stats("solo") }, { name: "solo" });
    expect(text).toContain('component="solo"');
    await expect(renderPrometheus({ getStats: 1 } as never)).rejects.toThrow(TypeError);
  });
});

describe("one copy of each component's stats", () => {
  it("keeps the fresh snapshot a tracker's own getStats() returned, without copying it", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.increment("n", 2);
    await t.trackError(new Error("e"), "ctx");
    registry.register(t);
    const getStats = vi.spyOn(BaseStatisticsTracker.prototype, "getStats");
    const getRecentErrors = vi.spyOn(BaseStatisticsTracker.prototype, "getRecentErrors");
    try {
      const [report] = (await registry.collect()).components;
      expect(report?.stats).toBe(await getStats.mock.results[0]?.value);
      expect(report?.recentErrors).toBe(await getRecentErrors.mock.results[0]?.value);
    } finally {
      getStats.mockRestore();
      getRecentErrors.mockRestore();
    }
  });

  it("copies what any other source returns, keeping the contract's fields only", async () => {
    const { registry } = setup();
    const own = { ...stats("foreign", { counters: { n: 1 } }), socket: { open: true } };
    const errors = [
      { error: "e", errorType: "Error", context: "c", details: { a: 1 }, timestamp: 1 },
    ];
    registry.register({ getStats: () => own, getRecentErrors: () => errors }, { name: "foreign" });
    const [report] = (await registry.collect()).components;
    expect(report?.stats).not.toBe(own);
    expect(report?.stats && "socket" in report.stats).toBe(false);
    expect(report?.recentErrors).toEqual(errors);
    own.counters.n = 99;
    const [record] = errors;
    if (record) record.details.a = 2;
    expect(report?.stats?.counters.n).toBe(1);
    expect(report?.recentErrors?.[0]?.details.a).toBe(1);
  });

  it("copies what a subclass's own getStats() returns, leaving its extra fields out as before", async () => {
    class Feed extends BaseStatisticsTracker {
      override async getStats(): Promise<ComponentStats> {
        return { ...(await super.getStats()), lagMs: 5 } as ComponentStats;
      }
    }
    const { registry } = setup();
    registry.register(new Feed("feed", { clock: manualClock(START) }));
    const [report] = (await registry.collect()).components;
    expect(report?.outcome).toBe("ok");
    expect(report?.stats && "lagMs" in report.stats).toBe(false);
  });

  it("takes a tracker's fresh snapshot for itself: uncached, so changing it changes nothing the tracker serves", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.increment("n", 2);
    await t.recordTiming("op", 5);
    registry.register(t);
    const [report] = (await registry.collect()).components;
    const taken = report?.stats as ComponentStats;
    (taken.counters as Record<string, number>).n = 42;
    (taken.performanceMetrics.op as { count: number }).count = 99;
    const served = await t.getStats();
    expect(served.counters.n).toBe(2);
    expect(served.performanceMetrics.op?.count).toBe(1);
    expect(served).not.toBe(taken);
  });

  it("copies a snapshot that getStats() cached, and leaves the cached one as it was", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.increment("n", 2);
    registry.register(t);
    const cached = await t.getStats();
    const [report] = (await registry.collect()).components;
    expect(report?.stats).toEqual(cached);
    expect(report?.stats).not.toBe(cached);
    (report?.stats?.counters as Record<string, number>).n = 42;
    expect((await t.getStats()).counters.n).toBe(2);
  });

  it("returns snapshots that share nothing with the next one", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.increment("n", 2);
    registry.register(t);
    const first = await registry.collect();
    (first.components[0]?.stats?.counters as Record<string, number>).n = 42;
    expect((await registry.collect()).components[0]?.stats?.counters.n).toBe(2);
  });
});

describe("the registry's clock", () => {
  it("rejects a collection when the clock reads something not finite, naming it", async () => {
    let reading = START;
    const registry = new StatisticsRegistry({ clock: { now: () => reading } });
    registry.register(new BaseStatisticsTracker("t"));
    reading = Number.NaN;
    await expect(registry.collect()).rejects.toThrow(
      new RangeError("Expected `clock.now()` to return a finite number, got NaN (number)"),
    );
    reading = START + 1;
    expect((await registry.collect()).timestamp).toBe(START + 1);
  });
});

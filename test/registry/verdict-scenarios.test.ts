/**
 * The verdict through the registry and the `/health` body, on the cases of issue 10
 * that the 0.1 verdict (score >= 70 and nothing failed) answered wrongly, and what
 * follows them: recovery, the status table, the score rule. Manual clock throughout.
 */
import { describe, expect, it } from "vitest";
import { healthVerdict } from "../../src/http/verdict.js";
import {
  BaseStatisticsTracker,
  type ComponentReport,
  type ManualClock,
  manualClock,
  type RegistryOptions,
  StatisticsRegistry,
} from "../../src/index.js";

const START = Date.UTC(2025, 0, 6, 8, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function setup(registryOptions: RegistryOptions = {}) {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0, ...registryOptions });
  const tracker = (name: string) => {
    const t = new BaseStatisticsTracker(name, { clock });
    registry.register(t);
    return t;
  };
  return { clock, registry, tracker };
}

/** What the 0.1 registry decided: lowest score >= 70 and no component failed. */
function verdictOf01(components: ComponentReport[]): boolean {
  return components.every((c) => c.outcome === "ok" && c.healthScore >= 70);
}

/** Serves `seconds` of traffic: `perSecond` calls a second, each failing with probability `failEvery`. */
async function serve(
  clock: ManualClock,
  tracker: BaseStatisticsTracker,
  seconds: number,
  perSecond: number,
  failures: (second: number) => number,
): Promise<void> {
  for (let second = 0; second < seconds; second++) {
    await tracker.increment("requests", perSecond);
    const failed = failures(second);
    for (let i = 0; i < failed; i++) await tracker.trackError(new Error("upstream 502"), "call");
    clock.advance(SECOND);
  }
}

describe("issue 10: an outage after a long good run", () => {
  it("is unhealthy within the window of the failures, though the lifetime score stays 92", async () => {
    const { clock, registry, tracker } = setup();
    const api = tracker("api");
    await api.setStatus("connected");
    // 8 hours at 50 calls/s with 0.1% failing (one failure every 20 s) …
    await serve(clock, api, 8 * 60 * 60, 50, (s) => (s % 20 === 19 ? 1 : 0));
    // … then every call fails for 5 minutes: 15,000 errors.
    await serve(clock, api, 5 * 60, 50, () => 50);

    expect(await api.getErrorCount()).toBe(1440 + 15_000);
    // The score keeps its 0.1 formula: the "stayed at 92".
    expect(Math.round(await api.getHealthScore())).toBe(92);
    const snapshot = await registry.collect();
    expect(verdictOf01(snapshot.components)).toBe(true); // 0.1 answered 200 here
    // The window's 60 buckets of 1 s: the current one (empty yet) and the 59 before it.
    expect(snapshot.components[0]?.stats?.recent).toEqual({
      windowMs: 60_000,
      calls: 2950,
      errors: 2950,
      errorRate: 1,
    });
    const body = healthVerdict(snapshot);
    expect(body).toMatchObject({ status: "unhealthy", healthy: false });
    expect(body.score).toBeGreaterThan(90);
    expect(body.components[0]).toMatchObject({
      name: "api",
      verdict: "unhealthy",
      reasons: ["2950 of 2950 calls failed in the last 60 s (100%)"],
    });
    expect(body.reasons).toEqual([
      "api is unhealthy: 2950 of 2950 calls failed in the last 60 s (100%)",
    ]);
  });

  it("recovers once the window has passed after the failures stop, with traffic or without", async () => {
    const { clock, registry, tracker } = setup();
    const api = tracker("api");
    const quiet = tracker("quiet");
    await api.setStatus("connected");
    await quiet.setStatus("connected");
    await serve(clock, api, 60, 50, () => 0);
    // Five minutes of failures on both; then the api serves again and the other goes quiet.
    for (let second = 0; second < 5 * 60; second++) {
      await api.increment("requests", 50);
      await quiet.increment("requests", 10);
      for (let i = 0; i < 10; i++) await quiet.trackError(new Error("502"), "call");
      for (let i = 0; i < 50; i++) await api.trackError(new Error("502"), "call");
      clock.advance(SECOND);
    }

    // Good traffic again: after 25 s, 34 of the window's 59 full seconds still failed …
    await serve(clock, api, 25, 50, () => 0);
    let snapshot = await registry.collect();
    expect(snapshot.components.map((c) => c.verdict)).toEqual(["unhealthy", "unhealthy"]);
    expect(snapshot.components[0]?.stats?.recent).toMatchObject({ calls: 2950, errors: 1700 });
    // … after 40 s, 19 did (32%: degraded); after 60 s none, and the quiet one has no calls left.
    await serve(clock, api, 15, 50, () => 0);
    snapshot = await registry.collect();
    expect(snapshot.components[0]?.verdict).toBe("degraded");
    await serve(clock, api, 20, 50, () => 0);
    snapshot = await registry.collect();
    expect(snapshot.components.map((c) => c.verdict)).toEqual(["healthy", "healthy"]);
    expect(healthVerdict(snapshot)).toMatchObject({ status: "healthy", healthy: true });
  });

  it("answers healthy at once when first collected ten minutes after a recovery", async () => {
    const clock = manualClock(START);
    const api = new BaseStatisticsTracker("api", { clock });
    await api.setStatus("connected");
    await serve(clock, api, 60, 50, () => 50);
    clock.advance(10 * MINUTE);
    const registry = new StatisticsRegistry({ clock });
    registry.register(api);
    const snapshot = await registry.collect();
    expect(snapshot.health).toMatchObject({ verdict: "healthy", healthy: true, reasons: [] });
  });
});

describe("issue 10: healthy, quiet instances", () => {
  it("stays healthy through an hour without traffic, though the score drops from 80 to 62", async () => {
    const { clock, registry, tracker } = setup();
    const api = tracker("api");
    await api.setStatus("connected");
    await api.increment("requests", 100);
    expect((await registry.collect()).components[0]?.healthScore).toBe(80);
    clock.advance(HOUR);
    const snapshot = await registry.collect();
    expect(snapshot.components[0]?.healthScore).toBe(62);
    expect(verdictOf01(snapshot.components)).toBe(false); // 0.1 answered 503 here
    expect(healthVerdict(snapshot)).toMatchObject({ status: "healthy", healthy: true, score: 62 });
  });

  it("serves a component that never set a status (score 54) from the first second, as degraded", async () => {
    const { registry, tracker } = setup();
    tracker("fresh");
    const snapshot = await registry.collect();
    expect(snapshot.components[0]?.healthScore).toBe(54);
    expect(verdictOf01(snapshot.components)).toBe(false); // 0.1 answered 503 here
    expect(healthVerdict(snapshot)).toMatchObject({
      status: "degraded",
      healthy: true,
      reasons: ['fresh is degraded: status "initializing"'],
    });
  });
});

describe("issue 10: timed calls count", () => {
  it("counts 1000 successful time() calls, so one failure is 0.1% and not unhealthy", async () => {
    const { clock, registry, tracker } = setup();
    const api = tracker("api");
    await api.setStatus("connected");
    for (let i = 0; i < 1000; i++) {
      await api.time("call", () => clock.advance(1));
    }
    await expect(
      api.time("call", () => {
        throw new Error("timeout");
      }),
    ).rejects.toThrow("timeout");
    const snapshot = await registry.collect();
    expect(snapshot.components[0]?.healthScore).toBe(40); // errors factor 0: no counter counted
    expect(verdictOf01(snapshot.components)).toBe(false); // 0.1 answered 503 here
    expect(snapshot.components[0]?.stats?.recent).toMatchObject({ calls: 1001, errors: 1 });
    expect(healthVerdict(snapshot)).toMatchObject({ status: "healthy", healthy: true });
  });
});

describe("the status table through the registry", () => {
  it.each([
    ["connected", "healthy", 200],
    ["active", "healthy", 200],
    ["initializing", "degraded", 200],
    ["reconnecting", "degraded", 200],
    ["disconnected", "unhealthy", 503],
    ["error", "unhealthy", 503],
  ] as const)("status %s gives %s (/health %d)", async (status, verdict, httpStatus) => {
    const { registry, tracker } = setup();
    await tracker("feed").setStatus(status);
    const body = healthVerdict(await registry.collect());
    expect(body.status).toBe(verdict);
    expect(body.healthy ? 200 : 503).toBe(httpStatus);
  });

  it("is unhealthy when a component cannot be collected, and names it", async () => {
    const { registry, tracker } = setup({ componentTimeoutMs: 50 });
    await tracker("good").setStatus("connected");
    const broken = tracker("broken");
    broken.getStats = () => Promise.reject(new Error("socket closed"));
    const body = healthVerdict(await registry.collect());
    expect(body).toMatchObject({ status: "unhealthy", healthy: false });
    expect(body.reasons).toEqual([
      "broken is unhealthy: not collected (error): Error: socket closed",
    ]);
  });
});

describe("registry verdict options", () => {
  it("softens a non-critical component's unhealthy verdict to degraded for the registry", async () => {
    const { registry, tracker } = setup({ verdict: { nonCritical: ["cache"] } });
    await tracker("db").setStatus("connected");
    await tracker("cache").setStatus("disconnected");
    const snapshot = await registry.collect();
    expect(snapshot.components.map((c) => c.verdict)).toEqual(["healthy", "unhealthy"]);
    expect(snapshot.health).toMatchObject({
      verdict: "degraded",
      healthy: true,
      reasons: ['cache is unhealthy (not critical): status "disconnected"'],
    });
  });

  it("lets the score decide only with a minimum score", async () => {
    const quiet = async (options: RegistryOptions) => {
      const { clock, registry, tracker } = setup(options);
      await tracker("api").setStatus("connected");
      clock.advance(HOUR);
      return (await registry.collect()).health;
    };
    expect(await quiet({})).toMatchObject({ score: 62, threshold: 70, verdict: "healthy" });
    expect(await quiet({ verdict: { minScore: 65 } })).toMatchObject({
      threshold: 65,
      verdict: "unhealthy",
      reasons: ["api is unhealthy: health score 62 is below the minimum 65"],
    });
    // healthyThreshold given explicitly is that minimum, as in 0.1; verdict.minScore wins.
    expect(await quiet({ healthyThreshold: 60 })).toMatchObject({
      threshold: 60,
      verdict: "healthy",
    });
    expect(await quiet({ healthyThreshold: 63 })).toMatchObject({ verdict: "unhealthy" });
    expect(await quiet({ healthyThreshold: 63, verdict: { minScore: null } })).toMatchObject({
      threshold: 63,
      verdict: "healthy",
    });
  });

  it("applies the configured failure shares and minimum calls", async () => {
    const { clock, registry, tracker } = setup({
      verdict: { degradedErrorRate: 0.01, unhealthyErrorRate: 0.02, minCalls: 500 },
    });
    const api = tracker("api");
    await api.setStatus("connected");
    await serve(clock, api, 5, 50, (s) => (s === 0 ? 5 : 0)); // 250 calls: too few
    expect((await registry.collect()).health.verdict).toBe("healthy");
    await serve(clock, api, 5, 50, () => 0); // 500 calls, 5 failed: 1%
    expect((await registry.collect()).health.verdict).toBe("degraded");
  });

  it("rejects bad verdict options at construction, naming them", () => {
    expect(() => new StatisticsRegistry({ verdict: { minCalls: -1 } })).toThrow(
      /`verdict\.minCalls` to be >= 0/,
    );
    expect(() => new StatisticsRegistry({ verdict: null as never })).toThrow(
      /`verdict` to be an object/,
    );
  });

  it("reports a provider's malformed recent activity as a collection error", async () => {
    const { registry } = setup();
    const t = new BaseStatisticsTracker("odd");
    const getStats = t.getStats.bind(t);
    t.getStats = async () => ({
      ...(await getStats()),
      recent: { windowMs: 60_000, calls: Number.NaN, errors: 0, errorRate: 0 },
    });
    registry.register(t);
    const [report] = (await registry.collect()).components;
    expect(report).toMatchObject({ outcome: "error", verdict: "unhealthy" });
    expect(report?.reason).toMatch(/getStats\(\)\.recent\.calls to be a finite number/);
  });
});

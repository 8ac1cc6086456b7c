import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";

const START = 1_700_000_000_000;

function setup(cacheTtlMs = 5000) {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, cacheTtlMs });
  const tracker = (name: string) => new BaseStatisticsTracker(name, { clock });
  return { clock, registry, tracker };
}

/** Everything but the timestamp, which only says when the content was collected. */
const content = ({ timestamp: _, ...rest }: RegistrySnapshot) => rest;

/**
 * The registry caches nothing (it did up to 0.1): every collection asks every
 * component, and a tracker serves repeated reads from its own cache. These tests
 * were the cache's; those whose subject was the cache now check that it is gone.
 */
describe("registry freshness", () => {
  it("asks every component on every collection, reading the health from its stats", async () => {
    const { clock, registry, tracker } = setup();
    const orders = tracker("orders");
    await orders.increment("placed");
    registry.register(orders);
    const health = vi.spyOn(orders, "getHealthScore");
    const getStats = vi.spyOn(orders, "getStats");

    const first = await registry.collect();
    clock.advance(1000);
    const second = await registry.collect();
    // The tracker served its cached snapshot: same content, collected anew.
    expect(content(second)).toEqual(content(first));
    expect(second.timestamp).toBe(START + 1000);
    expect(second.components[0]?.healthScore).toBe((await orders.getStats()).healthScore);
    expect(health).not.toHaveBeenCalled();
    expect(getStats).toHaveBeenCalledTimes(3);
  });

  it("sees an awaited write to a registered tracker at once", async () => {
    const { clock, registry, tracker } = setup();
    const orders = tracker("orders");
    registry.register(orders);
    await registry.collect();
    clock.advance(10);
    await orders.increment("placed", 5);
    const snapshot = await registry.collect();
    expect(snapshot.components[0]?.stats?.counters).toEqual({ placed: 5 });
    expect(snapshot.totals.operations).toBe(5);
    expect(snapshot.timestamp).toBe(START + 10);
  });

  it.each([
    ["increment", (t: BaseStatisticsTracker) => t.increment("n")],
    ["setGauge", (t: BaseStatisticsTracker) => t.setGauge("g", 1)],
    ["recordTiming", (t: BaseStatisticsTracker) => t.recordTiming("op", 3)],
    ["trackError", (t: BaseStatisticsTracker) => t.trackError(new Error("e"), "ctx")],
    ["setStatus", (t: BaseStatisticsTracker) => t.setStatus("connected")],
    ["resetMetrics", (t: BaseStatisticsTracker) => t.resetMetrics()],
  ])(
    "a write by %s, with the clock standing still, is seen by the next collect",
    async (_, write) => {
      const { registry, tracker } = setup();
      const t = tracker("t");
      await t.increment("seed");
      registry.register(t);
      const before = await registry.collect();
      await write(t);
      const after = await registry.collect();
      expect(after.components[0]?.stats).toEqual(await t.getStats());
      expect(after.components[0]?.healthScore).toBe(await t.getHealthScore());
      expect(after.components[0]?.recentErrors).toEqual(await t.getRecentErrors());
      expect(content(after)).not.toEqual(content(before));
    },
  );

  it("sees different errors after a reset rebuilt the same stats in the same millisecond", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.trackError(new Error("first"), "ctx");
    registry.register(t);
    await registry.collect();
    await t.resetMetrics();
    await t.trackError(new Error("second"), "ctx");
    const snapshot = await registry.collect();
    expect(snapshot.components[0]?.recentErrors?.map((e) => e.error)).toEqual(["second"]);
  });

  it("accepts the deprecated cacheTtlMs and caches nothing, also when the clock starts at 0", async () => {
    const clock = manualClock(0);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 100 });
    const t = new BaseStatisticsTracker("t", { clock, cacheTtlMs: 0 });
    registry.register(t);
    const getStats = vi.spyOn(t, "getStats");
    await registry.collect();
    clock.advance(100);
    expect((await registry.collect()).timestamp).toBe(100);
    clock.advance(1);
    expect((await registry.collect()).timestamp).toBe(101);
    expect(getStats).toHaveBeenCalledTimes(3);
  });

  it("asks the unchanged components too when another one changed", async () => {
    const { clock, registry, tracker } = setup();
    const quiet = tracker("quiet");
    const busy = tracker("busy");
    registry.register(quiet);
    registry.register(busy);
    const quietStats = vi.spyOn(quiet, "getStats");
    const busyStats = vi.spyOn(busy, "getStats");
    const first = await registry.collect();
    clock.advance(5);
    await busy.increment("n");
    const snapshot = await registry.collect();
    expect(snapshot.timestamp).toBe(START + 5);
    expect(quietStats).toHaveBeenCalledTimes(2);
    expect(busyStats).toHaveBeenCalledTimes(2);
    expect(snapshot.components[0]).toEqual(first.components[0]);
    expect(snapshot.components[1]?.stats?.counters).toEqual({ n: 1 });
  });

  it("is invalidated by register and unregister", async () => {
    const { registry, tracker } = setup();
    registry.register(tracker("a"));
    await registry.collect();
    registry.register(tracker("b"));
    expect((await registry.collect()).components.map((c) => c.name)).toEqual(["a", "b"]);
    registry.unregister("a");
    expect((await registry.collect()).components.map((c) => c.name)).toEqual(["b"]);
  });

  it("does not cache a collection during which a component was registered", async () => {
    const { registry, tracker } = setup();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = tracker("slow");
    const realGetStats = slow.getStats.bind(slow);
    vi.spyOn(slow, "getStats").mockImplementation(async () => {
      await gate;
      return realGetStats();
    });
    registry.register(slow);
    const pending = registry.collect();
    registry.register(tracker("late"));
    release();
    expect((await pending).components.map((c) => c.name)).toEqual(["slow"]);
    expect((await registry.collect()).components.map((c) => c.name)).toEqual(["slow", "late"]);
  });

  it("does not reuse a snapshot in which a component failed", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    registry.register(t);
    const getStats = vi.spyOn(t, "getStats").mockRejectedValueOnce(new Error("flaky"));
    expect((await registry.collect()).components[0]?.outcome).toBe("error");
    expect((await registry.collect()).components[0]?.outcome).toBe("ok");
    expect(getStats).toHaveBeenCalledTimes(2);
  });

  it("collects afresh every time with cacheTtlMs 0", async () => {
    const { clock, registry, tracker } = setup(0);
    const t = tracker("t");
    registry.register(t);
    const getStats = vi.spyOn(t, "getStats");
    await registry.collect();
    clock.advance(1);
    expect((await registry.collect()).timestamp).toBe(START + 1);
    expect(getStats).toHaveBeenCalledTimes(2);
  });

  it("returns copies: changing one never changes the next", async () => {
    const { registry, tracker } = setup();
    const t = tracker("t");
    await t.increment("n", 2);
    await t.trackError(new Error("e"), "ctx", { nested: { a: 1 } });
    registry.register(t);
    const first = await registry.collect();
    const expected = structuredClone(first);
    const report = first.components[0];
    if (report?.stats === undefined || report.recentErrors === undefined)
      throw new Error("no stats");
    report.stats.counters.n = 99;
    const [record] = report.recentErrors;
    if (record) record.details.nested = "changed";
    report.name = "renamed";
    first.totals.errors = 42;
    first.health.healthy = true;
    first.components.push(report);
    expect(await registry.collect()).toEqual(expected);
  });

  it("agrees with an uncached registry after any sequence of writes, clock moves and collects", async () => {
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant("increment" as const),
        c: fc.nat(2),
        v: fc.integer({ min: -2, max: 3 }),
      }),
      fc.record({
        kind: fc.constant("setGauge" as const),
        c: fc.nat(2),
        v: fc.integer({ min: 0, max: 2 }),
      }),
      fc.record({ kind: fc.constant("recordTiming" as const), c: fc.nat(2), v: fc.nat(50) }),
      fc.record({ kind: fc.constant("trackError" as const), c: fc.nat(2), v: fc.nat(2) }),
      fc.record({ kind: fc.constant("setStatus" as const), c: fc.nat(2), v: fc.nat(2) }),
      fc.record({ kind: fc.constant("reset" as const), c: fc.nat(2), v: fc.constant(0) }),
      fc.record({
        kind: fc.constant("advance" as const),
        c: fc.constant(0),
        v: fc.constantFrom(0, 1, 999, 5001),
      }),
      fc.record({ kind: fc.constant("collect" as const), c: fc.constant(0), v: fc.constant(0) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(operation, { maxLength: 30 }),
        fc.constantFrom(0, 1000),
        async (ops, trackerTtl) => {
          const clock = manualClock(START);
          const cached = new StatisticsRegistry({ clock, cacheTtlMs: 5000 });
          const fresh = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
          const trackers = ["a", "b", "c"].map(
            (name) => new BaseStatisticsTracker(name, { clock, cacheTtlMs: trackerTtl }),
          );
          for (const t of trackers) {
            cached.register(t);
            fresh.register(t);
          }
          for (const { kind, c, v } of ops) {
            const t = trackers[c] as BaseStatisticsTracker;
            if (kind === "increment") await t.increment(`n${v & 1}`, v);
            else if (kind === "setGauge") await t.setGauge("g", v);
            else if (kind === "recordTiming") await t.recordTiming("op", v);
            else if (kind === "trackError") await t.trackError(new Error(`e${v}`), "ctx", { v });
            else if (kind === "setStatus")
              await t.setStatus(["connected", "active", "error"][v] as string);
            else if (kind === "reset") await t.resetMetrics();
            else if (kind === "advance") clock.advance(v);
            else await cached.collect();
          }
          expect(content(await cached.collect())).toEqual(content(await fresh.collect()));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("concurrent collections", () => {
  it("never answer a collection that starts after an awaited write with a call made before it", async () => {
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock });
    let value = 1;
    const gates: (() => void)[] = [];
    let calls = 0;
    const source = {
      getStats: () => {
        calls++;
        // What the component holds when asked, answered later.
        const answer = { ...stats(), counters: { n: value } };
        return new Promise<typeof answer>((resolve) => gates.push(() => resolve(answer)));
      },
    };
    registry.register(source, { name: "slow" });
    const before = registry.collect();
    value = 2; // the write, awaited before the next collection starts
    const after = registry.collect();
    const alsoAfter = registry.collect();
    gates.shift()?.();
    await vi.waitFor(() => expect(gates.length).toBe(1));
    gates.shift()?.();
    expect((await before).components[0]?.stats?.counters).toEqual({ n: 1 });
    expect((await after).components[0]?.stats?.counters).toEqual({ n: 2 });
    expect((await alsoAfter).components[0]?.stats?.counters).toEqual({ n: 2 });
    // One call in flight at a time: the two later collections shared the second call,
    // each with a copy of its answer.
    expect(calls).toBe(2);
    const [a, b] = [(await after).components[0]?.stats, (await alsoAfter).components[0]?.stats];
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(a?.counters).not.toBe(b?.counters);
  });
});

function stats() {
  return {
    name: "slow",
    status: "connected",
    uptimeSeconds: 0,
    lastActivity: null,
    errorCount: 0,
    memoryUsageMb: 0,
    healthScore: 100,
    counters: {},
    gauges: {},
    performanceMetrics: {},
  };
}

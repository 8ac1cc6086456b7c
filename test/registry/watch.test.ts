import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
  type VerdictChange,
  type WatchHealthOptions,
  watchHealth,
} from "../../src/index.js";

const START = Date.UTC(2025, 0, 6, 8, 0, 0);
const HOUR = 3_600_000;

function setup() {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
  const broker = new BaseStatisticsTracker("broker", { clock });
  registry.register(broker);
  const changes: VerdictChange[] = [];
  const errors: unknown[] = [];
  return { clock, registry, broker, changes, errors };
}

const stopped: { stop(): void }[] = [];
afterEach(() => {
  for (const watcher of stopped.splice(0)) watcher.stop();
  vi.useRealTimers();
});

describe("watchHealth", () => {
  it("tells once per change, with hysteresis on recovery, on the registry's clock", async () => {
    const { clock, registry, broker, changes } = setup();
    await broker.setStatus("connected");
    const watcher = watchHealth(registry, {
      intervalMs: HOUR,
      recoverAfterMs: 30_000,
      onChange: (change) => changes.push(change),
    });
    stopped.push(watcher);
    expect(await watcher.check()).toEqual([]);

    await broker.setStatus("disconnected");
    clock.advance(1000);
    const outage = await watcher.check();
    expect(outage.map((c) => [c.component, c.verdict])).toEqual([
      ["broker", "unhealthy"],
      [null, "unhealthy"],
    ]);
    expect(changes).toEqual(outage);
    expect(outage[0]).toEqual({
      component: "broker",
      previous: "healthy",
      verdict: "unhealthy",
      reasons: ['status "disconnected"'],
      at: START + 1000,
    });
    clock.advance(1000);
    expect(await watcher.check()).toEqual([]); // still down: nothing new

    await broker.setStatus("connected");
    clock.advance(1000);
    expect(await watcher.check()).toEqual([]);
    clock.advance(29_999);
    expect(await watcher.check()).toEqual([]);
    expect(watcher.reported.registry).toBe("unhealthy");
    clock.advance(1);
    const recovery = await watcher.check();
    expect(recovery.map((c) => [c.component, c.previous, c.verdict])).toEqual([
      ["broker", "unhealthy", "healthy"],
      [null, "unhealthy", "healthy"],
    ]);
    expect(changes).toHaveLength(4);
    expect(watcher.reported).toEqual({ registry: "healthy", components: { broker: "healthy" } });
  });

  it("pages once for a component flapping every 10 s, and tells its recovery once it held", async () => {
    const { clock, registry, broker, changes } = setup();
    await broker.setStatus("connected");
    const watcher = watchHealth(registry, {
      intervalMs: HOUR,
      recoverAfterMs: 30_000,
      onChange: (change) => changes.push(change),
    });
    stopped.push(watcher);
    await watcher.check();
    for (let second = 0; second < 120; second += 5) {
      await broker.setStatus(Math.floor(second / 10) % 2 === 0 ? "disconnected" : "connected");
      await watcher.check();
      clock.advance(5000);
    }
    expect(changes.map((c) => `${c.component ?? "registry"} ${c.verdict}`)).toEqual([
      "broker unhealthy",
      "registry unhealthy",
    ]);
    await broker.setStatus("connected");
    for (let second = 0; second <= 30; second += 5) {
      await watcher.check();
      clock.advance(5000);
    }
    expect(changes.slice(2).map((c) => `${c.component ?? "registry"} ${c.verdict}`)).toEqual([
      "broker healthy",
      "registry healthy",
    ]);
  });

  it("runs its first check at once and checks every intervalMs, one at a time, until stopped", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { registry } = setup();
    const collect = vi.spyOn(registry, "collect");
    const watcher = watchHealth(registry, { intervalMs: 1000, onChange: () => {} });
    stopped.push(watcher);
    await watcher.check(); // queued behind the first check, which runs at once
    expect(collect).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(3000);
    expect(collect).toHaveBeenCalledTimes(5);

    // A tick while a check is still running is skipped, not queued.
    let release: (snapshot: RegistrySnapshot) => void = () => {};
    const slow = registry.collect();
    collect.mockImplementationOnce(() => new Promise((resolve) => (release = resolve)));
    await vi.advanceTimersByTimeAsync(1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(collect).toHaveBeenCalledTimes(7); // the slow one, and `slow` above
    release(await slow);
    await vi.advanceTimersByTimeAsync(1000);
    expect(collect).toHaveBeenCalledTimes(8);

    watcher.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(collect).toHaveBeenCalledTimes(8);
  });

  it("takes every option given as undefined for its default: 10 s, 30 s, console.error", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const { clock, registry, broker, changes } = setup();
    await broker.setStatus("connected");
    const collect = vi.spyOn(registry, "collect");
    const undefinedOptions: { [K in keyof Omit<WatchHealthOptions, "onChange">]-?: undefined } = {
      intervalMs: undefined,
      recoverAfterMs: undefined,
      onError: undefined,
    };
    const watcher = watchHealth(registry, {
      ...undefinedOptions,
      onChange: (change) => changes.push(change),
    });
    stopped.push(watcher);
    await vi.advanceTimersByTimeAsync(9999);
    expect(collect).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(collect).toHaveBeenCalledTimes(2);

    await broker.setStatus("disconnected");
    expect((await watcher.check()).map((c) => c.verdict)).toEqual(["unhealthy", "unhealthy"]);
    await broker.setStatus("connected");
    await watcher.check();
    clock.advance(29_999);
    expect(await watcher.check()).toEqual([]);
    clock.advance(1);
    expect(await watcher.check()).toHaveLength(2);

    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      collect.mockRejectedValueOnce(new Error("x"));
      await watcher.check();
      expect(log).toHaveBeenCalledWith("component-stats health watcher:", new Error("x"));
    } finally {
      log.mockRestore();
    }
  });

  it("does not keep the process alive", () => {
    const spy = vi.spyOn(globalThis, "setInterval");
    try {
      const { registry } = setup();
      stopped.push(watchHealth(registry, { onChange: () => {} }));
      const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });

  it("reports a failing collection or onChange to onError and goes on", async () => {
    const { registry, broker, errors } = setup();
    await broker.setStatus("connected");
    const seen: string[] = [];
    const watcher = watchHealth(registry, {
      intervalMs: HOUR,
      recoverAfterMs: 0,
      onChange: (change) => {
        seen.push(change.component ?? "registry");
        if (change.component === "broker") throw new Error("pager down");
      },
      onError: (error) => errors.push(error),
    });
    stopped.push(watcher);
    await watcher.check();
    await broker.setStatus("error");
    const changes = await watcher.check();
    expect(changes).toHaveLength(2);
    expect(seen).toEqual(["broker", "registry"]); // the registry's change still told
    expect(errors).toEqual([new Error("pager down")]);

    vi.spyOn(registry, "collect").mockRejectedValueOnce(new RangeError("clock broke"));
    expect(await watcher.check()).toEqual([]);
    expect(errors.at(-1)).toEqual(new RangeError("clock broke"));
    expect(watcher.reported.registry).toBe("unhealthy"); // unchanged by the failed check
  });

  it("reports an async onChange's rejection to onError, and survives an async onError's", async () => {
    const { registry, broker, errors } = setup();
    await broker.setStatus("connected");
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const watcher = watchHealth(registry, {
        intervalMs: HOUR,
        recoverAfterMs: 0,
        onChange: async () => {
          throw new Error("pager down");
        },
        onError: (error) => errors.push(error),
      });
      stopped.push(watcher);
      await watcher.check();
      await broker.setStatus("error");
      expect(await watcher.check()).toHaveLength(2);
      const rejecting = watchHealth(registry, {
        intervalMs: HOUR,
        onChange: () => {},
        onError: async () => {
          throw new Error("log sink unreachable");
        },
      });
      stopped.push(rejecting);
      await rejecting.check();
      vi.spyOn(registry, "collect").mockRejectedValueOnce(new Error("x"));
      await expect(rejecting.check()).resolves.toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(errors).toEqual([new Error("pager down"), new Error("pager down")]);
    expect(unhandled).toEqual([]);
  });

  it("logs with console.error without an onError, and survives an onError that throws", async () => {
    const { registry } = setup();
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const collect = vi.spyOn(registry, "collect").mockRejectedValue(new Error("x"));
      const watcher = watchHealth(registry, { intervalMs: HOUR, onChange: () => {} });
      stopped.push(watcher);
      await watcher.check();
      expect(log).toHaveBeenCalledWith("component-stats health watcher:", new Error("x"));
      const throwing = watchHealth(registry, {
        intervalMs: HOUR,
        onChange: () => {},
        onError: () => {
          throw new Error("worse");
        },
      });
      stopped.push(throwing);
      await expect(throwing.check()).resolves.toEqual([]);
      collect.mockRestore();
    } finally {
      log.mockRestore();
    }
  });

  it.each([
    [null, {}, TypeError, /`registry` to be an object with a collect\(\) method/],
    ["ok", null, TypeError, /`options` to be an object/],
    ["ok", {}, TypeError, /`onChange` to be a function, got undefined/],
    ["ok", { onChange: () => {}, onError: 1 }, TypeError, /`onError` to be a function/],
    ["ok", { onChange: () => {}, intervalMs: 0 }, RangeError, /`intervalMs`/],
    ["ok", { onChange: () => {}, intervalMs: 1.5 }, RangeError, /`intervalMs`/],
    ["ok", { onChange: () => {}, recoverAfterMs: -1 }, RangeError, /`recoverAfterMs` to be >= 0/],
    ["ok", { onChange: () => {}, recoverAfterMs: Number.NaN }, RangeError, /`recoverAfterMs`/],
  ])("rejects bad arguments (%j, %j)", (registryArg, options, ErrorType, message) => {
    const registry = registryArg === "ok" ? new StatisticsRegistry() : registryArg;
    const make = () => watchHealth(registry as never, options as never);
    expect(make).toThrow(ErrorType);
    expect(make).toThrow(message);
  });
});

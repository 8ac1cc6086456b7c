import { describe, expect, it } from "vitest";
import { StatisticsRegistry } from "../../src/registry/registry.js";
import { REGISTERED_SOURCES, TIMING_WINDOWS } from "../../src/shared/internal-keys.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";

describe("internal keys", () => {
  it("are the global symbols, so every copy of the package finds the accessors", () => {
    expect(TIMING_WINDOWS).toBe(Symbol.for("component-stats.timing-windows"));
    expect(REGISTERED_SOURCES).toBe(Symbol.for("component-stats.registered-sources"));
  });

  it("a tracker's [TIMING_WINDOWS]() gives each operation's window, ascending, as copies", async () => {
    const tracker = new BaseStatisticsTracker("t", { timingWindow: 3 });
    for (const value of [9, 2, 7, 4]) await tracker.recordTiming("fill", value);
    await tracker.recordTiming("cancel", 1);
    const windows = await tracker[TIMING_WINDOWS]();
    expect([...windows.keys()]).toEqual(["fill", "cancel"]);
    expect([...(windows.get("fill") ?? [])]).toEqual([2, 4, 7]);
    windows.get("fill")?.fill(0);
    expect([...((await tracker[TIMING_WINDOWS]()).get("fill") ?? [])]).toEqual([2, 4, 7]);
  });

  it("waits for a section holding the tracker's lock, like a snapshot", async () => {
    class Locking extends BaseStatisticsTracker {
      run(fn: () => Promise<void>) {
        return this.withLock(fn);
      }
    }
    const tracker = new Locking("t");
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = tracker.run(() => gate);
    const write = tracker.recordTiming("fill", 5);
    const read = tracker[TIMING_WINDOWS]();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([held, write]);
    expect([...((await read).get("fill") ?? [])]).toEqual([5]);
  });

  it("a registry's [REGISTERED_SOURCES]() lists each source under its name, in order", () => {
    const registry = new StatisticsRegistry();
    const a = new BaseStatisticsTracker("a");
    const b = new BaseStatisticsTracker("b");
    registry.register(b);
    registry.register(a, { name: "renamed" });
    const sources = registry[REGISTERED_SOURCES]();
    expect([...sources]).toEqual([
      ["b", b],
      ["renamed", a],
    ]);
    sources.clear();
    expect(registry[REGISTERED_SOURCES]().size).toBe(2);
  });
});

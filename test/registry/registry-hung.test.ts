import { describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  type LockedWriter,
  manualClock,
  StatisticsRegistry,
} from "../../src/index.js";
import { heapUsedAfterGc, MB } from "../hardening/heap.js";

const START = 1_700_000_000_000;
const COLLECTIONS = 3000;

/** A tracker whose lock a test can take and never give back until it says so. */
class Lockable extends BaseStatisticsTracker {
  /** Takes the lock; every read and write queues behind it until `release()`. */
  hold(): () => void {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    void this.withLock((_: LockedWriter) => held);
    return release;
  }
}

function setup() {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, componentTimeoutMs: 300 });
  const hung = new Lockable("hung", { clock });
  const healthy = new BaseStatisticsTracker("healthy", { clock });
  registry.register(hung);
  registry.register(healthy);
  return { clock, registry, hung, healthy };
}

describe("a component that hangs", () => {
  it("is asked once, reported as timed out since that call, and asked again once it answers", async () => {
    const { clock, registry, hung } = setup();
    const getStats = vi.spyOn(hung, "getStats");
    const release = hung.hold();

    const first = await registry.collect();
    expect(first.components[0]).toMatchObject({
      outcome: "timeout",
      status: "timeout",
      healthScore: 0,
      reason: '"hung" did not answer within 300 ms',
      pendingSinceMs: START,
    });
    expect(first.components[1]?.outcome).toBe("ok");

    clock.advance(90_000);
    const startedMs = performance.now();
    const later = await registry.collect();
    // Not asked, so not waited for: far below the 300 ms timeout (with room for a loaded machine).
    expect(performance.now() - startedMs).toBeLessThan(150);
    expect(later.timestamp).toBe(START + 90_000);
    expect(later.components[0]).toEqual({
      name: "hung",
      outcome: "timeout",
      status: "timeout",
      healthScore: 0,
      weight: 1,
      reason:
        '"hung" has not answered a call made at 2023-11-14T22:13:20.000Z; it is not asked again until that call settles',
      pendingSinceMs: START,
      verdict: "unhealthy",
      reasons: [
        'not collected (timeout): "hung" has not answered a call made at 2023-11-14T22:13:20.000Z; it is not asked again until that call settles',
      ],
    });
    expect(later.components[1]?.outcome).toBe("ok");
    expect(getStats).toHaveBeenCalledTimes(1);

    release();
    await vi.waitFor(async () => {
      expect((await registry.collect()).components[0]?.outcome).toBe("ok");
    });
    // The pending call settled on its own; then exactly one new call: nothing queued up.
    expect(getStats).toHaveBeenCalledTimes(2);
  });

  it(`keeps memory flat over ${COLLECTIONS} collections, and recovers when released`, async () => {
    const { clock, registry, hung } = setup();
    const getStats = vi.spyOn(hung, "getStats");
    const release = hung.hold();
    await registry.collect(); // the one call, timed out
    for (let i = 0; i < 100; i++) await registry.collect(); // warm up
    const beforeBytes = heapUsedAfterGc();
    for (let i = 0; i < COLLECTIONS; i++) {
      clock.advance(10);
      const snapshot = await registry.collect();
      if (snapshot.components[0]?.pendingSinceMs !== START) throw new Error("asked again");
    }
    const grownBytes = heapUsedAfterGc() - beforeBytes;
    // Asking again on every collection retained about 12 KB per collection (35 MB per 3000).
    // Bounded well below that, with room for a loaded machine's GC noise (up to 0.7 MB seen).
    expect(grownBytes).toBeLessThan(2 * MB);
    expect(getStats).toHaveBeenCalledTimes(1);

    release();
    await vi.waitFor(async () => {
      expect((await registry.collect()).components[0]?.outcome).toBe("ok");
    });
    expect(getStats).toHaveBeenCalledTimes(2);
  });
});

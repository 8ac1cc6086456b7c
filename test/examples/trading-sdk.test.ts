/**
 * The demo's simulated SDK on a manual clock: its broker outage turns the registry's
 * verdict unhealthy, and healthy again once the session is back, deterministically.
 */
import { describe, expect, it } from "vitest";
import { TradingSdk } from "../../examples/trading-sdk/trading-sdk.js";
import {
  manualClock,
  StatisticsRegistry,
  type VerdictChange,
  watchHealth,
} from "../../src/index.js";

const STEP_MS = 100;

describe("the demo's trading SDK", () => {
  it("turns unhealthy during the broker outage and healthy again after it", async () => {
    const clock = manualClock(Date.UTC(2025, 0, 6, 8, 0, 0));
    const sdk = new TradingSdk({ seed: 12, clock });
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    for (const component of sdk.components) registry.register(component);
    await sdk.start();
    const changes: VerdictChange[] = [];
    const watcher = watchHealth(registry, {
      intervalMs: 3_600_000, // checked by hand below, on the simulated clock
      recoverAfterMs: 1000,
      onChange: (change) => {
        if (change.component === null) changes.push(change);
      },
    });
    const verdicts: string[] = [];
    try {
      for (let elapsedMs = STEP_MS; elapsedMs <= 10_000; elapsedMs += STEP_MS) {
        await sdk.tick(STEP_MS);
        clock.advance(STEP_MS);
        const { health } = await registry.collect();
        if (verdicts.at(-1) !== health.verdict) verdicts.push(health.verdict);
        if (elapsedMs % 500 === 0) await watcher.check();
      }
    } finally {
      watcher.stop();
    }
    // Connecting (degraded), connected, the drop, reconnecting, connected again.
    expect(verdicts).toEqual(["degraded", "healthy", "unhealthy", "degraded", "healthy"]);
    const start = Date.UTC(2025, 0, 6, 8, 0, 0);
    expect(
      changes.map((c) => [c.previous, c.verdict, (c.at - start) / 1000, c.reasons[0]]),
    ).toEqual([
      [
        "healthy",
        "degraded",
        0,
        'broker_connection is degraded: status "connecting" (not in the status table)',
      ],
      ["degraded", "healthy", 1.5, undefined],
      ["healthy", "unhealthy", 5, 'broker_connection is unhealthy: status "disconnected"'],
      // Checks see it reconnecting (degraded) at 5.5 s and connected at 6 s: degraded or better for 1 s at 6.5 s.
      ["unhealthy", "degraded", 6.5, "recovering: healthy for 500 ms of the 1000 ms it must hold"],
      ["degraded", "healthy", 7, undefined],
    ]);
  });
});

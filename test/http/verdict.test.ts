import { describe, expect, it } from "vitest";
import { healthVerdict } from "../../src/http/verdict.js";
import type { RegistrySnapshot } from "../../src/index.js";

const snapshot = (healthy: boolean, timestamp = Date.UTC(2025, 0, 1)): RegistrySnapshot => ({
  timestamp,
  components: [
    { name: "feed", outcome: "ok", status: "connected", healthScore: 80, weight: 1 },
    {
      name: "broker",
      outcome: "timeout",
      status: "timeout",
      healthScore: 0,
      weight: 2,
      reason: "slow",
    },
  ],
  totals: { components: 2, failed: 1, errors: 0, operations: 0, memoryUsageMb: 0 },
  health: { score: 0, lowest: 0, weightedMean: 26.7, threshold: 70, healthy },
});

describe("healthVerdict", () => {
  it("reshapes the registry's verdict without deciding anything itself", () => {
    expect(healthVerdict(snapshot(false))).toEqual({
      status: "unhealthy",
      healthy: false,
      score: 0,
      lowest: 0,
      weightedMean: 26.7,
      threshold: 70,
      failed: 1,
      timestamp: "2025-01-01T00:00:00.000Z",
      components: [
        { name: "feed", outcome: "ok", status: "connected", healthScore: 80 },
        { name: "broker", outcome: "timeout", status: "timeout", healthScore: 0, reason: "slow" },
      ],
    });
    expect(healthVerdict(snapshot(true))).toMatchObject({ status: "healthy", healthy: true });
  });

  it("gives a null timestamp for a clock reading no Date can hold", () => {
    expect(healthVerdict(snapshot(true, 1e20)).timestamp).toBeNull();
  });
});

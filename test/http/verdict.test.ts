import { describe, expect, it } from "vitest";
import { healthVerdict } from "../../src/http/verdict.js";
import type { RegistrySnapshot, Verdict } from "../../src/index.js";

const RECENT = { windowMs: 60_000, calls: 100, errors: 1, errorRate: 0.01 };

const snapshot = (verdict: Verdict, timestamp = Date.UTC(2025, 0, 1)): RegistrySnapshot => ({
  timestamp,
  components: [
    {
      name: "feed",
      outcome: "ok",
      status: "connected",
      healthScore: 80,
      weight: 1,
      stats: {
        name: "feed",
        status: "connected",
        uptimeSeconds: 1,
        lastActivity: timestamp,
        errorCount: 1,
        memoryUsageMb: 0,
        healthScore: 80,
        counters: {},
        gauges: {},
        performanceMetrics: {},
        recent: RECENT,
      },
      verdict: "healthy",
      reasons: [],
    },
    {
      name: "broker",
      outcome: "timeout",
      status: "timeout",
      healthScore: 0,
      weight: 2,
      reason: "slow",
      verdict: "unhealthy",
      reasons: ["not collected (timeout): slow"],
    },
  ],
  totals: { components: 2, failed: 1, errors: 0, operations: 0, memoryUsageMb: 0 },
  health: {
    score: 0,
    lowest: 0,
    weightedMean: 26.7,
    threshold: 70,
    healthy: verdict !== "unhealthy",
    verdict,
    reasons: ["broker is unhealthy: not collected (timeout): slow"],
  },
});

describe("healthVerdict", () => {
  it("reshapes the registry's verdict, naming each component's verdict and reasons", () => {
    expect(healthVerdict(snapshot("unhealthy"))).toEqual({
      status: "unhealthy",
      healthy: false,
      reasons: ["broker is unhealthy: not collected (timeout): slow"],
      score: 0,
      lowest: 0,
      weightedMean: 26.7,
      threshold: 70,
      failed: 1,
      timestamp: "2025-01-01T00:00:00.000Z",
      components: [
        {
          name: "feed",
          verdict: "healthy",
          reasons: [],
          outcome: "ok",
          status: "connected",
          healthScore: 80,
          recent: RECENT,
        },
        {
          name: "broker",
          verdict: "unhealthy",
          reasons: ["not collected (timeout): slow"],
          outcome: "timeout",
          status: "timeout",
          healthScore: 0,
          reason: "slow",
        },
      ],
    });
  });

  it("is healthy exactly when the verdict is not unhealthy: degraded still serves", () => {
    for (const verdict of ["healthy", "degraded", "unhealthy"] as const) {
      const answer = healthVerdict(snapshot(verdict));
      expect(answer.status).toBe(verdict);
      expect(answer.healthy).toBe(verdict !== "unhealthy");
    }
  });

  it("copies what it reshapes: changing the answer leaves the snapshot alone", () => {
    const source = snapshot("degraded");
    const answer = healthVerdict(source);
    answer.reasons.push("x");
    answer.components[1]?.reasons.push("y");
    (answer.components[0]?.recent as { calls: number }).calls = 0;
    expect(source.health.reasons).toHaveLength(1);
    expect(source.components[1]?.reasons).toHaveLength(1);
    expect(source.components[0]?.stats?.recent?.calls).toBe(100);
  });

  it("gives a null timestamp for a clock reading no Date can hold", () => {
    expect(healthVerdict(snapshot("healthy", 1e20)).timestamp).toBeNull();
  });
});

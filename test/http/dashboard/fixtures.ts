/**
 * `/stats` bodies for the dashboard's tests: one as the registry served it before the
 * health verdict (captured from `exportJson`), one with the verdict fields of issue 10
 * (`health.verdict` and `reasons`, each component's `verdict`, `reasons` and
 * `stats.recent`). Functions, so every test gets its own copy.
 */
import type { ShownSnapshot } from "../../../src/http/dashboard/wire.js";

/** Two components, no verdict fields: as `exportJson` wrote it before issue 10. */
export function servedWithoutVerdicts(): ShownSnapshot {
  return {
    components: [
      {
        healthScore: 76,
        name: "broker",
        outcome: "ok",
        recentErrors: [
          {
            context: "broker.session",
            details: { attempt: 2 },
            error: "session closed",
            errorType: "Error",
            timestamp: 1714564800000,
          },
        ],
        stats: {
          counters: { orders: 100 },
          errorCount: 1,
          gauges: {},
          healthScore: 76,
          lastActivity: 1714564800000,
          memoryUsageMb: 0.0094,
          name: "broker",
          performanceMetrics: {
            send_order: {
              avgMs: 12.5,
              count: 1,
              maxMs: 12.5,
              minMs: 12.5,
              p50Ms: 12.5,
              p90Ms: 12.5,
              p95Ms: 12.5,
              p99Ms: 12.5,
            },
          },
          status: "connected",
          uptimeSeconds: 0,
        },
        status: "connected",
        weight: 1,
      },
      {
        healthScore: 54,
        name: "feed",
        outcome: "ok",
        recentErrors: [],
        stats: {
          counters: {},
          errorCount: 0,
          gauges: {},
          healthScore: 54,
          lastActivity: null,
          memoryUsageMb: 0.0078,
          name: "feed",
          performanceMetrics: {},
          status: "initializing",
          uptimeSeconds: 0,
        },
        status: "initializing",
        weight: 1,
      },
    ],
    health: { healthy: false, lowest: 54, score: 54, threshold: 70, weightedMean: 65 },
    timestamp: "2024-05-01T12:00:00.000Z",
    totals: { components: 2, errors: 1, failed: 0, memoryUsageMb: 0.0172, operations: 100 },
  };
}

/** The same components with verdicts: the broker fails most calls, the feed is starting. */
export function servedWithVerdicts(): ShownSnapshot {
  const snapshot = servedWithoutVerdicts();
  const [broker, feed] = snapshot.components;
  if (broker?.stats === undefined || feed?.stats === undefined) throw new Error("fixture");
  broker.verdict = "unhealthy";
  broker.reasons = ["30 of 40 calls failed in the last 60 s (at least 50%)"];
  broker.stats.recent = { windowMs: 60_000, calls: 40, errors: 30, errorRate: 0.75 };
  feed.verdict = "degraded";
  feed.reasons = ["status is initializing"];
  feed.stats.recent = { windowMs: 60_000, calls: 0, errors: 0, errorRate: 0 };
  snapshot.health.verdict = "unhealthy";
  snapshot.health.reasons = [
    "broker: 30 of 40 calls failed in the last 60 s (at least 50%)",
    "feed: status is initializing",
  ];
  return snapshot;
}

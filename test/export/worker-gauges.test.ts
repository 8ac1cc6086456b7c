import { describe, expect, it } from "vitest";
import { formatPrometheus } from "../../src/export/prometheus.js";
import type { RegistrySnapshot } from "../../src/registry/types.js";
import type { ComponentStats } from "../../src/types.js";
import { PROMTOOL, parseExposition, promtoolCheck } from "./exposition.js";

/** The exporters' side of per-worker gauges (a merged cluster view's `workerGauges`). */

function snapshotWith(stats: Partial<ComponentStats>): RegistrySnapshot {
  return {
    timestamp: 0,
    components: [
      {
        name: "http",
        outcome: "ok",
        status: "connected",
        healthScore: 100,
        weight: 1,
        verdict: "healthy",
        reasons: [],
        stats: {
          name: "http",
          status: "connected",
          uptimeSeconds: 1,
          lastActivity: null,
          errorCount: 0,
          memoryUsageMb: 0,
          healthScore: 100,
          counters: {},
          gauges: {},
          performanceMetrics: {},
          ...stats,
        },
      },
    ],
    totals: { components: 1, failed: 0, errors: 0, operations: 0, memoryUsageMb: 0 },
    health: {
      score: 100,
      lowest: 100,
      weightedMean: 100,
      threshold: 70,
      healthy: true,
      verdict: "healthy",
      reasons: [],
    },
  };
}

describe("workerGauges in the Prometheus text", () => {
  it("writes one series per worker in the gauge's family, labelled component and worker", () => {
    const text = formatPrometheus(
      snapshotWith({
        gauges: { queue: 6 },
        workerGauges: { connections: { "cluster-1": 3, "cluster-2": 5 } },
      }),
    );
    const families = parseExposition(text);
    const connections = families.find((f) => f.name === "component_stats_connections");
    expect(connections?.type).toBe("gauge");
    expect(connections?.samples).toEqual([
      {
        name: "component_stats_connections",
        labels: { component: "http", worker: "cluster-1" },
        value: 3,
      },
      {
        name: "component_stats_connections",
        labels: { component: "http", worker: "cluster-2" },
        value: 5,
      },
    ]);
    expect(text).toContain('component_stats_queue{component="http"} 6\n');
  });

  it("shares one family with the same gauge kept whole by another component", () => {
    const snapshot = snapshotWith({ workerGauges: { connections: { primary: 1 } } });
    const [first] = snapshot.components;
    snapshot.components.push({
      ...(first as NonNullable<typeof first>),
      name: "db",
      stats: { ...(first?.stats as ComponentStats), name: "db", gauges: { connections: 7 } },
    });
    const text = formatPrometheus(snapshot);
    expect(text.match(/# TYPE component_stats_connections gauge/g)).toHaveLength(1);
    expect(text).toContain('component_stats_connections{component="http",worker="primary"} 1\n');
    expect(text).toContain('component_stats_connections{component="db"} 7\n');
    if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });
});

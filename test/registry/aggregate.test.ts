import { describe, expect, it } from "vitest";
import { DEFAULT_VERDICT_RULES, resolveVerdictRules } from "../../src/compute/verdict.js";
import type { ComponentStats } from "../../src/index.js";
import {
  aggregateReports,
  type CollectedReport,
  summarizeReports,
} from "../../src/registry/aggregate.js";
import type { ComponentReport } from "../../src/registry/types.js";

function stats(overrides: Partial<ComponentStats> = {}): ComponentStats {
  return {
    name: "x",
    status: "connected",
    uptimeSeconds: 1,
    lastActivity: null,
    errorCount: 0,
    memoryUsageMb: 0.1,
    healthScore: 90,
    counters: {},
    gauges: {},
    performanceMetrics: {},
    ...overrides,
  };
}

const ok = (name: string, healthScore: number, s: Partial<ComponentStats> = {}, weight = 1) =>
  ({
    name,
    outcome: "ok",
    status: s.status ?? "connected",
    healthScore,
    weight,
    stats: stats({ name, healthScore, ...s }),
  }) satisfies CollectedReport;

describe("aggregateReports", () => {
  it("sums the collected components and counts the failed ones", () => {
    const { totals } = aggregateReports(
      [
        ok("a", 90, { errorCount: 2, counters: { x: 3, y: 4 }, memoryUsageMb: 0.1 }),
        ok("b", 80, { errorCount: 1, counters: { x: 1 }, memoryUsageMb: 0.2 }),
        { name: "c", outcome: "timeout", status: "timeout", healthScore: 0, weight: 1 },
      ],
      70,
      DEFAULT_VERDICT_RULES,
    );
    expect(totals).toEqual({
      components: 3,
      failed: 1,
      errors: 3,
      operations: 8,
      memoryUsageMb: 0.3,
    });
  });

  it("reports the lowest and weighted mean score beside the verdict, which they do not decide", () => {
    const { health } = aggregateReports(
      [ok("a", 90, {}, 3), ok("b", 10, {}, 1)],
      70,
      DEFAULT_VERDICT_RULES,
    );
    expect(health).toEqual({
      score: 10,
      lowest: 10,
      weightedMean: 70,
      threshold: 70,
      healthy: true,
      verdict: "healthy",
      reasons: [],
    });
  });

  it("keeps every total and the weighted mean finite for the largest figures accepted", () => {
    const max = Number.MAX_VALUE;
    const { totals, health } = aggregateReports(
      [
        ok("a", 90, { errorCount: max, counters: { x: max, y: max }, memoryUsageMb: max }, max),
        ok("b", 30, { errorCount: max, counters: { x: max }, memoryUsageMb: 1e305 }, max),
      ],
      70,
      DEFAULT_VERDICT_RULES,
    );
    expect(totals).toEqual({
      components: 2,
      failed: 0,
      errors: max,
      operations: max,
      memoryUsageMb: max,
    });
    // Equal weights, however large: the plain mean of 90 and 30.
    expect(health.weightedMean).toBe(60);
    const uneven = aggregateReports(
      [ok("a", 90, {}, max), ok("b", 30, {}, max / 2)],
      70,
      DEFAULT_VERDICT_RULES,
    );
    expect(uneven.health.weightedMean).toBe(70);
  });

  it("judges every component by the rules and the registry by its worst", () => {
    const recent = { windowMs: 60_000, calls: 100, errors: 7, errorRate: 0.07 };
    const { components, health } = aggregateReports(
      [ok("a", 90, { recent }), ok("b", 90, { status: "error" }), ok("c", 90)],
      70,
      DEFAULT_VERDICT_RULES,
    );
    expect(components.map((c) => [c.name, c.verdict, c.reasons])).toEqual([
      ["a", "degraded", ["7 of 100 calls failed in the last 60 s (7%)"]],
      ["b", "unhealthy", ['status "error"']],
      ["c", "healthy", []],
    ]);
    expect(health).toMatchObject({
      verdict: "unhealthy",
      healthy: false,
      reasons: [
        "a is degraded: 7 of 100 calls failed in the last 60 s (7%)",
        'b is unhealthy: status "error"',
      ],
    });
  });

  it("uses the rules it is given", () => {
    const rules = resolveVerdictRules({ nonCritical: ["b"], minScore: 95 });
    const { health } = aggregateReports([ok("a", 96), ok("b", 90, { status: "error" })], 95, rules);
    expect(health).toMatchObject({ verdict: "degraded", healthy: true, threshold: 95 });
  });

  it("is healthy with 100 when there are no components", () => {
    expect(aggregateReports([], 70, DEFAULT_VERDICT_RULES).health).toEqual({
      score: 100,
      lowest: 100,
      weightedMean: 100,
      threshold: 70,
      healthy: true,
      verdict: "healthy",
      reasons: [],
    });
  });

  it("leaves its input alone and gives the same answer every time", () => {
    const reports = [ok("a", 90), ok("b", 50, { status: "initializing" })];
    const before = structuredClone(reports);
    const first = aggregateReports(reports, 70, DEFAULT_VERDICT_RULES);
    expect(reports).toEqual(before);
    expect(aggregateReports(reports, 70, DEFAULT_VERDICT_RULES)).toEqual(first);
  });
});

describe("summarizeReports", () => {
  it("sums judged reports and takes their verdicts as they are", () => {
    // Status "error" would judge unhealthy; the report's own verdict is what counts.
    const judged = [
      { ...ok("a", 90, { status: "error", counters: { x: 2 } }), verdict: "healthy", reasons: [] },
      { ...ok("b", 40), verdict: "degraded", reasons: ["slow"] },
    ] satisfies ComponentReport[];
    const { totals, health } = summarizeReports(judged, 70, DEFAULT_VERDICT_RULES);
    expect(totals).toEqual({
      components: 2,
      failed: 0,
      errors: 0,
      operations: 2,
      memoryUsageMb: 0.2,
    });
    expect(health).toEqual({
      score: 40,
      lowest: 40,
      weightedMean: 65,
      threshold: 70,
      healthy: true,
      verdict: "degraded",
      reasons: ["b is degraded: slow"],
    });
  });

  it("gives what aggregateReports gives for the reports aggregateReports judged", () => {
    const reports = [ok("a", 90), ok("b", 50, { status: "disconnected" })];
    const rules = resolveVerdictRules({ nonCritical: ["b"] });
    const { components, ...rest } = aggregateReports(reports, 70, rules);
    expect(summarizeReports(components, 70, rules)).toEqual(rest);
  });
});

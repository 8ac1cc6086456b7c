import { describe, expect, it } from "vitest";
import {
  type MergeOptions,
  mergeAnswers,
  type WorkerAnswer,
} from "../../src/cluster/merge-snapshots.js";
import { DEFAULT_VERDICT_RULES, resolveVerdictRules } from "../../src/compute/verdict.js";
import type { ComponentReport, RegistrySnapshot } from "../../src/registry/types.js";
import type { ComponentStats } from "../../src/types.js";

function stats(name: string, requests: number): ComponentStats {
  return {
    name,
    status: "connected",
    uptimeSeconds: 1,
    lastActivity: null,
    errorCount: 0,
    memoryUsageMb: 0,
    healthScore: 95,
    counters: { requests },
    gauges: {},
    performanceMetrics: {},
  };
}

function okAnswer(worker: string, reports: ComponentReport[]): WorkerAnswer {
  const snapshot = { timestamp: 0, components: reports } as unknown as RegistrySnapshot;
  return {
    info: { worker, kind: "cluster" },
    outcome: "ok",
    durationMs: 3,
    reply: { snapshot, windows: new Map() },
  };
}

const report = (name: string, requests: number): ComponentReport => ({
  name,
  outcome: "ok",
  status: "connected",
  healthScore: 95,
  weight: 1,
  stats: stats(name, requests),
  verdict: "healthy",
  reasons: [],
});

const OPTIONS: MergeOptions = {
  timestamp: 42,
  healthyThreshold: 70,
  verdictRules: DEFAULT_VERDICT_RULES,
  gaugeRule: () => "sum",
};

describe("mergeAnswers", () => {
  it("merges components by name in the order first met, with totals and health over them", () => {
    const merged = mergeAnswers(
      [
        okAnswer("cluster-1", [report("api", 1), report("db", 2)]),
        okAnswer("cluster-2", [report("cache", 4), report("api", 8)]),
      ],
      [],
      new Map(),
      OPTIONS,
    );
    expect(merged.timestamp).toBe(42);
    expect(merged.components.map((c) => [c.name, c.stats?.counters.requests])).toEqual([
      ["api", 9],
      ["db", 2],
      ["cache", 4],
    ]);
    expect(merged.totals).toEqual({
      components: 3,
      failed: 0,
      errors: 0,
      operations: 15,
      memoryUsageMb: 0,
    });
    expect(merged.health).toMatchObject({ score: 95, healthy: true, threshold: 70 });
    expect(merged.workers).toEqual([
      { worker: "cluster-1", kind: "cluster", outcome: "ok", durationMs: 3, components: 2 },
      { worker: "cluster-2", kind: "cluster", outcome: "ok", durationMs: 3, components: 2 },
    ]);
  });

  it("adds a failed worker:<key> component for a timeout or an error, none for an exit", () => {
    const merged = mergeAnswers(
      [
        okAnswer("cluster-1", [report("worker:cluster-2", 1)]),
        { info: { worker: "cluster-2", kind: "cluster" }, outcome: "timeout", reason: "slow" },
        {
          info: { worker: "thread-1", kind: "thread", threadId: 1 },
          outcome: "error",
          reason: "bad",
        },
        {
          info: { worker: "cluster-3", kind: "cluster" },
          outcome: "exited",
          reason: "killed by SIGKILL",
        },
      ],
      [{ worker: "cluster-0", kind: "cluster", outcome: "exited", reason: "exited with code 0" }],
      new Map(),
      OPTIONS,
    );
    expect(
      merged.components.map((c) => [c.name, c.outcome, c.status, c.healthScore, c.reason]),
    ).toEqual([
      ["worker:cluster-2", "ok", "connected", 95, undefined],
      // A component already has the name: the failure report takes the next free one.
      ["worker:cluster-2#2", "timeout", "timeout", 0, "slow"],
      ["worker:thread-1", "error", "error", 0, "bad"],
    ]);
    expect(merged.totals.failed).toBe(2);
    expect(merged.health.healthy).toBe(false);
    expect(merged.workers.map((w) => [w.worker, w.outcome])).toEqual([
      ["cluster-1", "ok"],
      ["cluster-2", "timeout"],
      ["thread-1", "error"],
      ["cluster-3", "exited"],
      ["cluster-0", "exited"],
    ]);
  });

  it("judges a failed worker unhealthy, keeps the workers' verdicts, and softens the view for nonCritical names", () => {
    // By the default rules an unknown status is degraded; the worker's own rules said
    // healthy, and the merged view does not judge again.
    const custom = { ...report("api", 1), status: "warming" };
    const answers: WorkerAnswer[] = [
      okAnswer("cluster-1", [custom, report("db", 1)]),
      okAnswer("cluster-2", [
        { ...report("db", 1), verdict: "unhealthy", reasons: ["health score 20 is below 50"] },
      ]),
      { info: { worker: "cluster-3", kind: "cluster" }, outcome: "timeout", reason: "slow" },
    ];
    const merged = mergeAnswers(answers, [], new Map(), OPTIONS);
    expect(merged.components.map((c) => [c.name, c.verdict, c.reasons])).toEqual([
      ["api", "healthy", []],
      ["db", "unhealthy", ["cluster-2: health score 20 is below 50"]],
      ["worker:cluster-3", "unhealthy", ["not collected (timeout): slow"]],
    ]);
    expect(merged.health).toMatchObject({
      verdict: "unhealthy",
      healthy: false,
      reasons: [
        "db is unhealthy: cluster-2: health score 20 is below 50",
        "worker:cluster-3 is unhealthy: not collected (timeout): slow",
      ],
    });
    const softened = mergeAnswers(answers, [], new Map(), {
      ...OPTIONS,
      verdictRules: resolveVerdictRules({ nonCritical: ["db", "worker:cluster-3"] }),
    });
    expect(softened.health).toMatchObject({ verdict: "degraded", healthy: true });
    expect(softened.components.map((c) => c.verdict)).toEqual([
      "healthy",
      "unhealthy",
      "unhealthy",
    ]);
  });

  it("adds carried lifetime figures to the components a worker reports now", () => {
    const merged = mergeAnswers(
      [okAnswer("cluster-1", [report("api", 1)])],
      [],
      new Map([
        ["api", [{ owner: "retired", value: stats("api", 100) }]],
        ["gone", [{ owner: "retired", value: stats("gone", 5) }]],
      ]),
      OPTIONS,
    );
    expect(merged.components.map((c) => [c.name, c.stats?.counters.requests])).toEqual([
      ["api", 101],
    ]);
  });

  it("is an empty, healthy view with no workers", () => {
    const merged = mergeAnswers([], [], new Map(), OPTIONS);
    expect(merged).toMatchObject({
      components: [],
      workers: [],
      health: { score: 100, healthy: true },
    });
  });
});

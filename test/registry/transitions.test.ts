import { describe, expect, it } from "vitest";
import type { RegistrySnapshot, Verdict } from "../../src/index.js";
import { type VerdictChange, VerdictTransitions } from "../../src/registry/transitions.js";

const START = 1_700_000_000_000;

/** A judged snapshot at `atMs` with the given component verdicts; the registry takes the worst. */
function snapshot(atMs: number, verdicts: Record<string, Verdict>): RegistrySnapshot {
  const order: Verdict[] = ["healthy", "degraded", "unhealthy"];
  const names = Object.keys(verdicts);
  let worst: Verdict = "healthy";
  for (const name of names) {
    const verdict = verdicts[name] as Verdict;
    if (order.indexOf(verdict) > order.indexOf(worst)) worst = verdict;
  }
  return {
    timestamp: atMs,
    components: names.map((name) => ({
      name,
      outcome: "ok",
      status: "connected",
      healthScore: 80,
      weight: 1,
      verdict: verdicts[name] as Verdict,
      reasons: verdicts[name] === "healthy" ? [] : [`${name} says ${verdicts[name]}`],
    })),
    totals: { components: names.length, failed: 0, errors: 0, operations: 0, memoryUsageMb: 0 },
    health: {
      score: 80,
      lowest: 80,
      weightedMean: 80,
      threshold: 70,
      healthy: worst !== "unhealthy",
      verdict: worst,
      reasons: worst === "healthy" ? [] : ["worst"],
    },
  };
}

const brief = (changes: VerdictChange[]) =>
  changes.map((c) => `${c.component ?? "registry"} ${c.previous}->${c.verdict}`);

describe("VerdictTransitions", () => {
  it("reports a worse verdict at once, and a recovery once it held for recoverAfterMs", () => {
    const transitions = new VerdictTransitions(30_000);
    expect(transitions.observe(snapshot(START, { db: "healthy" }))).toEqual([]);
    const down = transitions.observe(snapshot(START + 10_000, { db: "unhealthy" }));
    expect(down).toEqual([
      {
        component: "db",
        previous: "healthy",
        verdict: "unhealthy",
        reasons: ["db says unhealthy"],
        at: START + 10_000,
      },
      {
        component: null,
        previous: "healthy",
        verdict: "unhealthy",
        reasons: ["worst"],
        at: START + 10_000,
      },
    ]);
    expect(transitions.observe(snapshot(START + 20_000, { db: "unhealthy" }))).toEqual([]);
    // Healthy again at +30 s: not yet reported at +59.999 s, reported at +60 s.
    expect(transitions.observe(snapshot(START + 30_000, { db: "healthy" }))).toEqual([]);
    expect(transitions.observe(snapshot(START + 59_999, { db: "healthy" }))).toEqual([]);
    expect(transitions.reported).toEqual({
      registry: "unhealthy",
      components: { db: "unhealthy" },
    });
    const up = transitions.observe(snapshot(START + 60_000, { db: "healthy" }));
    expect(brief(up)).toEqual(["db unhealthy->healthy", "registry unhealthy->healthy"]);
    expect(up[0]?.reasons).toEqual([]);
    expect(transitions.observe(snapshot(START + 90_000, { db: "healthy" }))).toEqual([]);
  });

  it("does not page again and again for a flapping signal", () => {
    const transitions = new VerdictTransitions(30_000);
    const changes: VerdictChange[] = [];
    // Flaps every 10 s for 5 minutes: down, up, down, up, …
    for (let t = 0; t <= 300_000; t += 10_000) {
      const verdict = (t / 10_000) % 2 === 0 ? "unhealthy" : "healthy";
      changes.push(...transitions.observe(snapshot(START + t, { feed: verdict })));
    }
    expect(brief(changes)).toEqual(["feed healthy->unhealthy", "registry healthy->unhealthy"]);
    // It settles: reported healthy once healthy for 30 s, once.
    for (let t = 310_000; t <= 400_000; t += 10_000) {
      changes.push(...transitions.observe(snapshot(START + t, { feed: "healthy" })));
    }
    expect(brief(changes).slice(2)).toEqual([
      "feed unhealthy->healthy",
      "registry unhealthy->healthy",
    ]);
    expect(changes.at(-1)?.at).toBe(START + 340_000);
  });

  it("steps down through degraded when that is what held, saying how far the recovery got", () => {
    const transitions = new VerdictTransitions(20_000);
    transitions.observe(snapshot(START, { api: "unhealthy" }));
    expect(transitions.observe(snapshot(START + 10_000, { api: "degraded" }))).toEqual([]);
    expect(brief(transitions.observe(snapshot(START + 20_000, { api: "healthy" })))).toEqual([]);
    const partial = transitions.observe(snapshot(START + 30_000, { api: "healthy" }));
    expect(brief(partial)).toEqual(["api unhealthy->degraded", "registry unhealthy->degraded"]);
    expect(partial[0]?.reasons).toEqual([
      "recovering: healthy for 10000 ms of the 20000 ms it must hold",
    ]);
    expect(brief(transitions.observe(snapshot(START + 40_000, { api: "healthy" })))).toEqual([
      "api degraded->healthy",
      "registry degraded->healthy",
    ]);
  });

  it("escalates from degraded to unhealthy at once, and reports a first verdict that is not healthy", () => {
    const transitions = new VerdictTransitions(60_000);
    expect(brief(transitions.observe(snapshot(START, { a: "degraded", b: "healthy" })))).toEqual([
      "a healthy->degraded",
      "registry healthy->degraded",
    ]);
    expect(
      brief(transitions.observe(snapshot(START + 1, { a: "unhealthy", b: "healthy" }))),
    ).toEqual(["a degraded->unhealthy", "registry degraded->unhealthy"]);
  });

  it("reports every recovery at once with recoverAfterMs 0", () => {
    const transitions = new VerdictTransitions(0);
    transitions.observe(snapshot(START, { a: "unhealthy" }));
    expect(brief(transitions.observe(snapshot(START, { a: "healthy" })))).toEqual([
      "a unhealthy->healthy",
      "registry unhealthy->healthy",
    ]);
  });

  it("forgets a component that is no longer registered, and starts a new one as healthy", () => {
    const transitions = new VerdictTransitions(30_000);
    transitions.observe(snapshot(START, { a: "unhealthy", b: "healthy" }));
    expect(transitions.observe(snapshot(START + 1000, { b: "healthy" }))).toEqual([]);
    expect(transitions.reported.components).toEqual({ b: "healthy" });
    expect(
      brief(transitions.observe(snapshot(START + 2000, { a: "healthy", b: "healthy" }))),
    ).toEqual([]);
  });

  it("does not count time backwards as recovery", () => {
    const transitions = new VerdictTransitions(30_000);
    transitions.observe(snapshot(START, { a: "unhealthy" }));
    transitions.observe(snapshot(START + 10_000, { a: "healthy" }));
    expect(transitions.observe(snapshot(START - 3_600_000, { a: "healthy" }))).toEqual([]);
    expect(transitions.reported.components.a).toBe("unhealthy");
  });
});

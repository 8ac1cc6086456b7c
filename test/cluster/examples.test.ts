import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import type { ClusterSnapshot } from "../../src/cluster/types.js";
import { PROMTOOL, promtoolCheck } from "../export/exposition.js";

/** The README's "Many processes" examples run as written and print what it says. */

function run(file: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["--import", "tsx", file], {
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  expect(result.stderr).toBe("");
  expect(result.status).toBe(0);
  return result.stdout;
}

describe("examples/cluster.ts", () => {
  it("prints one merged /metrics for both workers, valid for promtool", () => {
    const text = run("examples/cluster.ts", { PORT: "0", STATS_PORT: "0" });
    expect(text).toContain('component_stats_requests_total{component="http"} 40\n');
    // The histogram merged over both workers: its buckets and count cover all 40 requests.
    const series = '{component="http",operation="handle_request"';
    expect(text).toContain(`component_stats_operation_duration_seconds_count${series}} 40\n`);
    expect(text).toContain(
      `component_stats_operation_duration_seconds_bucket${series},le="+Inf"} 40\n`,
    );
    expect(text).toMatch(/component_stats_operation_duration_seconds_sum\{[^}]*\} [0-9.e-]+\n/);
    expect(
      text.match(/component_stats_open_connections\{component="http",worker="cluster-\d+"\} 0\n/g),
    ).toHaveLength(2);
    expect(text).toContain('component_stats_status{component="http",status="active"} 1\n');
    if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });
});

describe("examples/worker-threads.ts", () => {
  it("merges both threads and the main thread into one exact view", () => {
    const [summary, ...json] = run("examples/worker-threads.ts").split("\n");
    const snapshot = JSON.parse(json.join("\n")) as ClusterSnapshot;
    expect(snapshot.workers.map((w) => [w.kind, w.outcome])).toEqual([
      ["primary", "ok"],
      ["thread", "ok"],
      ["thread", "ok"],
    ]);
    const resizer = snapshot.components.find((c) => c.name === "resizer")?.stats;
    expect(resizer?.counters.jobs).toBe(60);
    expect(resizer?.performanceMetrics.resize?.count).toBe(60);
    expect(resizer?.status).toBe("active");
    const dispatch = snapshot.components.find((c) => c.name === "dispatch")?.stats;
    expect(dispatch?.performanceMetrics.round_trip?.count).toBe(60);
    const p99 = resizer?.performanceMetrics.resize?.p99Ms.toFixed(3);
    expect(summary).toMatch(
      new RegExp(`^resize: 60 jobs over 3 workers, p50 [0-9.]+ ms, p99 ${p99} ms$`),
    );
  });
});

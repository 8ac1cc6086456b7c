import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PROMTOOL, parseExposition, promtoolCheck } from "./exposition.js";

describe("examples/registry-prometheus.ts", () => {
  it("prints the Prometheus text of three components, which promtool accepts", () => {
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "examples/registry-prometheus.ts"],
      {
        encoding: "utf8",
        timeout: 20_000,
      },
    );
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    const health = parseExposition(run.stdout).find(
      (family) => family.name === "component_stats_health_score",
    );
    expect(health?.samples.map((sample) => sample.labels.component)).toEqual([
      "order_manager",
      "market_data_feed",
      "position_tracker",
    ]);
    if (PROMTOOL !== undefined)
      expect(promtoolCheck(run.stdout)).toEqual({ status: 0, output: "" });
  });
});

import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROMETHEUS_CONTENT_TYPE, type RegistrySnapshot } from "../../src/index.js";
import { spawnLogged, stopProcess, waitFor } from "./support.js";

const ROOT = join(import.meta.dirname, "../..");
const COMPONENTS = [
  "order_manager",
  "market_data",
  "position_tracker",
  "broker_connection",
  "runtime",
];

describe("npm run demo", () => {
  let demo: { child: ChildProcess; output: () => string } | undefined;

  afterAll(async () => {
    await stopProcess(demo?.child);
  });

  it("serves all four endpoints, then stops by itself, prints the final snapshots and exits 0", async () => {
    // Port 0: the demo prints the port the kernel picked. The broker session drops 1.5 s in.
    demo = spawnLogged(
      "npm",
      ["run", "--silent", "demo", "--", "--duration", "6", "--port", "0", "--outage-at", "1.5"],
      { cwd: ROOT },
    );
    const { child, output } = demo;
    const exited = new Promise<number | null>((resolve) =>
      child.once("exit", (code) => resolve(code)),
    );
    const origin = await waitFor(
      "the demo to print its URLs",
      async () => /dashboard {2}(http:\/\/127\.0\.0\.1:\d+)\//.exec(output())?.[1],
      { timeoutMs: 15_000, intervalMs: 100 },
    );

    const metrics = await fetch(`${origin}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(await metrics.text()).toContain(
      'component_stats_health_score{component="broker_connection"}',
    );

    const stats = (await (await fetch(`${origin}/stats`)).json()) as RegistrySnapshot;
    expect(stats.components.map((c) => c.name)).toEqual(COMPONENTS);

    const health = await fetch(`${origin}/health`);
    expect([200, 503]).toContain(health.status);
    const verdict = (await health.json()) as {
      healthy: boolean;
      components: { name: string; verdict: string }[];
    };
    expect(health.status).toBe(verdict.healthy ? 200 : 503);
    expect(verdict.components.map((c) => c.name)).toEqual(COMPONENTS);

    const dashboard = await fetch(`${origin}/`);
    expect(dashboard.status).toBe(200);
    expect(await dashboard.text()).toContain("<title>Trading SDK (simulated)</title>");

    const code = await Promise.race([
      exited,
      new Promise<string>((resolve) => setTimeout(() => resolve("still running"), 15_000)),
    ]);
    const text = output();
    expect(code, text).toBe(0);
    expect(text).toMatch(/\[ {2}1s\] health/);
    expect(text).toContain("Stopping (6 s elapsed).");
    expect(text).toMatch(/Final statistics after \d+ s:/);
    for (const name of COMPONENTS)
      expect(text).toMatch(new RegExp(`^${name} {2}status \\w+ {2}health [\\d.]+`, "m"));
    expect(text).toMatch(/^registry {2}health [\d.]+ \(lowest component\)/m);
    // The broker outage turns the verdict unhealthy, and it recovers after (told once each).
    const outage = text.search(
      /verdict registry \w+ -> unhealthy {2}\(.*broker_connection is unhealthy: status "disconnected"/,
    );
    expect(outage, text).toBeGreaterThan(0);
    expect(text.slice(outage)).toMatch(/verdict registry unhealthy -> (degraded|healthy)/);
    expect(text).toMatch(/^runtime {2}status (active|lagging) {2}health/m);
    // The server is closed: nothing answers on the port any more.
    await expect(fetch(`${origin}/health`)).rejects.toThrow();
  }, 30_000);
});

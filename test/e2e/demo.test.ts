import type { ChildProcess } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROMETHEUS_CONTENT_TYPE, type RegistrySnapshot } from "../../src/index.js";
import { PROMTOOL, parseExposition, promtoolCheck } from "../export/exposition.js";
import { spawnLogged, stopProcess, titleOrSkip, waitFor } from "./support.js";

const ROOT = join(import.meta.dirname, "../..");
const COMPONENTS = [
  "order_manager",
  "market_data",
  "position_tracker",
  "broker_connection",
  "runtime",
];

/**
 * The demo's /metrics, as Prometheus would scrape it: the strict reader accepts it and
 * `promtool check metrics` says nothing (no lint finding either, such as an
 * abbreviated unit). Without promtool only the strict reader runs.
 */
async function checkMetrics(origin: string): Promise<string> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  expect(() => parseExposition(text)).not.toThrow();
  if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  return text;
}

const PROMTOOL_NOTE = titleOrSkip(
  "its /metrics passes promtool",
  PROMTOOL,
  "promtool is not installed: the demo's /metrics is read by the strict reader only (Debian: apt-get install prometheus)",
);

describe("npm run demo", () => {
  let demo: { child: ChildProcess; output: () => string } | undefined;

  afterAll(async () => {
    await stopProcess(demo?.child);
  });

  it(`serves all four endpoints (${PROMTOOL_NOTE}), then stops by itself, prints the final snapshots and exits 0`, async () => {
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
    const firstScrape = await metrics.text();
    expect(firstScrape).toContain('component_stats_health_score{component="broker_connection"}');
    await checkMetrics(origin);

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

    // After the broker's outage every family the demo writes is there: check them all.
    await waitFor(
      "the broker outage",
      async () => (/-> unhealthy/.test(output()) ? true : undefined),
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    const duringOutage = await checkMetrics(origin);
    expect(duringOutage).toContain(
      'component_stats_heartbeat_rtt_seconds{component="broker_connection"}',
    );
    expect(duringOutage).toContain(
      'component_stats_reconnect_attempts{component="broker_connection"}',
    );

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

import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TradingSdk } from "../../examples/trading-sdk/trading-sdk.js";
import {
  createStatsHandler,
  formatPrometheus,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";
import { type Served, serve } from "../http/serve.js";
import {
  freePort,
  PROMETHEUS_BIN,
  PROMETHEUS_PATH,
  spawnLogged,
  stopProcess,
  titleOrSkip,
  waitFor,
} from "./support.js";

const JOB = "component_stats_e2e";

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe(
  titleOrSkip(
    "a real Prometheus server scraping /metrics",
    PROMETHEUS_BIN,
    `no executable Prometheus at ${PROMETHEUS_PATH} (set $PROMETHEUS_BIN to another path); \`apt-get install prometheus\` or run .ci/run`,
  ),
  () => {
    let served: Served | undefined;
    let prometheus: { child: ChildProcess; output: () => string } | undefined;
    let workDir: string | undefined;
    let api = "";
    let scrapes = 0;
    let snapshot: RegistrySnapshot;

    beforeAll(async () => {
      if (PROMETHEUS_BIN === undefined) return;
      // The simulated SDK on a manual clock: after a minute of simulated trading the
      // clock stands still, so every scrape and the registry agree to the last bit.
      const clock = manualClock(Date.now());
      const sdk = new TradingSdk({ clock });
      const registry = new StatisticsRegistry({ clock });
      for (const component of sdk.components) registry.register(component);
      await sdk.start();
      for (let t = 0; t < 60_000; t += 100) {
        clock.advance(100);
        await sdk.tick(100);
      }
      snapshot = await registry.collect();

      const handler = createStatsHandler(registry);
      served = await serve((req, res) => {
        if (req.url === "/metrics") scrapes++;
        handler(req, res);
      });

      workDir = mkdtempSync(join(tmpdir(), "component-stats-prometheus-"));
      const config = join(workDir, "prometheus.yml");
      writeFileSync(
        config,
        [
          "global:",
          "  scrape_interval: 1s",
          "  evaluation_interval: 1s",
          "scrape_configs:",
          `  - job_name: ${JOB}`,
          "    scrape_interval: 1s",
          "    scrape_timeout: 900ms",
          "    metrics_path: /metrics",
          "    static_configs:",
          `      - targets: ["127.0.0.1:${served.port}"]`,
          "",
        ].join("\n"),
      );
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      prometheus = spawnLogged(PROMETHEUS_BIN, [
        `--config.file=${config}`,
        `--storage.tsdb.path=${join(workDir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ]);
      const started = prometheus;
      await waitFor(
        "Prometheus to be ready",
        async () => {
          if (started.child.exitCode !== null) {
            throw new Error(
              `prometheus exited with ${started.child.exitCode}:\n${started.output()}`,
            );
          }
          return (await fetch(`${api}/-/ready`)).ok ? true : undefined;
        },
        { timeoutMs: 20_000 },
      );
    }, 40_000);

    afterAll(async () => {
      await stopProcess(prometheus?.child);
      await served?.close();
      if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
    });

    /** The value of one series in the exposition of the snapshot, as the handler served it. */
    function exposed(series: string): number {
      const line = formatPrometheus(snapshot)
        .split("\n")
        .find((text) => text.startsWith(`${series} `));
      expect(line, series).toBeDefined();
      return Number(line?.slice(series.length + 1));
    }

    async function query(promql: string): Promise<QueryResult[]> {
      const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data: { result: QueryResult[] };
      };
      if (body.status !== "success") throw new Error(`${promql}: ${body.error}`);
      return body.data.result;
    }

    async function single(promql: string): Promise<number> {
      const result = await query(promql);
      expect(result, promql).toHaveLength(1);
      return Number(result[0]?.value[1]);
    }

    it.skipIf(PROMETHEUS_BIN === undefined)(
      "stores what the registry reports: a counter, a summary quantile and a health gauge",
      async () => {
        // Two scrapes, both successful, as Prometheus itself counts them.
        const samples = await waitFor(
          "two scrapes",
          async () => {
            const result = await query(`count_over_time(up{job="${JOB}"}[1m])`);
            const count = Number(result[0]?.value[1] ?? 0);
            return count >= 2 ? count : undefined;
          },
          { timeoutMs: 15_000, intervalMs: 250 },
        );
        expect(samples).toBeGreaterThanOrEqual(2);
        expect(scrapes).toBeGreaterThanOrEqual(2);
        expect(await single(`min_over_time(up{job="${JOB}"}[1m])`)).toBe(1);
        const targets = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
          data: { activeTargets: { health: string; lastError: string }[] };
        };
        expect(targets.data.activeTargets).toEqual([
          expect.objectContaining({ health: "up", lastError: "" }),
        ]);

        const orders = snapshot.components.find((c) => c.name === "order_manager")?.stats;
        const broker = snapshot.components.find((c) => c.name === "broker_connection");
        expect(orders).toBeDefined();
        expect(broker).toBeDefined();
        if (orders === undefined || broker === undefined) return;

        const submitted = await single(
          'component_stats_orders_submitted_total{component="order_manager"}',
        );
        const quantileSeries =
          'component_stats_place_order_duration_seconds{component="order_manager",quantile="0.99"}';
        const p99Seconds = await single(quantileSeries);
        const count = await single(
          'component_stats_place_order_duration_seconds_count{component="order_manager"}',
        );
        const health = await single('component_stats_health_score{component="broker_connection"}');
        const connected = await single(
          'component_stats_status{component="broker_connection",status="connected"}',
        );
        const place = orders.performanceMetrics.place_order;
        console.info(
          `[e2e] Prometheus vs registry: orders_submitted_total ${submitted} vs ${orders.counters.orders_submitted}; ` +
            `place_order p99 ${p99Seconds} s vs ${place?.p99Ms} ms; place_order count ${count} vs ${place?.count}; ` +
            `broker_connection health ${health} vs ${broker.healthScore}; status connected ${connected} (status "${broker.status}")`,
        );
        expect(submitted).toBe(orders.counters.orders_submitted);
        // Prometheus stores exactly what the exposition said; that is the registry's
        // p99 in seconds up to the exporter's rounding to 15 significant digits.
        expect(p99Seconds).toBe(exposed(quantileSeries));
        expect(Math.abs(p99Seconds * 1000 - (place?.p99Ms ?? 0))).toBeLessThanOrEqual(
          (place?.p99Ms ?? 0) * 1e-12,
        );
        expect(count).toBe(place?.count);
        expect(health).toBe(broker.healthScore);
        expect(connected).toBe(broker.status === "connected" ? 1 : 0);
      },
      30_000,
    );
  },
);

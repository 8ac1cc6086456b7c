import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TradingSdk } from "../../examples/trading-sdk/trading-sdk.js";
import { percentileSorted } from "../../src/compute/percentile.js";
import {
  BaseStatisticsTracker,
  createStatsHandler,
  DEFAULT_TIMING_BUCKETS_MS,
  formatPrometheus,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";
import { PROMTOOL, parseExposition, promtoolCheck } from "../export/exposition.js";
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
const FLEET_JOB = "component_stats_fleet";

/**
 * Three instances of one service: per instance, the latencies of the first phase
 * (fast, with a slow tail of 1.5–3 %) and of the second (a latency shift: fewer,
 * much slower calls). Each instance's second phase adds less to `_sum` than the
 * first left in it: rate() extrapolates a counter towards zero no further than its
 * value allows, and a `_sum` that grew from almost nothing would be extrapolated
 * less than its `_count`.
 */
const FLEET = [
  {
    first: [...Array(980).fill(2), ...Array(20).fill(30)],
    second: [...Array(10).fill(100), ...Array(5).fill(400)],
  },
  { first: [...Array(485).fill(4), ...Array(15).fill(45)], second: Array(8).fill(250) },
  { first: [...Array(197).fill(0.8), ...Array(3).fill(35)], second: Array(2).fill(100) },
];

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
    const fleet: { served: Served; tracker: BaseStatisticsTracker; scrapes: number }[] = [];
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
      for (let i = 0; i < FLEET.length; i++) {
        // One service, three processes: the same component name on every instance.
        const tracker = new BaseStatisticsTracker("api");
        const fleetRegistry = new StatisticsRegistry({ cacheTtlMs: 0 });
        fleetRegistry.register(tracker);
        // The series exist before the first phase, so rate() counts every sample of it.
        await tracker.recordTiming("handle", 1);
        const fleetHandler = createStatsHandler(fleetRegistry);
        const instance = { served: undefined as unknown as Served, tracker, scrapes: 0 };
        instance.served = await serve((req, res) => {
          if (req.url === "/metrics") instance.scrapes++;
          fleetHandler(req, res);
        });
        fleet.push(instance);
      }

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
          `  - job_name: ${FLEET_JOB}`,
          "    scrape_interval: 1s",
          "    scrape_timeout: 900ms",
          "    metrics_path: /metrics",
          "    static_configs:",
          `      - targets: [${fleet.map((f) => `"127.0.0.1:${f.served.port}"`).join(", ")}]`,
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
      await Promise.all(fleet.map((instance) => instance.served.close()));
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

    async function query(promql: string, atSeconds?: number): Promise<QueryResult[]> {
      const at = atSeconds === undefined ? "" : `&time=${atSeconds}`;
      const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}${at}`);
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
        expect(
          targets.data.activeTargets.filter(
            (target) => (target as unknown as { labels: { job: string } }).labels.job === JOB,
          ),
        ).toEqual([expect.objectContaining({ health: "up", lastError: "" })]);

        const orders = snapshot.components.find((c) => c.name === "order_manager")?.stats;
        const broker = snapshot.components.find((c) => c.name === "broker_connection");
        expect(orders).toBeDefined();
        expect(broker).toBeDefined();
        if (orders === undefined || broker === undefined) return;

        const submitted = await single(
          'component_stats_orders_submitted_total{component="order_manager"}',
        );
        const quantileSeries =
          'component_stats_operation_window_duration_seconds{component="order_manager",operation="place_order",quantile="0.99"}';
        const p99Seconds = await single(quantileSeries);
        const count = await single(
          'component_stats_operation_duration_seconds_count{component="order_manager",operation="place_order"}',
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
        // The verdicts as state sets: the current one is 1, and the three add up to 1.
        // The registry's series has no component label: this job's instance is the one.
        const brokerSeries = `job="${JOB}",component="broker_connection"`;
        expect(
          await single(`component_stats_verdict{${brokerSeries},verdict="${broker.verdict}"}`),
        ).toBe(1);
        expect(await single(`sum(component_stats_verdict{${brokerSeries}})`)).toBe(1);
        const overall = `job="${JOB}",verdict="${snapshot.health.verdict}"`;
        expect(await single(`component_stats_registry_verdict{${overall}}`)).toBe(1);
        expect(await single(`sum(component_stats_registry_verdict{job="${JOB}"})`)).toBe(1);
      },
      30_000,
    );

    /** Waits until Prometheus has stored `count` more scrapes of every fleet instance. */
    async function fleetScrapes(count: number): Promise<void> {
      const wanted = fleet.map((instance) => instance.scrapes + count);
      await waitFor(
        `${count} more scrapes of the fleet`,
        async () =>
          fleet.every((instance, i) => instance.scrapes >= (wanted[i] as number))
            ? true
            : undefined,
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      // The scrape was answered; give Prometheus a moment to append it.
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    /** A range selector reaching back to just before `sinceMs`, as whole seconds. */
    function rangeSince(sinceMs: number, untilMs: number): string {
      return `${Math.ceil((untilMs - sinceMs) / 1000) + 1}s`;
    }

    it.skipIf(PROMETHEUS_BIN === undefined)(
      "adds three instances up: fleet p99 from the histograms, true means after a latency shift, no resets",
      async () => {
        const family = "component_stats_operation_duration_seconds";
        const selector = `{job="${FLEET_JOB}",component="api",operation="handle"}`;
        await fleetScrapes(2);

        // Phase 1: each instance's fast calls with a slow tail.
        const firstAt = Date.now();
        for (const [i, instance] of fleet.entries()) {
          for (const ms of FLEET[i]?.first ?? []) await instance.tracker.recordTiming("handle", ms);
        }
        await fleetScrapes(2);
        const firstEnd = Date.now();
        const all = FLEET.flatMap((instance) => instance.first).sort((a, b) => a - b);
        const exactP99 = percentileSorted(all, 99);
        const bounds = [0, ...DEFAULT_TIMING_BUCKETS_MS];
        const bucket = bounds.findIndex((bound, i) => i > 0 && exactP99 <= bound);
        const [lowerMs, upperMs] = [bounds[bucket - 1] as number, bounds[bucket] as number];
        const p99 = await single(
          `histogram_quantile(0.99, sum by (le) (rate(${family}_bucket${selector}[${rangeSince(firstAt, firstEnd)}])))`,
        );
        console.info(
          `[e2e] fleet p99: Prometheus ${p99 * 1000} ms from the histograms; exact ${exactP99} ms over ${all.length} samples, bucket (${lowerMs}, ${upperMs}] ms`,
        );
        expect(p99 * 1000).toBeGreaterThan(lowerMs);
        expect(p99 * 1000).toBeLessThanOrEqual(upperMs);

        // Phase 2: a latency shift, much slower and rarer calls.
        const secondAt = Date.now();
        for (const [i, instance] of fleet.entries()) {
          for (const ms of FLEET[i]?.second ?? [])
            await instance.tracker.recordTiming("handle", ms);
        }
        await fleetScrapes(2);
        const secondEnd = Date.now();
        const range = rangeSince(secondAt, secondEnd);
        const means = await query(
          `rate(${family}_sum${selector}[${range}]) / rate(${family}_count${selector}[${range}])`,
        );
        expect(means).toHaveLength(3);
        for (const result of means) {
          const port = Number(result.metric.instance?.split(":")[1]);
          const i = fleet.findIndex((instance) => instance.served.port === port);
          const second = FLEET[i]?.second ?? [];
          const trueMeanSeconds = second.reduce((a, b) => a + b, 0) / second.length / 1000;
          console.info(
            `[e2e] instance ${i}: rate(_sum)/rate(_count) ${result.value[1]} s, true mean ${trueMeanSeconds} s`,
          );
          expect(Number(result.value[1])).toBeCloseTo(trueMeanSeconds, 9);
        }

        // Nothing was reset: no counter of the histogram ever went down.
        const resets = await single(
          `sum(resets(${family}_sum${selector}[1m])) + sum(resets(${family}_count${selector}[1m])) + sum(resets(${family}_bucket${selector}[1m]))`,
        );
        expect(resets).toBe(0);
        const targets = (await (await fetch(`${api}/api/v1/targets`)).json()) as {
          data: { activeTargets: { labels: { job: string }; health: string; lastError: string }[] };
        };
        const fleetTargets = targets.data.activeTargets.filter((t) => t.labels.job === FLEET_JOB);
        expect(fleetTargets.map((t) => [t.health, t.lastError])).toEqual([
          ["up", ""],
          ["up", ""],
          ["up", ""],
        ]);

        // What the instances serve passes promtool and the strict reader.
        const text = await (await fetch(`${fleet[0]?.served.origin}/metrics`)).text();
        expect(() => parseExposition(text)).not.toThrow();
        if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
      },
      60_000,
    );
  },
);

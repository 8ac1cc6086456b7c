import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { exportJson } from "../../src/export/json.js";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "../../src/export/prometheus.js";
import { createStatsHandler, type StatsHandlerOptions } from "../../src/http/handler.js";
import type { HealthVerdict } from "../../src/http/verdict.js";
import {
  BaseStatisticsTracker,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";
import { type Served, serve } from "./serve.js";

const START_MS = Date.UTC(2025, 0, 2, 3, 4, 5);

let served: Served | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

/** A registry of two trackers on one manual clock: its answers do not move between requests. */
async function fixture(options: { unhealthy?: boolean } = {}) {
  const clock = manualClock(START_MS);
  const registry = new StatisticsRegistry({ clock });
  const feed = new BaseStatisticsTracker("feed", { clock });
  const orders = new BaseStatisticsTracker("orders", { clock });
  registry.register(feed);
  registry.register(orders);
  await feed.setStatus("connected");
  await orders.setStatus("active");
  await feed.increment("quotes", 100);
  await orders.increment("orders_placed", 100);
  await orders.recordTiming("place_order", 12.5);
  await orders.trackError(new Error("rejected"), "order.submit", {
    password: "hunter2",
    symbol: "ES",
  });
  if (options.unhealthy) await feed.setStatus("error");
  return { clock, registry, feed, orders };
}

async function start(registry: Pick<StatisticsRegistry, "collect">, options?: StatsHandlerOptions) {
  served = await serve(createStatsHandler(registry, options));
  return served.origin;
}

describe("createStatsHandler", () => {
  it("serves the Prometheus exposition of the registry with its content type", async () => {
    const { registry } = await fixture();
    const origin = await start(registry);
    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = await response.text();
    expect(text).toBe(formatPrometheus(await registry.collect()));
    expect(text).toContain('component_stats_orders_placed_total{component="orders"} 100');
  });

  it("uses the configured Prometheus prefix", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { prefix: "sdk_" });
    const text = await (await fetch(`${origin}/metrics`)).text();
    expect(text).toContain('sdk_health_score{component="feed"}');
    expect(text).not.toContain("component_stats_");
  });

  it("serves the JSON export, redacted by default", async () => {
    const { registry } = await fixture();
    const origin = await start(registry);
    const response = await fetch(`${origin}/stats`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const text = await response.text();
    expect(text).toBe(exportJson(await registry.collect(), { redact: true }));
    expect(text).not.toContain("hunter2");
    expect(text).toContain("[REDACTED]");
  });

  it("leaves details as they are with redact: false", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { redact: false });
    expect(await (await fetch(`${origin}/stats`)).text()).toContain("hunter2");
  });

  it("answers /health with 200 and the verdict when the registry is healthy", async () => {
    const { registry } = await fixture();
    const snapshot = await registry.collect();
    expect(snapshot.health.healthy).toBe(true);
    const origin = await start(registry);
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const verdict = (await response.json()) as HealthVerdict;
    expect(verdict).toMatchObject({
      status: "healthy",
      healthy: true,
      score: snapshot.health.score,
      threshold: 70,
      failed: 0,
      timestamp: new Date(START_MS).toISOString(),
    });
    expect(verdict.components.map((c) => c.name)).toEqual(["feed", "orders"]);
  });

  // spring-projects/spring-boot#1264: a health endpoint that answered 200 while DOWN.
  it("answers /health with 503 when the registry is not healthy", async () => {
    const { registry } = await fixture({ unhealthy: true });
    const snapshot = await registry.collect();
    expect(snapshot.health.healthy).toBe(false);
    const origin = await start(registry);
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(503);
    const verdict = (await response.json()) as HealthVerdict;
    expect(verdict).toMatchObject({
      status: "unhealthy",
      healthy: false,
      score: snapshot.health.score,
    });
    expect(verdict.components[0]).toMatchObject({ name: "feed", status: "error", outcome: "ok" });
  });

  it("answers /health with 503 and the reason when a component cannot be collected", async () => {
    const { registry } = await fixture();
    const broken = new BaseStatisticsTracker("broken");
    broken.getStats = () => Promise.reject(new Error("socket closed"));
    registry.register(broken);
    const origin = await start(registry);
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(503);
    const verdict = (await response.json()) as HealthVerdict;
    expect(verdict.failed).toBe(1);
    const component = verdict.components.find((c) => c.name === "broken");
    expect(component).toMatchObject({ outcome: "error", healthScore: 0 });
    expect(component?.reason).toContain("socket closed");
  });

  it("answers 503 on /health and 500 elsewhere when collect() itself rejects", async () => {
    const failing = { collect: (): Promise<RegistrySnapshot> => Promise.reject(new Error("boom")) };
    const origin = await start(failing);
    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "unknown", healthy: false, reason: "boom" });
    for (const path of ["/metrics", "/stats"]) {
      const response = await fetch(origin + path);
      expect(response.status).toBe(500);
      expect(await response.text()).toContain("boom");
    }
  });

  it("reports a rejection that is not an Error, even one that cannot be printed", async () => {
    const unprintable = {
      toString() {
        throw new Error("no");
      },
    };
    for (const [reason, shown] of [
      ["plain string", "plain string"],
      [unprintable, "unprintable error"],
    ] as const) {
      const origin = await start({ collect: () => Promise.reject(reason) });
      expect(await (await fetch(`${origin}/health`)).json()).toMatchObject({ reason: shown });
      expect(await (await fetch(`${origin}/metrics`)).text()).toContain(shown);
      await served?.close();
      served = undefined;
    }
  });

  it("serves the dashboard at / with a CSP that allows exactly its inline script and style", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { title: "<Trading> & co" });
    const response = await fetch(`${origin}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("<title>&lt;Trading&gt; &amp; co</title>");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? "";
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? "";
    const hash = (text: string) => createHash("sha256").update(text).digest("base64");
    expect(csp).toContain(`script-src 'sha256-${hash(script)}'`);
    expect(csp).toContain(`style-src 'sha256-${hash(style)}'`);
    expect(html).not.toMatch(/(src|href)=["']?https?:/);
  });

  it("answers HEAD like GET without a body", async () => {
    const { registry } = await fixture();
    const origin = await start(registry);
    for (const path of ["/metrics", "/stats", "/health", "/"]) {
      const get = await fetch(origin + path);
      const body = await get.arrayBuffer();
      const head = await fetch(origin + path, { method: "HEAD" });
      expect(head.status).toBe(get.status);
      expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
      expect(Number(head.headers.get("content-length"))).toBe(body.byteLength);
      expect((await head.arrayBuffer()).byteLength).toBe(0);
    }
  });

  it("answers other methods with 405 and an Allow header", async () => {
    const { registry } = await fixture();
    const origin = await start(registry);
    for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
      const response = await fetch(`${origin}/metrics`, { method });
      expect(response.status, method).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
  });

  it("answers unknown paths with 404 and ignores query strings", async () => {
    const { registry } = await fixture();
    const origin = await start(registry);
    expect((await fetch(`${origin}/nope`)).status).toBe(404);
    expect((await fetch(`${origin}/metrics/extra`)).status).toBe(404);
    expect((await fetch(`${origin}/nope`, { method: "POST" })).status).toBe(404);
    expect((await fetch(`${origin}/metrics?name[]=x`)).status).toBe(200);
  });

  it("serves under a configured mount path and nowhere else", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { basePath: "/admin/stats/" });
    expect((await fetch(`${origin}/admin/stats/metrics`)).status).toBe(200);
    expect((await fetch(`${origin}/admin/stats/health`)).status).toBe(200);
    expect((await fetch(`${origin}/admin/stats/stats`)).status).toBe(200);
    expect((await fetch(`${origin}/admin/stats`)).headers.get("content-type")).toContain(
      "text/html",
    );
    expect((await fetch(`${origin}/admin/stats/`)).headers.get("content-type")).toContain(
      "text/html",
    );
    expect((await fetch(`${origin}/metrics`)).status).toBe(404);
    expect((await fetch(`${origin}/admin/statsx/metrics`)).status).toBe(404);
    expect((await fetch(`${origin}/`)).status).toBe(404);
  });

  it("passes requests it does not serve to next() when used as middleware", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry, { basePath: "/stats-ui" });
    const passed: string[] = [];
    served = await serve((req, res) => {
      handler(req, res, () => {
        passed.push(req.url ?? "");
        res.statusCode = 418;
        res.end("app");
      });
    });
    expect((await fetch(`${served.origin}/stats-ui/metrics`)).status).toBe(200);
    expect((await fetch(`${served.origin}/stats-ui/other`)).status).toBe(418);
    expect((await fetch(`${served.origin}/api/orders`)).status).toBe(418);
    expect(passed).toEqual(["/stats-ui/other", "/api/orders"]);
  });

  it("works behind a router that strips the mount path, as Express's app.use does", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry);
    served = await serve((req, res) => {
      // What Express does for app.use("/monitoring", handler): strip the prefix from req.url.
      const url = req.url ?? "/";
      if (url === "/monitoring" || url.startsWith("/monitoring/")) {
        req.url = url.slice("/monitoring".length) || "/";
        handler(req, res, () => {
          res.statusCode = 404;
          res.end();
        });
        return;
      }
      res.statusCode = 404;
      res.end();
    });
    expect((await fetch(`${served.origin}/monitoring/metrics`)).status).toBe(200);
    expect((await fetch(`${served.origin}/monitoring/`)).headers.get("content-type")).toContain(
      "text/html",
    );
  });

  it("serves no dashboard with dashboard: false", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { dashboard: false });
    expect((await fetch(`${origin}/`)).status).toBe(404);
    expect((await fetch(`${origin}/metrics`)).status).toBe(200);
  });

  it("collects once per request, so each scrape sees the latest writes", async () => {
    const { registry, orders } = await fixture();
    const origin = await start(registry);
    await orders.increment("orders_placed", 5);
    expect(await (await fetch(`${origin}/metrics`)).text()).toContain(
      'component_stats_orders_placed_total{component="orders"} 105',
    );
  });

  it("rejects bad options at creation, naming the option", () => {
    const { registry } = { registry: new StatisticsRegistry() };
    const bad: [unknown, unknown, RegExp][] = [
      [{}, undefined, /`registry`/],
      [null, undefined, /`registry`/],
      [registry, "x", /`options`/],
      [registry, { basePath: "admin" }, /`basePath`/],
      [registry, { basePath: 7 }, /`basePath`/],
      [registry, { basePath: "/a?b" }, /`basePath`/],
      [registry, { basePath: "/a//b" }, /`basePath`/],
      [registry, { prefix: "1bad" }, /prefix/],
      [registry, { redact: "yes" }, /`redact`/],
      [registry, { dashboard: 1 }, /`dashboard`/],
      [registry, { title: 5 }, /`title`/],
      [registry, { pollIntervalMs: 0 }, /`pollIntervalMs`/],
      [registry, { pollIntervalMs: 1.5 }, /`pollIntervalMs`/],
      [registry, { historyMs: 10 }, /`historyMs`/],
    ];
    for (const [source, options, message] of bad) {
      expect(() =>
        createStatsHandler(source as StatisticsRegistry, options as StatsHandlerOptions),
      ).toThrow(message);
    }
  });

  it("answers 404 to a request target that is not a URL", () => {
    const handler = createStatsHandler(new StatisticsRegistry());
    for (const url of ["http://[", undefined]) {
      const headers: Record<string, unknown> = {};
      const res = {
        statusCode: 0,
        setHeader(name: string, value: unknown) {
          headers[name] = value;
        },
        end() {},
      };
      handler({ method: "GET", url } as IncomingMessage, res as unknown as ServerResponse);
      expect(res.statusCode, String(url)).toBe(404);
    }
  });

  it("destroys the response when writing it fails", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry);
    let destroyed = false;
    const res = {
      setHeader() {
        throw new Error("socket gone");
      },
      destroy() {
        destroyed = true;
      },
    } as unknown as ServerResponse;
    handler({ method: "GET", url: "/metrics" } as IncomingMessage, res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(destroyed).toBe(true);
  });
});

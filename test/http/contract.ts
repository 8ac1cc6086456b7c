import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { exportJson } from "../../src/export/json.js";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "../../src/export/prometheus.js";
import type { HandlerOptions } from "../../src/http/options.js";
import type { StatsEndpoint } from "../../src/http/routes.js";
import type { HealthVerdict } from "../../src/http/verdict.js";
import {
  BaseStatisticsTracker,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";
import type { SendInit } from "./serve.js";

export const START_MS = Date.UTC(2025, 0, 2, 3, 4, 5);

/** Sends one request to the handler under test; `path` is the request target. */
export type Send = (path: string, init?: SendInit) => Promise<Response>;

/**
 * Starts a handler over `registry` with `options` and returns how to reach it. Only
 * options whose types do not depend on the platform's request are used here.
 */
export type Mount = (
  registry: Pick<StatisticsRegistry, "collect">,
  options?: HandlerOptions<unknown>,
) => Promise<Send>;

/** A registry of two trackers on one manual clock: its answers do not move between requests. */
export async function fixture(options: { unhealthy?: boolean } = {}) {
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

/** Every header of an answer, as one sorted list, so two answers compare in one assertion. */
export const headerList = (response: Response): string[] =>
  [...response.headers].map(([name, value]) => `${name}: ${value}`).sort();

/** The body as text, gunzipped when the answer says it is gzip. */
export async function bodyText(response: Response): Promise<string> {
  const bytes = Buffer.from(await response.arrayBuffer());
  const gzipped = response.headers.get("content-encoding") === "gzip";
  return (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
}

const ENDPOINT_PATHS = ["/metrics", "/stats", "/health", "/health/ready", "/health/live", "/"];

/**
 * What every adapter of the responder must do, run over the Node handler and the
 * fetch handler alike (one suite for two implementations of one interface).
 */
export function describeHandlerContract(title: string, mount: Mount): void {
  describe(`${title}: the handler contract`, () => {
    it("serves the Prometheus exposition of the registry with its content type", async () => {
      const { registry } = await fixture();
      const send = await mount(registry);
      const response = await send("/metrics");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const text = await response.text();
      expect(text).toBe(formatPrometheus(await registry.collect()));
      expect(text).toContain('component_stats_orders_placed_total{component="orders"} 100');
    });

    it("uses the configured Prometheus prefix", async () => {
      const { registry } = await fixture();
      const send = await mount(registry, { prefix: "sdk_" });
      const text = await (await send("/metrics")).text();
      expect(text).toContain('sdk_health_score{component="feed"}');
      expect(text).not.toContain("component_stats_");
    });

    it("serves the JSON export, redacted by default", async () => {
      const { registry } = await fixture();
      const send = await mount(registry);
      const response = await send("/stats");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
      const text = await response.text();
      expect(text).toBe(exportJson(await registry.collect(), { redact: true }));
      expect(text).not.toContain("hunter2");
      expect(text).toContain("[REDACTED]");
    });

    it("leaves details as they are with redact: false", async () => {
      const { registry } = await fixture();
      const send = await mount(registry, { redact: false });
      expect(await (await send("/stats")).text()).toContain("hunter2");
    });

    it("answers /health and /health/ready with 200 and the verdict when the registry is healthy", async () => {
      const { registry } = await fixture();
      const snapshot = await registry.collect();
      expect(snapshot.health.healthy).toBe(true);
      const send = await mount(registry);
      for (const path of ["/health", "/health/ready"]) {
        const response = await send(path);
        expect(response.status, path).toBe(200);
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
      }
    });

    // spring-projects/spring-boot#1264: a health endpoint that answered 200 while DOWN.
    it("answers /health and /health/ready with 503 when the registry is not healthy", async () => {
      const { registry } = await fixture({ unhealthy: true });
      const snapshot = await registry.collect();
      expect(snapshot.health.healthy).toBe(false);
      const send = await mount(registry);
      for (const path of ["/health", "/health/ready"]) {
        const response = await send(path);
        expect(response.status, path).toBe(503);
        const verdict = (await response.json()) as HealthVerdict;
        expect(verdict).toMatchObject({
          status: "unhealthy",
          healthy: false,
          score: snapshot.health.score,
        });
        expect(verdict.components[0]).toMatchObject({
          name: "feed",
          status: "error",
          outcome: "ok",
        });
      }
    });

    it("answers /health with 503 and the reason when a component cannot be collected", async () => {
      const { registry } = await fixture();
      const broken = new BaseStatisticsTracker("broken");
      broken.getStats = () => Promise.reject(new Error("socket closed"));
      registry.register(broken);
      const send = await mount(registry);
      const response = await send("/health");
      expect(response.status).toBe(503);
      const verdict = (await response.json()) as HealthVerdict;
      expect(verdict.failed).toBe(1);
      const component = verdict.components.find((c) => c.name === "broken");
      expect(component).toMatchObject({ outcome: "error", healthScore: 0 });
      expect(component?.reason).toContain("socket closed");
    });

    it("answers 503 on /health and 500 elsewhere when collect() itself rejects", async () => {
      const failing = {
        collect: (): Promise<RegistrySnapshot> => Promise.reject(new Error("boom")),
      };
      const reported: unknown[] = [];
      const send = await mount(failing, { onError: (error) => reported.push(error) });
      const health = await send("/health");
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: "unknown", healthy: false, reason: "boom" });
      for (const path of ["/metrics", "/stats"]) {
        const response = await send(path);
        expect(response.status).toBe(500);
        expect(await response.text()).toContain("boom");
      }
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every((error) => (error as Error).message === "boom")).toBe(true);
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
        const send = await mount({ collect: () => Promise.reject(reason) });
        expect(await (await send("/health")).json()).toMatchObject({ reason: shown });
        expect(await (await send("/metrics")).text()).toContain(shown);
      }
    });

    it("answers /health/live with 200 without collecting, whatever the registry does", async () => {
      let collections = 0;
      const hung = {
        collect: (): Promise<RegistrySnapshot> => {
          collections++;
          return new Promise(() => {});
        },
      };
      const send = await mount(hung);
      for (const method of ["GET", "HEAD"]) {
        const response = await send("/health/live", { method });
        expect(response.status, method).toBe(200);
        expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8");
        if (method === "GET") expect(await response.json()).toEqual({ status: "alive" });
      }
      expect(collections).toBe(0);
    });

    it("serves the dashboard at / with a CSP that allows exactly its inline script and style", async () => {
      const { registry } = await fixture();
      const send = await mount(registry, { title: "<Trading> & co" });
      const response = await send("/");
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
      const send = await mount(registry);
      for (const path of ENDPOINT_PATHS) {
        const get = await send(path);
        const body = await get.arrayBuffer();
        const head = await send(path, { method: "HEAD" });
        expect(head.status).toBe(get.status);
        expect(head.headers.get("content-type")).toBe(get.headers.get("content-type"));
        expect(Number(head.headers.get("content-length"))).toBe(body.byteLength);
        expect((await head.arrayBuffer()).byteLength).toBe(0);
      }
    });

    // Hono answered HEAD /health with 200 while GET /health gave 503.
    it("answers HEAD with exactly GET's status and headers, compressed or not, healthy or not", async () => {
      for (const unhealthy of [false, true]) {
        const { registry } = await fixture({ unhealthy });
        const send = await mount(registry);
        for (const path of ENDPOINT_PATHS) {
          for (const headers of [{}, { "accept-encoding": "gzip" }]) {
            const get = await send(path, { headers });
            const head = await send(path, { method: "HEAD", headers });
            const label = `${path} ${JSON.stringify(headers)} unhealthy=${unhealthy}`;
            expect(head.status, label).toBe(get.status);
            expect(headerList(head), label).toEqual(headerList(get));
            expect(Number(get.headers.get("content-length")), label).toBe(
              (await get.arrayBuffer()).byteLength,
            );
            expect((await head.arrayBuffer()).byteLength, label).toBe(0);
          }
        }
        const health = await send("/health", { method: "HEAD" });
        expect(health.status).toBe(unhealthy ? 503 : 200);
      }
    });

    it("answers other methods with 405 and an Allow header", async () => {
      const { registry } = await fixture();
      const send = await mount(registry);
      for (const path of ENDPOINT_PATHS) {
        for (const method of ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"]) {
          const response = await send(path, { method });
          expect(response.status, `${method} ${path}`).toBe(405);
          expect(response.headers.get("allow")).toBe("GET, HEAD");
        }
      }
    });

    it("answers unknown paths with 404 and ignores query strings", async () => {
      const { registry } = await fixture();
      const send = await mount(registry);
      expect((await send("/nope")).status).toBe(404);
      expect((await send("/metrics/extra")).status).toBe(404);
      expect((await send("/nope", { method: "POST" })).status).toBe(404);
      expect((await send("/metrics?name[]=x")).status).toBe(200);
      expect((await send("/health/?x")).status).toBe(404);
      expect((await send("/health/live/")).status).toBe(404);
      expect((await send("/METRICS")).status).toBe(404);
      expect((await send("/%6Detrics")).status).toBe(404);
      expect((await send("//metrics")).status).toBe(404);
    });

    it("serves under a configured mount path and nowhere else", async () => {
      const { registry } = await fixture();
      const send = await mount(registry, { basePath: "/admin/stats/" });
      expect((await send("/admin/stats/metrics")).status).toBe(200);
      expect((await send("/admin/stats/health")).status).toBe(200);
      expect((await send("/admin/stats/health/live")).status).toBe(200);
      expect((await send("/admin/stats/stats")).status).toBe(200);
      expect((await send("/admin/stats")).headers.get("content-type")).toContain("text/html");
      expect((await send("/admin/stats/")).headers.get("content-type")).toContain("text/html");
      expect((await send("/metrics")).status).toBe(404);
      expect((await send("/admin/statsx/metrics")).status).toBe(404);
      expect((await send("/admin//stats/metrics")).status).toBe(404);
      expect((await send("/")).status).toBe(404);
    });

    it("serves no dashboard with dashboard: false", async () => {
      const { registry } = await fixture();
      const send = await mount(registry, { dashboard: false });
      expect((await send("/")).status).toBe(404);
      expect((await send("/metrics")).status).toBe(200);
    });

    it("collects once per request when reuseMs is 0, so each scrape sees the latest writes", async () => {
      const { clock, registry, orders } = await fixture();
      // On the handler's clock no time passes while it renders, so the render-long reuse
      // window is empty; on the system clock a loaded machine can stretch it past the
      // next request.
      const send = await mount(registry, { reuseMs: 0, clock });
      expect(await (await send("/metrics")).text()).toContain(
        'component_stats_orders_placed_total{component="orders"} 100',
      );
      await orders.increment("orders_placed", 5);
      expect(await (await send("/metrics")).text()).toContain(
        'component_stats_orders_placed_total{component="orders"} 105',
      );
    });

    it("sends gzip to a client that accepts it, with Vary, and the same text once decoded", async () => {
      const { registry } = await fixture();
      const send = await mount(registry);
      for (const path of ["/metrics", "/stats", "/"]) {
        const plain = await send(path);
        const zipped = await send(path, { headers: { "accept-encoding": "gzip, deflate, br" } });
        const refused = await send(path, { headers: { "accept-encoding": "gzip;q=0, br" } });
        expect(plain.headers.get("vary"), path).toBe("Accept-Encoding");
        expect(zipped.headers.get("vary"), path).toBe("Accept-Encoding");
        expect(plain.headers.get("content-encoding"), path).toBeNull();
        expect(refused.headers.get("content-encoding"), path).toBeNull();
        expect(zipped.headers.get("content-encoding"), path).toBe("gzip");
        const text = await plain.text();
        expect(text.length, path).toBeGreaterThan(1024);
        expect(await bodyText(zipped), path).toBe(text);
        expect(Number(zipped.headers.get("content-length")), path).toBeLessThan(
          Number(plain.headers.get("content-length")),
        );
      }
    });

    it("leaves a short answer uncompressed", async () => {
      const send = await mount(new StatisticsRegistry());
      const response = await send("/health", { headers: { "accept-encoding": "gzip" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-encoding")).toBeNull();
      expect(response.headers.get("vary")).toBe("Accept-Encoding");
    });

    describe("authorize", () => {
      const OPEN: readonly StatsEndpoint[] = ["metrics", "health", "ready", "live"];

      it("leaves /metrics and the probes open and refuses /stats and the dashboard, per endpoint", async () => {
        const { registry } = await fixture();
        const asked: StatsEndpoint[] = [];
        const send = await mount(registry, {
          authorize: (_request, endpoint) => {
            asked.push(endpoint);
            return OPEN.includes(endpoint);
          },
        });
        for (const path of ["/metrics", "/health", "/health/ready", "/health/live"]) {
          expect((await send(path)).status, path).toBe(200);
        }
        for (const path of ["/stats", "/"]) {
          for (const method of ["GET", "HEAD"]) {
            const response = await send(path, { method });
            expect(response.status, `${method} ${path}`).toBe(401);
            expect(response.headers.get("www-authenticate")).toBe('Bearer realm="component-stats"');
            const text = await response.text();
            expect(text).not.toContain("orders");
            expect(text).not.toContain("<html");
          }
        }
        expect(asked).toEqual([
          "metrics",
          "health",
          "ready",
          "live",
          "stats",
          "stats",
          "dashboard",
          "dashboard",
        ]);
      });

      it("is not asked about unknown paths or refused methods", async () => {
        const { registry } = await fixture();
        let asked = 0;
        const send = await mount(registry, {
          authorize: () => {
            asked++;
            return true;
          },
        });
        expect((await send("/nope")).status).toBe(404);
        expect((await send("/metrics", { method: "POST" })).status).toBe(405);
        expect(asked).toBe(0);
      });

      it("accepts async checks, 403, and a challenge of the user's choice", async () => {
        const { registry } = await fixture();
        const send = await mount(registry, {
          challenge: 'Basic realm="stats"',
          authorize: async (_request, endpoint) => {
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (endpoint === "metrics") return true;
            return endpoint === "stats" ? 403 : 401;
          },
        });
        expect((await send("/metrics")).status).toBe(200);
        const forbidden = await send("/stats");
        expect(forbidden.status).toBe(403);
        expect(forbidden.headers.get("www-authenticate")).toBeNull();
        const unauthorized = await send("/health");
        expect(unauthorized.status).toBe(401);
        expect(unauthorized.headers.get("www-authenticate")).toBe('Basic realm="stats"');
      });

      it("refuses anything but true: a forgotten return is a 401, not a pass", async () => {
        const { registry } = await fixture();
        for (const decision of [undefined, "yes", 1, 200, {}, null]) {
          const send = await mount(registry, {
            authorize: () => decision as unknown as boolean,
          });
          expect((await send("/stats")).status, String(decision)).toBe(401);
        }
      });

      it("answers 500 without data when the check throws or rejects, and reports the error", async () => {
        const { registry } = await fixture();
        let collections = 0;
        const counting = {
          collect: () => {
            collections++;
            return registry.collect();
          },
        };
        for (const authorize of [
          () => {
            throw new Error("token store down");
          },
          () => Promise.reject(new Error("token store down")),
        ]) {
          const reported: unknown[] = [];
          const send = await mount(counting, {
            authorize,
            onError: (error) => {
              reported.push(error);
              throw new Error("a reporter that throws changes nothing");
            },
          });
          const response = await send("/stats");
          expect(response.status).toBe(500);
          const text = await response.text();
          expect(text).not.toContain("token store");
          expect(text).not.toContain("orders");
          expect(reported).toHaveLength(1);
          expect((reported[0] as Error).message).toBe("token store down");
        }
        expect(collections).toBe(0);
      });

      it("answers 500 and lives on when an async onError rejects", async () => {
        const { registry } = await fixture();
        const unhandled: unknown[] = [];
        const listener = (reason: unknown) => unhandled.push(reason);
        process.on("unhandledRejection", listener);
        try {
          const reported: unknown[] = [];
          const send = await mount(registry, {
            authorize: () => {
              throw new Error("token store down");
            },
            // An async reporter whose sink is down: the type accepts it.
            onError: async (error) => {
              reported.push(error);
              throw new Error("log sink unreachable");
            },
          });
          expect((await send("/stats")).status).toBe(500);
          await new Promise((resolve) => setTimeout(resolve, 10));
          expect(reported).toHaveLength(1);
        } finally {
          process.off("unhandledRejection", listener);
        }
        expect(unhandled).toEqual([]);
      });
    });
  });
}

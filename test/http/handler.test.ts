import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { createStatsHandler, type StatsHandlerOptions } from "../../src/http/handler.js";
import { StatisticsRegistry } from "../../src/index.js";
import { describeHandlerContract, fixture } from "./contract.js";
import { type Served, send, serve } from "./serve.js";

const servers: Served[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((served) => served.close()));
});

async function start(registry: Pick<StatisticsRegistry, "collect">, options?: StatsHandlerOptions) {
  const served = await serve(createStatsHandler(registry, options));
  servers.push(served);
  return served.origin;
}

describeHandlerContract("createStatsHandler", async (registry, options) => {
  const origin = await start(registry, options);
  return (path, init) => send(origin, path, init);
});

describe("createStatsHandler", () => {
  it("is reached by fetch() under a basePath of every character a client sends unencoded", async () => {
    const { registry } = await fixture();
    const basePath = "/v1:stats/@me/a+b,c;d=e!$&'()*~";
    const origin = await start(registry, { basePath });
    // fetch() sends the path as the URL parser leaves it: these characters unencoded.
    expect(new URL(`${origin}${basePath}/health/live`).pathname).toBe(`${basePath}/health/live`);
    const response = await fetch(`${origin}${basePath}/health/live`);
    expect(response.status).toBe(200);
  });

  it("passes requests it does not serve to next() when used as middleware", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry, { basePath: "/stats-ui" });
    const passed: string[] = [];
    const served = await serve((req, res) => {
      handler(req, res, () => {
        passed.push(req.url ?? "");
        res.statusCode = 418;
        res.end("app");
      });
    });
    servers.push(served);
    expect((await fetch(`${served.origin}/stats-ui/metrics`)).status).toBe(200);
    expect((await fetch(`${served.origin}/stats-ui/other`)).status).toBe(418);
    expect((await fetch(`${served.origin}/api/orders`)).status).toBe(418);
    expect(passed).toEqual(["/stats-ui/other", "/api/orders"]);
  });

  it("passes targets that only reach an endpoint once resolved to next(), untouched", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry, { basePath: "/stats-ui" });
    const passed: string[] = [];
    const served = await serve((req, res) => {
      handler(req, res, () => {
        passed.push(req.url ?? "");
        res.statusCode = 418;
        res.end("app");
      });
    });
    servers.push(served);
    const targets = [
      "/x/../stats-ui/metrics",
      "/stats-ui/./metrics",
      "/stats-ui/x/../metrics",
      "/stats-ui/%2e%2e/stats-ui/metrics",
      "/stats-ui%2fmetrics",
      "/stats-ui/metrics%2F",
      "/stats-ui\\metrics",
      "/stats-ui//metrics",
      "//stats-ui/metrics",
      "/stats-ui/metrics/",
      "/stats-ui/metrics;x",
      "/stats-ui/metrics#x",
    ];
    for (const target of targets) {
      const response = await send(served.origin, target);
      expect(response.status, target).toBe(418);
      expect(await response.text()).toBe("app");
    }
    expect(passed).toEqual(targets);
  });

  it("matches a target in absolute form by its path", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, { basePath: "/_stats" });
    for (const target of [
      "http://stats.example/_stats/metrics",
      "HTTPS://stats.example:8443/_stats/metrics?x=1",
      "http://user@stats.example/_stats/metrics",
    ]) {
      const response = await send(origin, target);
      expect(response.status, target).toBe(200);
      expect(await response.text()).toContain("component_stats_");
    }
    for (const target of [
      "http://stats.example",
      "http://stats.example?/_stats/metrics",
      "http://stats.example/x/../_stats/metrics",
      "ftp://stats.example/_stats/metrics",
    ]) {
      expect((await send(origin, target)).status, target).toBe(404);
    }
    // Node's parser refuses this one itself.
    expect((await send(origin, "http:/_stats/metrics")).status).toBe(400);
  });

  it("works behind a router that strips the mount path, as Express's app.use does", async () => {
    const { registry } = await fixture();
    const handler = createStatsHandler(registry);
    const served = await serve((req, res) => {
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
    servers.push(served);
    expect((await fetch(`${served.origin}/monitoring/metrics`)).status).toBe(200);
    expect((await fetch(`${served.origin}/monitoring/`)).headers.get("content-type")).toContain(
      "text/html",
    );
  });

  it("hands authorize the IncomingMessage, so a token header can open /stats", async () => {
    const { registry } = await fixture();
    const origin = await start(registry, {
      authorize: (req, endpoint) =>
        endpoint === "metrics" || req.headers.authorization === "Bearer s3cret",
    });
    expect((await send(origin, "/metrics")).status).toBe(200);
    expect((await send(origin, "/stats")).status).toBe(401);
    const allowed = await send(origin, "/stats", { headers: { authorization: "Bearer s3cret" } });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('"orders"');
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
      [registry, { basePath: "/a/../b" }, /`basePath`/],
      [registry, { basePath: "/a%2fb" }, /`basePath`/],
      [registry, { basePath: "/a\\b" }, /`basePath`/],
      [registry, { prefix: "1bad" }, /prefix/],
      [registry, { redact: "yes" }, /`redact`/],
      [registry, { dashboard: 1 }, /`dashboard`/],
      [registry, { title: 5 }, /`title`/],
      [registry, { pollIntervalMs: 0 }, /`pollIntervalMs`/],
      [registry, { pollIntervalMs: 1.5 }, /`pollIntervalMs`/],
      [registry, { historyMs: 10 }, /`historyMs`/],
      [registry, { authorize: "token" }, /`authorize`/],
      [registry, { challenge: "Bearer\r\nSet-Cookie: x" }, /`challenge`/],
      [registry, { reuseMs: -1 }, /`reuseMs`/],
      [registry, { clock: Date }, /`clock`/],
      [registry, { onError: true }, /`onError`/],
    ];
    for (const [source, options, message] of bad) {
      expect(() =>
        createStatsHandler(source as StatisticsRegistry, options as StatsHandlerOptions),
      ).toThrow(message);
    }
  });

  it("answers 404 to a request target that is not a URL", () => {
    const handler = createStatsHandler(new StatisticsRegistry());
    for (const url of ["http://[", undefined, "*", "stats.example:443"]) {
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
      once() {},
      setHeader() {
        throw new Error("socket gone");
      },
      destroy() {
        destroyed = true;
      },
    } as unknown as ServerResponse;
    handler({ method: "GET", url: "/metrics", headers: {} } as IncomingMessage, res);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(destroyed).toBe(true);
  });
});

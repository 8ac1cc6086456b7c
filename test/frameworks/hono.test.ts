import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchHandler, type StatisticsRegistry } from "../../src/index.js";
import { fixture } from "../http/contract.js";
import { send } from "../http/serve.js";
import { expectEveryEndpoint } from "./support.js";

/** The README's Hono snippet, as a function so the test can mount it twice. */
function mountStats(app: Hono, registry: StatisticsRegistry, basePath: string): void {
  // README: hono
  const handler = createFetchHandler(registry, { basePath });
  app.all(basePath, (c) => handler(c.req.raw));
  app.all(`${basePath}/*`, (c) => handler(c.req.raw));
  // README: end
}

describe("Hono (on @hono/node-server) through createFetchHandler", () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const app = new Hono();
    // A guard in front sees the same (already parsed) path as the handler.
    app.use("/_guarded/*", async (c, next) => {
      if (c.req.header("authorization") !== "Bearer s3cret") return c.text("guarded", 401);
      await next();
    });
    mountStats(app, (await fixture()).registry, "/_stats");
    mountStats(app, (await fixture({ unhealthy: true })).registry, "/_sick");
    mountStats(app, (await fixture()).registry, "/_guarded");
    app.get("/", (c) => c.text("the application"));
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, () =>
        resolve(started as Server),
      );
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("serves every endpoint under the mount: GET, HEAD, 404, 405", async () => {
    await expectEveryEndpoint(origin, "/_stats", true, { resolvesDotSegments: true });
  });

  // The bug that started this: Hono answered HEAD /health 200 while GET gave 503.
  it("answers HEAD /health exactly as GET when unhealthy", async () => {
    await expectEveryEndpoint(origin, "/_sick", false, { resolvesDotSegments: true });
    expect((await send(origin, "/_sick/health", { method: "HEAD" })).status).toBe(503);
  });

  it("leaves the application's own routes to Hono", async () => {
    expect(await (await send(origin, "/")).text()).toBe("the application");
    expect((await send(origin, "/elsewhere")).status).toBe(404);
  });

  it("keeps a guard and the handler on one path, whatever the target spells", async () => {
    for (const target of ["/x/../_guarded/stats", "/x/%2e%2e/_guarded/stats", "/_guarded/stats"]) {
      const response = await send(origin, target);
      expect(response.status, target).toBe(401);
      expect(await response.text()).toBe("guarded");
    }
    // @hono/node-server refuses a backslash in the target outright.
    expect((await send(origin, "/x\\..\\_guarded\\stats")).status).toBe(400);
    const allowed = await send(origin, "/x/../_guarded/stats", {
      headers: { authorization: "Bearer s3cret" },
    });
    expect(allowed.status).toBe(200);
  });
});

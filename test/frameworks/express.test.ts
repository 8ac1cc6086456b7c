import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Request } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStatsHandler } from "../../src/index.js";
import { fixture } from "../http/contract.js";
import { send } from "../http/serve.js";
import { expectEveryEndpoint } from "./support.js";

describe("Express 5: app.use(path, createStatsHandler(registry))", () => {
  let server: Server;
  let origin: string;

  beforeAll(async () => {
    const { registry } = await fixture();
    const sick = await fixture({ unhealthy: true });
    // README: express
    const app = express();
    app.use("/_stats", createStatsHandler(registry));
    // README: end
    app.use("/_sick", createStatsHandler(sick.registry));
    // README: express-authorize
    app.use(
      "/_private",
      createStatsHandler(registry, {
        authorize: (req: Request, endpoint) =>
          endpoint === "metrics" || req.get("authorization") === "Bearer s3cret",
      }),
    );
    // README: end
    app.get("/", (_req, res) => {
      res.send("the application");
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("serves every endpoint under the mount: GET, HEAD, 404, 405", async () => {
    await expectEveryEndpoint(origin, "/_stats", true);
  });

  it("answers HEAD /health exactly as GET when unhealthy", async () => {
    await expectEveryEndpoint(origin, "/_sick", false);
  });

  it("leaves the application's own routes and 404s to Express", async () => {
    expect(await (await send(origin, "/")).text()).toBe("the application");
    const unknown = await send(origin, "/_stats/nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Cannot GET /_stats/nope");
  });

  it("applies authorize per endpoint", async () => {
    expect((await send(origin, "/_private/metrics")).status).toBe(200);
    expect((await send(origin, "/_private/stats")).status).toBe(401);
    expect((await send(origin, "/_private/")).status).toBe(401);
    const allowed = await send(origin, "/_private/stats", {
      headers: { authorization: "Bearer s3cret" },
    });
    expect(allowed.status).toBe(200);
  });
});

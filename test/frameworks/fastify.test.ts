import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStatsHandler, type StatisticsRegistry } from "../../src/index.js";
import { fixture } from "../http/contract.js";
import { send } from "../http/serve.js";
import { expectEveryEndpoint } from "./support.js";

/** The README's Fastify snippet, as a function so the test can mount it twice. */
function mountStats(app: FastifyInstance, registry: StatisticsRegistry, basePath: string): void {
  // README: fastify
  const handler = createStatsHandler(registry, { basePath });
  const serveStats = (request: FastifyRequest, reply: FastifyReply) => {
    reply.hijack(); // the handler writes the answer itself
    handler(request.raw, reply.raw);
  };
  app.all(basePath, serveStats);
  app.all(`${basePath}/*`, serveStats);
  // README: end
}

describe("Fastify 5: a route that hands request.raw and reply.raw to createStatsHandler", () => {
  let app: FastifyInstance;
  let origin: string;

  beforeAll(async () => {
    app = Fastify();
    mountStats(app, (await fixture()).registry, "/_stats");
    mountStats(app, (await fixture({ unhealthy: true })).registry, "/_sick");
    app.get("/", async () => "the application");
    origin = await app.listen({ port: 0, host: "127.0.0.1" });
  });

  afterAll(async () => {
    await app.close();
  });

  it("serves every endpoint under the mount: GET, HEAD, 404, 405", async () => {
    await expectEveryEndpoint(origin, "/_stats", true);
  });

  it("answers HEAD /health exactly as GET when unhealthy", async () => {
    await expectEveryEndpoint(origin, "/_sick", false);
  });

  it("leaves the application's own routes to Fastify", async () => {
    expect(await (await send(origin, "/")).text()).toBe("the application");
    expect((await send(origin, "/elsewhere")).status).toBe(404);
  });
});

import { describe, expect, it } from "vitest";
import { createFetchHandler, type FetchHandlerOptions } from "../../src/http/fetch-handler.js";
import type { RegistrySnapshot, StatisticsRegistry } from "../../src/index.js";
import { describeHandlerContract, fixture } from "./contract.js";

const ORIGIN = "http://stats.test";

/** Node's own Request and Response, no server: the handler is a plain function. */
function direct(registry: Pick<StatisticsRegistry, "collect">, options?: FetchHandlerOptions) {
  const handler = createFetchHandler(registry, options);
  return (path: string, init: { method?: string; headers?: Record<string, string> } = {}) =>
    handler(new Request(ORIGIN + path, init));
}

describeHandlerContract("createFetchHandler", async (registry, options) =>
  direct(registry, options),
);

describe("createFetchHandler", () => {
  it("answers a Request with a Response, Web APIs only", async () => {
    const { registry } = await fixture();
    const handler = createFetchHandler(registry, { basePath: "/_stats" });
    const response = await handler(new Request(`${ORIGIN}/_stats/metrics`));
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("component_stats_");
    expect((await handler(new Request(`${ORIGIN}/elsewhere`))).status).toBe(404);
  });

  it("hands authorize the Request, so a token header can open /stats", async () => {
    const { registry } = await fixture();
    const handler = createFetchHandler(registry, {
      authorize: (request, endpoint) =>
        endpoint === "metrics" || request.headers.get("authorization") === "Bearer s3cret",
    });
    expect((await handler(new Request(`${ORIGIN}/metrics`))).status).toBe(200);
    expect((await handler(new Request(`${ORIGIN}/stats`))).status).toBe(401);
    const allowed = await handler(
      new Request(`${ORIGIN}/stats`, { headers: { authorization: "Bearer s3cret" } }),
    );
    expect(allowed.status).toBe(200);
  });

  // What "request.url is already normalised" means: the URL parser resolved these before
  // the handler (or any middleware in front of it) could see them.
  it("matches the path of request.url, which the URL parser has already resolved", async () => {
    const { registry } = await fixture();
    const handler = createFetchHandler(registry, { basePath: "/_stats" });
    for (const [written, parsed] of [
      ["/x/../_stats/metrics", "/_stats/metrics"],
      ["/x/%2e%2e/_stats/metrics", "/_stats/metrics"],
      ["/x\\..\\_stats\\metrics", "/_stats/metrics"],
    ] as const) {
      const request = new Request(ORIGIN + written);
      expect(new URL(request.url).pathname).toBe(parsed);
      expect((await handler(request)).status, written).toBe(200);
    }
    // What the parser keeps is matched as is.
    for (const kept of ["//_stats/metrics", "/_stats/%6Detrics", "/_stats%2Fmetrics"]) {
      const request = new Request(ORIGIN + kept);
      expect(new URL(request.url).pathname).toBe(kept);
      expect((await handler(request)).status, kept).toBe(404);
    }
  });

  it("answers a bodiless 499 and renders nothing for a request aborted while collecting", async () => {
    const { registry } = await fixture();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    let started: () => void = () => {};
    const collecting = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow = {
      collect: async (): Promise<RegistrySnapshot> => {
        started();
        await gate;
        const snapshot = await registry.collect();
        return {
          ...snapshot,
          get components() {
            reads++;
            return snapshot.components;
          },
        };
      },
    };
    const handler = createFetchHandler(slow);
    const controller = new AbortController();
    const pending = handler(new Request(`${ORIGIN}/metrics`, { signal: controller.signal }));
    await collecting;
    controller.abort();
    release();
    const response = await pending;
    expect(response.status).toBe(499);
    expect(response.body).toBeNull();
    expect(reads).toBe(0);
  });
});

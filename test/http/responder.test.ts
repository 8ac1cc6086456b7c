import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createResponder, type StatsRequest } from "../../src/http/responder.js";
import type { StatsEndpoint } from "../../src/http/routes.js";
import {
  BaseStatisticsTracker,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";
import { fixture } from "./contract.js";
import { spyRegistry } from "./spy.js";

const get = (init: Partial<StatsRequest<undefined>> = {}): StatsRequest<undefined> => ({
  method: "GET",
  acceptEncoding: undefined,
  signal: undefined,
  native: undefined,
  ...init,
});

const text = (body: Uint8Array) => Buffer.from(body).toString("utf8");

/** How many reads of `snapshot.components` one render of `endpoint` makes. */
async function readsPerRender(endpoint: StatsEndpoint): Promise<number> {
  const { registry } = await fixture();
  const spy = spyRegistry(registry);
  await createResponder(spy, { reuseMs: 0 }).answer(endpoint, get());
  expect(spy.componentReads).toBeGreaterThan(0);
  return spy.componentReads;
}

describe("createResponder: shared collections and renders", () => {
  it("answers 20 concurrent requests for one endpoint with one collection and one render", async () => {
    const { registry } = await fixture();
    for (const endpoint of ["metrics", "stats", "health"] as const) {
      const perRender = await readsPerRender(endpoint);
      const spy = spyRegistry(registry);
      const responder = createResponder(spy, { reuseMs: 0 });
      spy.hold();
      const answers = Array.from({ length: 20 }, () => responder.answer(endpoint, get()));
      spy.release();
      const bodies = (await Promise.all(answers)).map((answer) =>
        text(answer?.body ?? new Uint8Array()),
      );
      expect(spy.collections, endpoint).toBe(1);
      expect(spy.componentReads, endpoint).toBe(perRender);
      expect(new Set(bodies).size).toBe(1);
    }
  });

  it("shares one collection between endpoints asked at the same time, each rendered once", async () => {
    const { registry } = await fixture();
    const perRender =
      (await readsPerRender("metrics")) +
      (await readsPerRender("stats")) +
      (await readsPerRender("health"));
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0 });
    spy.hold();
    const endpoints: StatsEndpoint[] = ["metrics", "stats", "health", "ready", "metrics"];
    const answers = endpoints.map((endpoint) => responder.answer(endpoint, get()));
    spy.release();
    expect((await Promise.all(answers)).map((answer) => answer?.status)).toEqual([
      200, 200, 200, 200, 200,
    ]);
    expect(spy.collections).toBe(1);
    expect(spy.componentReads).toBe(perRender);
  });

  it("shares one render between gzip and identity answers", async () => {
    const { registry } = await fixture();
    const perRender = await readsPerRender("metrics");
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0 });
    spy.hold();
    const answers = [undefined, "gzip", "gzip", "br"].map((acceptEncoding) =>
      responder.answer("metrics", get({ acceptEncoding })),
    );
    spy.release();
    const [identity, zipped, zippedAgain, other] = await Promise.all(answers);
    expect(spy.componentReads).toBe(perRender);
    expect(zipped?.headers["Content-Encoding"]).toBe("gzip");
    expect(zippedAgain?.body).toBe(zipped?.body);
    expect(other?.headers["Content-Encoding"]).toBeUndefined();
    expect(gunzipSync(zipped?.body ?? new Uint8Array()).toString("utf8")).toBe(
      text(identity?.body ?? new Uint8Array()),
    );
  });

  it("shares a page with a request that arrives while the page is being compressed", async () => {
    // On a manual clock a render takes 0 ms and reuseMs is 0: only a run still in
    // flight is shared. A /metrics of about 1 MB takes several turns to compress.
    const registry = new StatisticsRegistry({ cacheTtlMs: 0 });
    for (let c = 0; c < 10; c++) {
      const tracker = new BaseStatisticsTracker(`component_${c}`);
      registry.register(tracker);
      for (let o = 0; o < 50; o++) await tracker.recordTiming(`operation_${o}`, o);
    }
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0, clock: manualClock(0) });
    const first = responder.answer("metrics", get({ acceptEncoding: "gzip" }));
    // Once the page is rendered, its compression is under way.
    while (spy.componentReads === 0) await new Promise((resolve) => setImmediate(resolve));
    const second = responder.answer("metrics", get({ acceptEncoding: "gzip" }));
    const [zipped, zippedAgain] = await Promise.all([first, second]);
    expect(zipped?.body.byteLength).toBeGreaterThan(0);
    expect(spy.collections).toBe(1);
    expect(zippedAgain?.body).toBe(zipped?.body);
  });

  it("reuses a rendered answer for reuseMs after it was rendered, on the injected clock", async () => {
    const { registry, orders } = await fixture();
    const clock = manualClock(0);
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 500, clock });
    const first = await responder.answer("metrics", get());
    await orders.increment("orders_placed", 5);
    clock.advance(499);
    const reused = await responder.answer("metrics", get());
    expect(spy.collections).toBe(1);
    expect(reused?.body).toBe(first?.body);
    clock.advance(1);
    const fresh = await responder.answer("metrics", get());
    expect(spy.collections).toBe(2);
    expect(text(fresh?.body ?? new Uint8Array())).toContain(
      'component_stats_orders_placed_total{component="orders"} 105',
    );
    // A clock that steps back does not make an old answer young.
    clock.advance(-10);
    await responder.answer("metrics", get());
    expect(spy.collections).toBe(3);
  });

  it("reuses nothing with reuseMs: 0 once an answer is complete", async () => {
    const { registry } = await fixture();
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0, clock: manualClock(0) });
    for (let i = 1; i <= 3; i++) {
      await responder.answer("stats", get());
      expect(spy.collections).toBe(i);
    }
  });

  it("skips the render when every client waiting for it has gone, and renders for the next", async () => {
    const { registry } = await fixture();
    const perRender = await readsPerRender("metrics");
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 1000, clock: manualClock(0) });
    spy.hold();
    const controllers = [new AbortController(), new AbortController()];
    const started = spy.started();
    const answers = controllers.map((controller) =>
      responder.answer("metrics", get({ signal: controller.signal })),
    );
    await started;
    for (const controller of controllers) controller.abort();
    expect(await Promise.all(answers)).toEqual([undefined, undefined]);
    spy.release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(spy.componentReads).toBe(0);
    // Nothing was kept for reuse: the next request collects and renders.
    const next = await responder.answer("metrics", get());
    expect(next?.status).toBe(200);
    expect(spy.collections).toBe(2);
    expect(spy.componentReads).toBe(perRender);
  });

  it("still renders for the clients that stayed when one of them goes", async () => {
    const { registry } = await fixture();
    const perRender = await readsPerRender("metrics");
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0 });
    spy.hold();
    const leaving = new AbortController();
    const started = spy.started();
    const gone = responder.answer("metrics", get({ signal: leaving.signal }));
    const staying = responder.answer("metrics", get({ signal: new AbortController().signal }));
    await started;
    leaving.abort();
    spy.release();
    expect(await gone).toBeUndefined();
    expect((await staying)?.status).toBe(200);
    expect(spy.componentReads).toBe(perRender);
  });

  it("renders for a client that joins a run after everyone else left it", async () => {
    const { registry } = await fixture();
    const perRender = await readsPerRender("metrics");
    const spy = spyRegistry(registry);
    const responder = createResponder(spy, { reuseMs: 0 });
    spy.hold();
    const leaving = new AbortController();
    const started = spy.started();
    const gone = responder.answer("metrics", get({ signal: leaving.signal }));
    await started;
    leaving.abort();
    const late = responder.answer("metrics", get());
    spy.release();
    expect(await gone).toBeUndefined();
    expect((await late)?.status).toBe(200);
    expect(spy.collections).toBe(1);
    expect(spy.componentReads).toBe(perRender);
  });

  it("turns an export that throws into a 500 and reports it", async () => {
    const broken = {
      collect: async (): Promise<RegistrySnapshot> => ({
        ...(await new StatisticsRegistry().collect()),
        timestamp: Number.NaN,
      }),
    };
    const reported: unknown[] = [];
    const responder = createResponder(broken, { onError: (error) => reported.push(error) });
    const answer = await responder.answer("stats", get());
    expect(answer?.status).toBe(500);
    expect(text(answer?.body ?? new Uint8Array())).toContain("timestamp");
    expect(reported).toHaveLength(1);
  });

  it("answers /health 503 with the reason when the verdict cannot be computed", async () => {
    const unreadable = {
      collect: async (): Promise<RegistrySnapshot> => ({
        ...(await new StatisticsRegistry().collect()),
        get components(): never {
          throw new Error("snapshot unreadable");
        },
      }),
    };
    const reported: unknown[] = [];
    const responder = createResponder(unreadable, { onError: (error) => reported.push(error) });
    for (const endpoint of ["health", "ready"] as const) {
      const answer = await responder.answer(endpoint, get());
      expect(answer?.status).toBe(503);
      expect(JSON.parse(text(answer?.body ?? new Uint8Array()))).toEqual({
        status: "unknown",
        healthy: false,
        reason: "snapshot unreadable",
      });
    }
    expect(reported.length).toBeGreaterThan(0);
    const metrics = await responder.answer("metrics", get());
    expect(metrics?.status).toBe(500);
  });

  it("builds the dashboard once, on its first request", async () => {
    const responder = createResponder(new StatisticsRegistry(), {});
    const first = await responder.answer("dashboard", get());
    const second = await responder.answer("dashboard", get());
    expect(first?.status).toBe(200);
    expect(second?.body).toBe(first?.body);
  });
});

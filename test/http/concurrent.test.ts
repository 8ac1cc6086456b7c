import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStatsHandler, type StatsHandlerOptions } from "../../src/http/handler.js";
import { BaseStatisticsTracker, manualClock, StatisticsRegistry } from "../../src/index.js";
import { openSocket, type RawAnswer, readAnswer, requestHead } from "./raw.js";
import { type Served, serve } from "./serve.js";
import { type SpyRegistry, spyRegistry } from "./spy.js";

/** 100 components × 50 operations: a /metrics of about 13 MB (116,000 lines) that takes tens of ms to render. */
async function largeRegistry(): Promise<StatisticsRegistry> {
  const registry = new StatisticsRegistry({ cacheTtlMs: 0 });
  for (let c = 0; c < 100; c++) {
    const tracker = new BaseStatisticsTracker(`component_${c}`);
    registry.register(tracker);
    for (let o = 0; o < 50; o++) {
      for (let s = 0; s < 20; s++) await tracker.recordTiming(`operation_${o}`, s + o);
    }
  }
  return registry;
}

/**
 * Connects `clients` sockets first, then writes every request in one go, so they all
 * reach the server together, as a burst of scrapers would; resolves with every answer.
 */
async function burst(port: number, clients: number, headers: string[]): Promise<RawAnswer[]> {
  const sockets = await Promise.all(Array.from({ length: clients }, () => openSocket(port)));
  const answers = sockets.map((socket) => readAnswer(socket));
  const head = requestHead("GET", "/metrics", ["Host: h", "Connection: close", ...headers]);
  for (const socket of sockets) socket.write(`${head}\r\n\r\n`);
  return Promise.all(answers);
}

/**
 * How long `work` took, and the longest the event loop was blocked meanwhile, in
 * milliseconds: the longest gap between the ticks of a 1 ms interval timer.
 */
async function measure(work: () => Promise<unknown>): Promise<{ wallMs: number; blockMs: number }> {
  const started = performance.now();
  let lastTickMs = started;
  let blockMs = 0;
  const ticker = setInterval(() => {
    const nowMs = performance.now();
    blockMs = Math.max(blockMs, nowMs - lastTickMs);
    lastTickMs = nowMs;
  }, 1);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  const endMs = performance.now();
  return { wallMs: endMs - started, blockMs: Math.max(blockMs, endMs - lastTickMs) };
}

describe("concurrent scrapes of a large registry", () => {
  let inner: StatisticsRegistry;
  const servers: Served[] = [];

  beforeAll(async () => {
    inner = await largeRegistry();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((served) => served.close()));
  });

  async function start(options: StatsHandlerOptions = {}): Promise<{
    spy: SpyRegistry;
    port: number;
  }> {
    const spy = spyRegistry(inner);
    const served = await serve(createStatsHandler(spy, options));
    servers.push(served);
    return { spy, port: served.port };
  }

  it("answers 20 concurrent GET /metrics with one collection and one render, gzip as Prometheus asks", async () => {
    // A scrape to warm the code up, then one alone: what a render costs here, and the
    // reads one render makes.
    await burst((await start()).port, 1, ["Accept-Encoding: gzip"]);
    const single = await start();
    let one: RawAnswer[] = [];
    const alone = await measure(async () => {
      one = await burst(single.port, 1, ["Accept-Encoding: gzip"]);
    });
    const readsPerRender = single.spy.componentReads;
    expect(one[0]?.status).toBe(200);

    const shared = await start();
    let twenty: RawAnswer[] = [];
    const together = await measure(async () => {
      twenty = await burst(shared.port, 20, ["Accept-Encoding: gzip"]);
    });
    const first = twenty[0] as RawAnswer;
    const zipped = Buffer.from(first.body, "latin1");
    const ms = (value: number) => `${value.toFixed(0)} ms`;
    console.info(
      `[concurrent] /metrics ${zipped.byteLength} bytes as sent (${first.headers["content-encoding"] ?? "identity"}), ` +
        `${shared.spy.collections} collection(s) for 20 requests; 1 scrape: answered in ${ms(alone.wallMs)}, ` +
        `longest block ${ms(alone.blockMs)}; 20 concurrent: all answered in ${ms(together.wallMs)}, ` +
        `longest block ${ms(together.blockMs)}`,
    );
    expect(twenty.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    // One in the usual case (9 runs of 9 on a quiet machine); a loaded machine may still
    // split a burst in two. Without sharing it is 20.
    expect(shared.spy.collections).toBeLessThanOrEqual(2);
    expect(shared.spy.componentReads).toBe(readsPerRender * shared.spy.collections);
    const bodies = new Set(
      twenty.map((answer) => answer.raw.slice(answer.raw.indexOf("\r\n\r\n"))),
    );
    expect(bodies.size).toBeLessThanOrEqual(shared.spy.collections);
    expect(first.headers["content-encoding"]).toBe("gzip");
    expect(first.headers.vary).toBe("Accept-Encoding");
    const text = gunzipSync(zipped).toString("utf8");
    expect(text).toContain("component_99");
    expect(text).toContain("operation_49");

    // The counts above are the check; the timing only has to show no 20-fold cost.
    expect(together.wallMs).toBeLessThan(Math.max(3 * alone.wallMs, alone.wallMs + 250));
    expect(together.blockMs).toBeLessThan(Math.max(3 * alone.blockMs, alone.blockMs + 250));
  });

  it("renders again for a scrape that comes after the reuse time, on the injected clock", async () => {
    // On a manual clock a render takes 0 ms, so only reuseMs keeps an answer.
    const clock = manualClock(0);
    const plain = await start({ clock });
    await burst(plain.port, 1, []);
    await burst(plain.port, 1, []);
    expect(plain.spy.collections).toBe(2);
    const reusing = await start({ clock, reuseMs: 60_000 });
    await burst(reusing.port, 1, []);
    clock.advance(59_999);
    await burst(reusing.port, 1, []);
    expect(reusing.spy.collections).toBe(1);
    clock.advance(1);
    await burst(reusing.port, 1, []);
    expect(reusing.spy.collections).toBe(2);
  });
});

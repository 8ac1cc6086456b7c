import { MessageChannel, type MessagePort } from "node:worker_threads";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterRegistry } from "../../src/cluster/cluster-registry.js";
import { REPLY_TYPE, REQUEST_TYPE } from "../../src/cluster/protocol.js";
import { shareStats } from "../../src/cluster/share.js";
import { exportJson } from "../../src/export/json.js";
import { createMetricProducer, toHrTime } from "../../src/export/opentelemetry.js";
import { renderPrometheus } from "../../src/export/prometheus.js";
import { createFetchHandler } from "../../src/http/fetch-handler.js";
import { StatisticsRegistry } from "../../src/registry/registry.js";
import { manualClock } from "../../src/shared/clock.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";
import { PROMTOOL, promtoolCheck } from "../export/exposition.js";
import { nextMessage } from "./support.js";

/**
 * The cluster registry in one thread: workers are the far ends of MessageChannels
 * answered by shareStats (the real-process tests are cluster.test.ts and
 * threads.test.ts).
 */

const ports: MessagePort[] = [];

afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

function channel(): { worker: MessagePort; primary: MessagePort } {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  return { worker: port1, primary: port2 };
}

async function sharedTracker(name: string, requests: number, samples: number[]) {
  const registry = new StatisticsRegistry();
  const tracker = new BaseStatisticsTracker(name);
  registry.register(tracker);
  await tracker.increment("requests", requests);
  for (const value of samples) await tracker.recordTiming("get", value);
  const { worker, primary } = channel();
  const sharing = shareStats(registry, { port: worker });
  return { registry, tracker, primary, sharing };
}

describe("ClusterRegistry options", () => {
  it.each([
    [{ timeoutMs: 0 }, /`timeoutMs` to be a number > 0/],
    [{ timeoutMs: 2 ** 31 }, /`timeoutMs`/],
    [{ timeoutMs: "1" }, /`timeoutMs` to be a finite number/],
    [{ healthyThreshold: 101 }, /`healthyThreshold`/],
    [{ healthyThreshold: Number.NaN }, /`healthyThreshold`/],
    [{ defaultGaugeRule: "avg" }, /`defaultGaugeRule` to be "sum", "min", "max" or "perWorker"/],
    [{ gauges: null }, /`gauges` to be an object/],
    [{ gauges: { conns: "each" } }, /`gauges\["conns"\]`/],
    [{ local: {} }, /`local` to be a StatisticsRegistry/],
    [{ clock: { now: 1 } }, /`clock` to be an object with a now\(\) method/],
    [{ clusterWorkers: "no" }, /`clusterWorkers` to be a boolean/],
    [{ nonCritical: "cache" }, /`nonCritical` to be an array of component names/],
    [{ nonCritical: ["cache", 3] }, /`nonCritical\[1\]`/],
  ])("rejects %o naming the option", (options, message) => {
    expect(() => new ClusterRegistry(options as never)).toThrow(message);
  });

  it("rejects options that are not an object", () => {
    expect(() => new ClusterRegistry(null as never)).toThrow(/`options` to be an object/);
  });
});

describe("ClusterRegistry.addWorker", () => {
  it("rejects what is not a Worker or MessagePort, a second add, and taken or generated names", () => {
    const registry = new ClusterRegistry();
    const { primary } = channel();
    expect(() => registry.addWorker({} as never)).toThrow(
      /Worker from node:worker_threads or a MessagePort/,
    );
    expect(() => registry.addWorker(primary, null as never)).toThrow(/`options`/);
    expect(() => registry.addWorker(primary, { name: "" })).toThrow(/`options.name`/);
    expect(() => registry.addWorker(primary, { name: "cluster-3" })).toThrow(/generated key/);
    registry.addWorker(primary, { name: "resizer" });
    expect(() => registry.addWorker(primary)).toThrow(/already added/);
    expect(() => registry.addWorker(channel().primary, { name: "resizer" })).toThrow(
      /already added/,
    );
    expect(registry.workers()).toEqual([{ worker: "resizer", kind: "port" }]);
  });

  it("stops asking a removed worker, whose lifetime figures keep counting", async () => {
    const a = await sharedTracker("api", 1, [1]);
    const b = await sharedTracker("api", 10, [2]);
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(a.primary);
    registry.addWorker(b.primary);
    expect((await registry.collect()).components[0]?.stats?.counters.requests).toBe(11);
    expect(registry.removeWorker(b.primary)).toBe(true);
    expect(registry.removeWorker(b.primary)).toBe(false);
    const after = await registry.collect();
    expect(after.workers.map((w) => [w.worker, w.outcome, w.reason])).toEqual([
      ["port-1", "ok", undefined],
      ["port-2", "exited", "removed"],
    ]);
    expect(after.components[0]?.stats?.counters.requests).toBe(11);
    expect(after.components[0]?.stats?.performanceMetrics.get?.maxMs).toBe(1);
  });

  it("adds a port that takes the name of a closed one to its figures, not over them", async () => {
    const stays = await sharedTracker("api", 1, [1]);
    const first = await sharedTracker("api", 100, [2]);
    const registry = new ClusterRegistry({ timeoutMs: 5000, clock: manualClock(0) });
    registry.addWorker(stays.primary);
    registry.addWorker(first.primary, { name: "resizer" });
    expect((await registry.collect()).components[0]?.stats?.counters.requests).toBe(101);
    const closed = new Promise((resolve) => first.primary.once("close", resolve));
    first.primary.close();
    await closed;
    const second = await sharedTracker("api", 5, [3]);
    registry.addWorker(second.primary, { name: "resizer" });
    const snapshot = await registry.collect();
    expect(snapshot.workers.map((w) => [w.worker, w.outcome, w.reason])).toEqual([
      ["port-1", "ok", undefined],
      ["resizer", "ok", undefined],
      ["resizer", "exited", "closed"],
    ]);
    expect(snapshot.components[0]?.stats?.counters.requests).toBe(106);
    expect(snapshot.components[0]?.stats?.performanceMetrics.get?.count).toBe(3);
    expect((await registry.collect()).components[0]?.stats?.counters.requests).toBe(106);
  });

  it("counts a removed port once when it is added again, and once when it closes", async () => {
    const stays = await sharedTracker("api", 1, [1]);
    const paused = await sharedTracker("api", 10, [2]);
    const registry = new ClusterRegistry({ timeoutMs: 5000, clock: manualClock(0) });
    const requests = async () => (await registry.collect()).components[0]?.stats?.counters.requests;
    registry.addWorker(stays.primary);
    registry.addWorker(paused.primary);
    expect(await requests()).toBe(11);
    registry.removeWorker(paused.primary);
    expect(await requests()).toBe(11);
    registry.addWorker(paused.primary, { name: "paused" });
    expect(await requests()).toBe(11);
    registry.removeWorker(paused.primary);
    expect(await requests()).toBe(11);
    const closed = new Promise((resolve) => paused.primary.once("close", resolve));
    paused.primary.close();
    await closed;
    expect(await requests()).toBe(11);
    expect(await requests()).toBe(11);
  });

  it("drops a port whose other end closed, and reports it once", async () => {
    const a = await sharedTracker("api", 1, [1]);
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(a.primary);
    await registry.collect();
    const closed = new Promise((resolve) => a.primary.once("close", resolve));
    a.primary.close();
    await closed;
    expect(registry.workers()).toEqual([]);
    const snapshot = await registry.collect();
    expect(snapshot.workers).toEqual([
      { worker: "port-1", kind: "port", outcome: "exited", reason: "closed" },
    ]);
    // Lifetime figures of a worker that left only add to names a live worker reports.
    expect(snapshot.components).toEqual([]);
  });
});

describe("ClusterRegistry.collect", () => {
  it("merges the local registry as worker primary, with the workers'", async () => {
    const local = new StatisticsRegistry();
    const tracker = new BaseStatisticsTracker("api");
    local.register(tracker);
    await tracker.increment("requests", 5);
    await tracker.recordTiming("get", 100);
    const remote = await sharedTracker("api", 1, [1, 2]);
    const registry = new ClusterRegistry({ local, timeoutMs: 5000 });
    registry.addWorker(remote.primary);
    expect(registry.workers().map((w) => w.worker)).toEqual(["primary", "port-1"]);
    const snapshot = await registry.collect();
    expect(snapshot.workers.map((w) => [w.worker, w.kind, w.outcome])).toEqual([
      ["primary", "primary", "ok"],
      ["port-1", "port", "ok"],
    ]);
    expect(snapshot.components[0]?.stats?.counters.requests).toBe(6);
    expect(snapshot.components[0]?.stats?.performanceMetrics.get).toMatchObject({
      count: 3,
      minMs: 1,
      maxMs: 100,
      p50Ms: 2,
    });
  });

  it("keeps each worker's verdict, the worst one per component, and reads nonCritical for its own", async () => {
    // The workers judge by their own rules: the primary's lists "lagging" as unhealthy.
    const verdict = { statuses: { lagging: "unhealthy" as const } };
    const local = new StatisticsRegistry({ verdict });
    const tracker = new BaseStatisticsTracker("api");
    local.register(tracker);
    await tracker.setStatus("lagging");
    const remote = await sharedTracker("api", 1, [1]);
    await remote.tracker.setStatus("connected");
    const strict = new ClusterRegistry({ local, timeoutMs: 5000 });
    strict.addWorker(remote.primary);
    const snapshot = await strict.collect();
    expect(snapshot.components[0]).toMatchObject({
      verdict: "unhealthy",
      reasons: ['primary: status "lagging"'],
    });
    expect(snapshot.health).toMatchObject({ verdict: "unhealthy", healthy: false });

    const lenient = new ClusterRegistry({ local, timeoutMs: 5000, nonCritical: ["api"] });
    const softened = await lenient.collect();
    expect(softened.components[0]?.verdict).toBe("unhealthy");
    expect(softened.health).toMatchObject({
      verdict: "degraded",
      healthy: true,
      reasons: ['api is unhealthy (not critical): primary: status "lagging"'],
    });
  });

  it("reports a local registry that fails as an error, without failing the collection", async () => {
    const registry = new ClusterRegistry({
      local: { collect: () => Promise.reject(new Error("boom")) },
    });
    const snapshot = await registry.collect();
    expect(snapshot.workers).toEqual([
      expect.objectContaining({ worker: "primary", outcome: "error", reason: "Error: boom" }),
    ]);
    expect(snapshot.components).toEqual([
      expect.objectContaining({ name: "worker:primary", outcome: "error", healthScore: 0 }),
    ]);
  });

  it("reports a worker that answers with something malformed as an error", async () => {
    const { worker, primary } = channel();
    worker.on("message", (message: { id: string }) => {
      worker.postMessage({
        type: REPLY_TYPE,
        v: 1,
        id: message.id,
        snapshot: { components: "no" },
      });
    });
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(primary, { name: "odd" });
    const snapshot = await registry.collect();
    expect(snapshot.workers[0]).toMatchObject({ worker: "odd", outcome: "error" });
    expect(snapshot.workers[0]?.reason).toMatch(/snapshot.components to be an array/);
  });

  it("reports a worker whose answer holds a transferred MessagePort as an error, and never rejects", async () => {
    // Each answer carries a port where data is expected: in an error record (read by
    // the merged view), in a field of a report this version does not know, or in the
    // snapshot itself (both kept for collectWorkers). Copying the merged view out
    // threw "Object that needs transfer was found in message but not listed in
    // transferList", which rejected collect() and crashed a process calling it unawaited.
    const report = {
      name: "c",
      outcome: "ok",
      status: "connected",
      healthScore: 90,
      weight: 1,
      verdict: "healthy",
      reasons: [],
      stats: {
        name: "c",
        status: "connected",
        uptimeSeconds: 1,
        lastActivity: null,
        errorCount: 1,
        memoryUsageMb: 0,
        healthScore: 90,
        counters: { n: 1 },
        gauges: {},
        performanceMetrics: {},
      },
    };
    const places = [
      (port: MessagePort) => ({
        components: [
          { ...report, recentErrors: [{ timestamp: 1, error: "x", details: { port } }] },
        ],
      }),
      (port: MessagePort) => ({ components: [{ ...report, port }] }),
      (port: MessagePort) => ({ components: [report], port }),
    ];
    for (const place of places) {
      const { worker, primary } = channel();
      worker.on("message", (message: { id: string }) => {
        const { port1, port2 } = new MessageChannel();
        ports.push(port2);
        const snapshot = { timestamp: 0, ...place(port1) };
        worker.postMessage({ type: REPLY_TYPE, v: 1, id: message.id, windows: [], snapshot }, [
          port1,
        ]);
      });
      const registry = new ClusterRegistry({ timeoutMs: 5000, clock: manualClock(0) });
      registry.addWorker(primary, { name: "odd" });
      const [snapshot, workers] = await Promise.all([
        registry.collect(),
        registry.collectWorkers(),
      ]);
      expect(snapshot.workers).toEqual([
        expect.objectContaining({
          worker: "odd",
          outcome: "error",
          reason: expect.stringMatching(/to hold only data that can be copied/),
        }),
      ]);
      expect(snapshot.components.map((c) => [c.name, c.outcome])).toEqual([
        ["worker:odd", "error"],
      ]);
      expect(workers).toEqual([expect.objectContaining({ worker: "odd", outcome: "error" })]);
    }
  });

  it("shares one round between concurrent calls, gives each its own copy, and starts a new one after", async () => {
    const { worker, primary } = channel();
    const ids: string[] = [];
    const sharing = shareStats(new StatisticsRegistry(), { port: worker });
    worker.on("message", (message: { id: string }) => ids.push(message.id));
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(primary);
    const [a, b, workers] = await Promise.all([
      registry.collect(),
      registry.collect(),
      registry.collectWorkers(),
    ]);
    expect(ids).toHaveLength(1);
    expect(a).toEqual(b);
    a.components.push({
      name: "x",
      outcome: "ok",
      status: "x",
      healthScore: 1,
      weight: 1,
      verdict: "healthy",
      reasons: [],
    });
    expect(b.components).toEqual([]);
    expect(workers).toEqual([
      expect.objectContaining({ worker: "port-1", outcome: "ok", snapshot: expect.any(Object) }),
    ]);
    await registry.collect();
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
    sharing.stop();
  });

  it("settles a silent worker as a timeout, clears its timer and removes its listeners", async () => {
    const { worker, primary } = channel();
    const requests: unknown[] = [];
    worker.on("message", (message) => requests.push(message));
    const registry = new ClusterRegistry({ timeoutMs: 50 });
    registry.addWorker(primary, { name: "silent" });
    const before = primary.listenerCount("message");
    const snapshot = await registry.collect();
    expect(requests).toEqual([{ type: REQUEST_TYPE, v: 1, id: expect.any(String) }]);
    expect(snapshot.workers).toEqual([
      expect.objectContaining({
        worker: "silent",
        outcome: "timeout",
        reason: expect.stringContaining("50 ms"),
      }),
    ]);
    expect(primary.listenerCount("message")).toBe(before);
    // A late answer to the settled round is ignored; the next round asks again.
    worker.postMessage({ type: REPLY_TYPE, v: 1, id: (requests[0] as { id: string }).id });
    expect((await registry.collect()).workers[0]?.outcome).toBe("timeout");
  });

  it("leaves no timer behind once every worker answered", async () => {
    const remote = await sharedTracker("api", 1, [1]);
    const registry = new ClusterRegistry({ timeoutMs: 60_000 });
    registry.addWorker(remote.primary);
    await registry.collect();
    const timers = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === "Timeout").length;
    const before = timers();
    const collection = registry.collect();
    expect(timers()).toBe(before + 1);
    await collection;
    expect(timers()).toBe(before);
  });

  it("settles at once with no worker and no local registry", async () => {
    const registry = new ClusterRegistry();
    expect(registry.workers()).toEqual([]);
    const snapshot = await registry.collect();
    expect(snapshot).toMatchObject({ components: [], workers: [], health: { healthy: true } });
    expect(await registry.collectWorkers()).toEqual([]);
  });

  it("stamps the snapshot and the answer times on its clock; a broken or throwing clock reads as 0", async () => {
    const clock = manualClock(1000);
    const remote = await sharedTracker("api", 1, [1]);
    const registry = new ClusterRegistry({ clock, timeoutMs: 5000 });
    registry.addWorker(remote.primary);
    const snapshot = await registry.collect();
    expect(snapshot.timestamp).toBe(1000);
    expect(snapshot.workers[0]?.durationMs).toBe(0);
    const broken = new ClusterRegistry({ clock: { now: () => Number.NaN } });
    expect((await broken.collect()).timestamp).toBe(0);
    const throwing = new ClusterRegistry({
      clock: {
        now: () => {
          throw new Error("no time");
        },
      },
    });
    expect((await throwing.collect()).timestamp).toBe(0);
  });

  it("keeps the per-worker gauges of a merged view merged again, shared up or as local", async () => {
    const gauged = async (connections: number) => {
      const registry = new StatisticsRegistry();
      const tracker = new BaseStatisticsTracker("http");
      registry.register(tracker);
      await tracker.setGauge("connections", connections);
      await tracker.setGauge("queue", connections);
      const { worker, primary } = channel();
      shareStats(registry, { port: worker });
      return primary;
    };
    const gauges = { connections: "perWorker" as const };
    const inner = new ClusterRegistry({ timeoutMs: 5000, gauges, clock: manualClock(0) });
    inner.addWorker(await gauged(3), { name: "a" });
    inner.addWorker(await gauged(4), { name: "b" });
    const perWorker = { connections: { a: 3, b: 4 } };
    expect((await inner.collect()).components[0]?.stats?.workerGauges).toEqual(perWorker);

    // A process running threads shares its merged view up, as one worker of another.
    const { worker, primary } = channel();
    shareStats(inner, { port: worker });
    const outer = new ClusterRegistry({ timeoutMs: 5000, gauges, clock: manualClock(0) });
    outer.addWorker(primary, { name: "proc1" });
    const shared = (await outer.collect()).components[0]?.stats;
    expect(shared?.gauges).toEqual({ queue: 7 });
    expect(shared?.workerGauges).toEqual(perWorker);
    const text = await renderPrometheus(outer);
    expect(text).toContain('component_stats_connections{component="http",worker="a"} 3\n');
    expect(text).toContain('component_stats_connections{component="http",worker="b"} 4\n');

    const local = new ClusterRegistry({
      local: inner,
      clusterWorkers: false,
      gauges,
      clock: manualClock(0),
    });
    expect((await local.collect()).components[0]?.stats?.workerGauges).toEqual(perWorker);
  });

  it("is accepted by the exporters wherever a registry is", async () => {
    const remote = await sharedTracker("api", 3, [1]);
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(remote.primary);
    const text = await renderPrometheus(registry);
    expect(text).toContain('component_stats_requests_total{component="api"} 3\n');
    const json = JSON.parse(exportJson(await registry.collect()));
    expect(json.workers).toEqual([expect.objectContaining({ worker: "port-1", outcome: "ok" })]);
  });

  it("exports the merged histograms and up-down counters cleanly: promtool, the OpenTelemetry SDK, the fetch handler", async () => {
    const START = 1_700_000_000_000;
    const worker = async (startMs: number, samples: number[], inflight: number[]) => {
      const clock = manualClock(startMs);
      const registry = new StatisticsRegistry({ clock });
      const tracker = new BaseStatisticsTracker("api", { clock });
      registry.register(tracker);
      for (const value of samples) await tracker.recordTiming("get", value);
      for (const step of inflight) await tracker.increment("inflight", step);
      const { worker: port, primary } = channel();
      shareStats(registry, { port });
      return primary;
    };
    const registry = new ClusterRegistry({ timeoutMs: 5000 });
    registry.addWorker(await worker(START + 5000, [0.2, 30], [2, -1]));
    registry.addWorker(await worker(START, [3, 3000], [3]));

    const text = await renderPrometheus(registry);
    const series = '{component="api",operation="get"';
    expect(text).toContain(`component_stats_operation_duration_seconds_count${series}} 4\n`);
    expect(text).toContain(`component_stats_operation_duration_seconds_sum${series}} 3.0332\n`);
    expect(text).toContain(
      `component_stats_operation_duration_seconds_bucket${series},le="0.00025"} 1\n`,
    );
    expect(text).toContain(
      `component_stats_operation_duration_seconds_bucket${series},le="2.5"} 3\n`,
    );
    // One worker's counter went down: the merged one is an up-down counter, a gauge.
    expect(text).toContain("# TYPE component_stats_inflight_net gauge\n");
    expect(text).toContain('component_stats_inflight_net{component="api"} 4\n');
    if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });

    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 3_600_000,
      metricProducers: [createMetricProducer(registry)],
    });
    const provider = new MeterProvider({ readers: [reader] });
    try {
      await reader.forceFlush();
      const metrics = exporter
        .getMetrics()
        .flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
      const byName = new Map(metrics.map((metric) => [metric.descriptor.name, metric]));
      const histogram = byName.get("component_stats.operation.duration")?.dataPoints[0];
      expect(histogram?.value).toMatchObject({ count: 4, sum: 3.0332, min: 0.0002, max: 3 });
      // The cumulative start is the earliest worker's.
      expect(histogram?.startTime).toEqual(toHrTime(START));
      const inflight = byName.get("component_stats.inflight_net");
      expect(inflight?.dataPointType === DataPointType.SUM && inflight.isMonotonic).toBe(false);
      expect(inflight?.dataPoints[0]?.value).toBe(4);
    } finally {
      await provider.shutdown();
    }

    const response = await createFetchHandler(registry)(new Request("http://stats/metrics"));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(
      `component_stats_operation_duration_seconds_count${series}} 4\n`,
    );
  });
});

describe("a request left unanswered by a closed port", () => {
  it("settles as exited when the worker's end closes during the round", async () => {
    const { worker, primary } = channel();
    const registry = new ClusterRegistry({ timeoutMs: 20_000 });
    registry.addWorker(primary);
    const collection = registry.collect();
    await nextMessage(worker, REQUEST_TYPE);
    worker.close();
    const snapshot = await collection;
    expect(snapshot.workers).toEqual([
      expect.objectContaining({ outcome: "exited", reason: "closed" }),
    ]);
    expect((await registry.collect()).workers).toEqual([]);
  });
});

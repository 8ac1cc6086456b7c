import type { Meter } from "@opentelemetry/api";
import {
  AggregationTemporality,
  DataPointType,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it, vi } from "vitest";
import { observeRegistry } from "../../src/export/opentelemetry.js";
import {
  BaseStatisticsTracker,
  formatPrometheus,
  manualClock,
  type StatisticsProvider,
  StatisticsRegistry,
} from "../../src/index.js";
import { parseExposition } from "./exposition.js";

const START = 1_700_000_000_000;

interface Point {
  name: string;
  attributes: Record<string, string>;
  value: number;
}

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

function pipeline() {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never elapses in a test: every collection is a forceFlush.
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  const meter = provider.getMeter("component-stats-test");
  /** Collects once and returns the metrics of that collection. */
  const collect = async (): Promise<MetricData[]> => {
    exporter.reset();
    await reader.forceFlush();
    return exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
  };
  return { meter, collect };
}

function points(metrics: MetricData[]): Point[] {
  return metrics.flatMap((metric) =>
    metric.dataPoints.map((point) => ({
      name: metric.descriptor.name,
      attributes: point.attributes as Record<string, string>,
      value: point.value as number,
    })),
  );
}

function prometheusPoints(text: string): Point[] {
  return parseExposition(text).flatMap((family) =>
    family.samples.map((sample) => ({
      name: sample.name,
      attributes: sample.labels,
      value: sample.value,
    })),
  );
}

const byKey = (a: Point, b: Point) => key(a).localeCompare(key(b));
const key = (p: Point) => JSON.stringify([p.name, Object.entries(p.attributes).sort()]);

async function busyRegistry() {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock });
  const orders = new BaseStatisticsTracker("orders", { clock });
  const feed = new BaseStatisticsTracker('feed "main"', { clock });
  registry.register(orders);
  registry.register(feed, { weight: 2 });
  await orders.increment("placed", 7);
  await orders.increment("cancelled", 0);
  await orders.setGauge("open orders", 3);
  await orders.setStatus("connected");
  for (const ms of [5, 10, 20, 40]) await orders.recordTiming("place", ms);
  await feed.trackError(new Error("gap"), "feed");
  await feed.setGauge("lag", 0);
  clock.advance(65_000);
  return { clock, registry, orders, feed };
}

describe("observeRegistry", () => {
  it("reports the same names, attributes and values as the Prometheus output", async () => {
    const { meter, collect } = pipeline();
    const { registry } = await busyRegistry();
    const bridge = observeRegistry(meter, registry);
    await bridge.ready;
    const otel = points(await collect()).sort(byKey);
    const prometheus = prometheusPoints(formatPrometheus(await registry.collect())).sort(byKey);
    expect(otel).toEqual(prometheus);
    expect(otel.length).toBeGreaterThan(20);
  });

  it("reports the registry's own numbers", async () => {
    const { meter, collect } = pipeline();
    const { registry, orders, feed } = await busyRegistry();
    await observeRegistry(meter, registry).ready;
    const all = points(await collect());
    const value = (name: string, attributes: Record<string, string>) =>
      all.find(
        (p) => p.name === name && JSON.stringify(p.attributes) === JSON.stringify(attributes),
      )?.value;
    const ordersStats = await orders.getStats();
    expect(value("component_stats_placed_total", { component: "orders" })).toBe(7);
    expect(value("component_stats_cancelled_total", { component: "orders" })).toBe(0);
    expect(value("component_stats_open_orders", { component: "orders" })).toBe(3);
    expect(value("component_stats_lag", { component: 'feed "main"' })).toBe(0);
    expect(value("component_stats_errors_total", { component: 'feed "main"' })).toBe(1);
    expect(value("component_stats_health_score", { component: "orders" })).toBe(
      ordersStats.healthScore,
    );
    expect(value("component_stats_health_score", { component: 'feed "main"' })).toBe(
      await feed.getHealthScore(),
    );
    expect(value("component_stats_uptime_seconds", { component: "orders" })).toBe(65);
    expect(value("component_stats_status", { component: "orders", status: "connected" })).toBe(1);
    expect(value("component_stats_status", { component: "orders", status: "initializing" })).toBe(
      0,
    );
    const place = ordersStats.performanceMetrics.place;
    expect(
      value("component_stats_place_duration_seconds", { component: "orders", quantile: "0.9" }),
    ).toBeCloseTo((place?.p90Ms ?? Number.NaN) / 1000, 15);
    expect(value("component_stats_place_duration_seconds_count", { component: "orders" })).toBe(4);
    expect(value("component_stats_place_duration_seconds_sum", { component: "orders" })).toBe(
      0.075,
    );
  });

  it("uses counters, up-down counters and gauges as their meaning requires, with units", async () => {
    const { meter, collect } = pipeline();
    const { registry } = await busyRegistry();
    await observeRegistry(meter, registry).ready;
    const metrics = Object.fromEntries((await collect()).map((m) => [m.descriptor.name, m]));
    const shape = (name: string) => {
      const metric = metrics[name];
      return [
        metric?.dataPointType,
        metric && "isMonotonic" in metric ? metric.isMonotonic : undefined,
        metric?.descriptor.unit,
      ];
    };
    expect(shape("component_stats_placed_total")).toEqual([DataPointType.SUM, true, ""]);
    expect(shape("component_stats_errors_total")).toEqual([DataPointType.SUM, true, ""]);
    expect(shape("component_stats_place_duration_seconds_count")).toEqual([
      DataPointType.SUM,
      true,
      "",
    ]);
    expect(shape("component_stats_place_duration_seconds_sum")).toEqual([
      DataPointType.SUM,
      false,
      "s",
    ]);
    expect(shape("component_stats_place_duration_seconds")).toEqual([
      DataPointType.GAUGE,
      undefined,
      "s",
    ]);
    expect(shape("component_stats_health_score")).toEqual([DataPointType.GAUGE, undefined, ""]);
    expect(shape("component_stats_uptime_seconds")).toEqual([DataPointType.GAUGE, undefined, "s"]);
    expect(shape("component_stats_memory_bytes")).toEqual([DataPointType.GAUGE, undefined, "By"]);
    expect(metrics.component_stats_placed_total?.descriptor.description).toBe(
      'Counter "placed" of each component.',
    );
  });

  it("observes everything through one batch callback that reads the registry once per collection", async () => {
    const { meter, collect } = pipeline();
    const { registry } = await busyRegistry();
    const add = vi.spyOn(meter, "addBatchObservableCallback");
    const remove = vi.spyOn(meter, "removeBatchObservableCallback");
    const bridge = observeRegistry(meter, registry);
    await bridge.ready;
    const collectSpy = vi.spyOn(registry, "collect");
    await collect();
    await collect();
    expect(collectSpy).toHaveBeenCalledTimes(2);
    // Every add after the first replaced the callback: one is registered at any time.
    expect(add.mock.calls.length - remove.mock.calls.length).toBe(1);
    expect(new Set(add.mock.calls.map(([callback]) => callback)).size).toBe(1);
  });

  it("collects the registry once per collection, each component asked once", async () => {
    const { meter, collect } = pipeline();
    const { registry, orders } = await busyRegistry();
    const getStats = vi.spyOn(orders, "getStats");
    await observeRegistry(meter, registry).ready;
    await collect();
    await collect();
    // ready, then one per collection: the registry no longer caches (each tracker does).
    expect(getStats).toHaveBeenCalledTimes(3);
  });

  it("reports a metric first seen after set-up from the next collection on", async () => {
    const { meter, collect } = pipeline();
    const { registry, orders } = await busyRegistry();
    await observeRegistry(meter, registry).ready;
    await orders.increment("late", 2);
    const names = async () => new Set(points(await collect()).map((p) => p.name));
    expect((await names()).has("component_stats_late_total")).toBe(false);
    expect((await names()).has("component_stats_late_total")).toBe(true);
    const all = points(await collect());
    expect(all.find((p) => p.name === "component_stats_late_total")?.value).toBe(2);
  });

  it("works without awaiting ready, and with an empty registry", async () => {
    const { meter, collect } = pipeline();
    const registry = new StatisticsRegistry({ clock: manualClock(START) });
    observeRegistry(meter, registry);
    expect(points(await collect())).toEqual([]);
    registry.register(new BaseStatisticsTracker("late", { clock: manualClock(START) }));
    const all = points(await collect());
    expect(all.find((p) => p.name === "component_stats_health_score")?.attributes).toEqual({
      component: "late",
    });
  });

  it("reports a component that times out with health 0 and status timeout", async () => {
    const { meter, collect } = pipeline();
    const registry = new StatisticsRegistry({ componentTimeoutMs: 20 });
    const stuck = {
      componentName: "stuck",
      increment: async () => {},
      setGauge: async () => {},
      recordTiming: async () => {},
      trackError: async () => {},
      getStats: () => new Promise(() => {}),
      getHealthScore: async () => 100,
    };
    registry.register(stuck as unknown as StatisticsProvider);
    await observeRegistry(meter, registry).ready;
    const all = points(await collect());
    expect(all).toContainEqual({
      name: "component_stats_health_score",
      attributes: { component: "stuck" },
      value: 0,
    });
    expect(all).toContainEqual({
      name: "component_stats_status",
      attributes: { component: "stuck", status: "timeout" },
      value: 1,
    });
  });

  it("uses the prefix option", async () => {
    const { meter, collect } = pipeline();
    const { registry } = await busyRegistry();
    await observeRegistry(meter, registry, { prefix: "sdk_" }).ready;
    const names = new Set(points(await collect()).map((p) => p.name));
    expect(names.has("sdk_placed_total")).toBe(true);
    expect([...names].every((name) => name.startsWith("sdk_"))).toBe(true);
  });

  it("stops reading the registry after unregister", async () => {
    const { meter, collect } = pipeline();
    const { registry } = await busyRegistry();
    const bridge = observeRegistry(meter, registry);
    await bridge.ready;
    expect(points(await collect()).length).toBeGreaterThan(0);
    bridge.unregister();
    bridge.unregister();
    const collectSpy = vi.spyOn(registry, "collect");
    await collect();
    // The SDK may keep exporting the last cumulative values; the registry is no longer read.
    expect(collectSpy).not.toHaveBeenCalled();
  });

  it("does not re-register after unregister, even while ready is pending", async () => {
    const { meter } = pipeline();
    const { registry } = await busyRegistry();
    const bridge = observeRegistry(meter, registry);
    const add = vi.spyOn(meter, "addBatchObservableCallback");
    bridge.unregister();
    await bridge.ready;
    expect(add).not.toHaveBeenCalled();
  });

  it("settles ready even when the first collection fails", async () => {
    const { meter } = pipeline();
    const registry = { collect: () => Promise.reject(new Error("down")) };
    await expect(observeRegistry(meter, registry).ready).resolves.toBeUndefined();
  });

  it("rejects a bad meter, registry, options or prefix, naming them", () => {
    const { meter } = pipeline();
    const registry = new StatisticsRegistry();
    expect(() => observeRegistry({} as Meter, registry)).toThrow(/`meter`.*OpenTelemetry Meter/);
    expect(() => observeRegistry(null as unknown as Meter, registry)).toThrow(TypeError);
    expect(() => observeRegistry(meter, {} as never)).toThrow(/`registry`.*collect\(\)/);
    expect(() => observeRegistry(meter, registry, null as never)).toThrow(/`options`/);
    expect(() => observeRegistry(meter, registry, { prefix: "1x" })).toThrow(RangeError);
    expect(() => observeRegistry(meter, registry, { prefix: 3 as never })).toThrow(TypeError);
  });
});

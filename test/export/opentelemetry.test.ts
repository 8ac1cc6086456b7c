import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter,
} from "@opentelemetry/exporter-metrics-otlp-http";
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  InMemoryMetricExporter,
  MeterProvider,
  type MetricData,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { afterEach, describe, expect, it } from "vitest";
import { BUILT_IN_FAMILIES } from "../../src/export/families.js";
import { nameHash } from "../../src/export/metric-name.js";
import {
  createMetricProducer,
  DEFAULT_OPENTELEMETRY_PREFIX,
  type MetricProducerOptions,
  type SnapshotSource,
  toHrTime,
} from "../../src/export/opentelemetry.js";
import {
  BaseStatisticsTracker,
  formatPrometheus,
  manualClock,
  type StatisticsProvider,
  StatisticsRegistry,
} from "../../src/index.js";
import { parseExposition } from "./exposition.js";

const START = 1_700_000_000_000;

const providers: MeterProvider[] = [];
afterEach(async () => {
  await Promise.all(providers.splice(0).map((provider) => provider.shutdown()));
});

/** A real SDK pipeline: a MeterProvider whose reader holds the producer. */
function pipeline(
  registry: SnapshotSource,
  temporality: AggregationTemporality = AggregationTemporality.CUMULATIVE,
  options: MetricProducerOptions = {},
) {
  const exporter = new InMemoryMetricExporter(temporality);
  const producer = createMetricProducer(registry, { temporality: exporter, ...options });
  // The interval never elapses in a test: every collection is a forceFlush.
  const reader = new PeriodicExportingMetricReader({
    exporter,
    exportIntervalMillis: 3_600_000,
    metricProducers: [producer],
  });
  const provider = new MeterProvider({ readers: [reader] });
  providers.push(provider);
  /** Collects once and returns every metric of that collection. */
  const collectAll = async (): Promise<MetricData[]> => {
    exporter.reset();
    await reader.forceFlush();
    return exporter.getMetrics().flatMap((rm) => rm.scopeMetrics.flatMap((sm) => sm.metrics));
  };
  /** Collects once and returns the metrics of that collection, by name. */
  const collect = async (): Promise<Record<string, MetricData>> => {
    const metrics = await collectAll();
    return Object.fromEntries(metrics.map((metric) => [metric.descriptor.name, metric]));
  };
  return { collect, collectAll, producer };
}

async function busyRegistry() {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
  const orders = new BaseStatisticsTracker("orders", { clock });
  const feed = new BaseStatisticsTracker('feed "main"', { clock });
  registry.register(orders);
  registry.register(feed, { weight: 2 });
  await orders.increment("placed", 7);
  await orders.increment("cancelled", 0);
  await orders.increment("open", 5);
  await orders.increment("open", -2);
  await orders.setGauge("queue depth", 3);
  await orders.setStatus("connected");
  for (const ms of [5, 10, 20, 40, 20_000]) await orders.recordTiming("place", ms);
  await feed.trackError(new Error("gap"), "feed");
  await feed.setGauge("lag", 0);
  clock.advance(65_000);
  return { clock, registry, orders, feed };
}

type Point = { attributes: Record<string, string>; value: unknown };

function points(metric: MetricData | undefined): Point[] {
  return (metric?.dataPoints ?? []).map((point) => ({
    attributes: point.attributes as Record<string, string>,
    value: point.value,
  }));
}

const UNIT_SUFFIX: Record<string, string> = { s: "_seconds", By: "_bytes", "": "" };

/**
 * The Prometheus family an OpenTelemetry metric becomes under OpenTelemetry's own
 * translation rules: `.` to `_`, the unit's suffix, `_total` for monotonic sums
 * (not doubled).
 */
function prometheusName(metric: MetricData): string {
  let name = metric.descriptor.name.replace(/[./-]/g, "_");
  const suffix = UNIT_SUFFIX[metric.descriptor.unit] ?? "?";
  if (!name.endsWith(suffix)) name += suffix;
  if (metric.dataPointType === DataPointType.SUM && metric.isMonotonic && !name.endsWith("_total"))
    name += "_total";
  return name;
}

describe("createMetricProducer", () => {
  it("maps every metric one-to-one to a Prometheus family with the same series and values", async () => {
    const { registry } = await busyRegistry();
    const { collect } = pipeline(registry);
    const otel = Object.values(await collect());
    const families = parseExposition(formatPrometheus(await registry.collect()));
    const byName = new Map(families.map((family) => [family.name, family]));
    expect(otel.map(prometheusName).sort()).toEqual(families.map((f) => f.name).sort());
    for (const metric of otel) {
      const family = byName.get(prometheusName(metric));
      const where = metric.descriptor.name;
      expect(family, where).toBeDefined();
      if (family === undefined) continue;
      const expectedType = {
        [DataPointType.GAUGE]: ["gauge", "summary"],
        [DataPointType.SUM]: [
          metric.dataPointType === DataPointType.SUM && metric.isMonotonic ? "counter" : "gauge",
        ],
        [DataPointType.HISTOGRAM]: ["histogram"],
        [DataPointType.EXPONENTIAL_HISTOGRAM]: [],
      }[metric.dataPointType];
      expect(expectedType, where).toContain(family.type);
      expect(metric.descriptor.description, where).toBe(family.help);
      if (metric.dataPointType === DataPointType.HISTOGRAM) {
        for (const point of metric.dataPoints) {
          const value = point.value as Histogram;
          const labels = point.attributes as Record<string, string>;
          const same = (s: { labels: Record<string, string> }) =>
            s.labels.component === labels.component && s.labels.operation === labels.operation;
          const count = family.samples.find((s) => s.name.endsWith("_count") && same(s));
          const sum = family.samples.find((s) => s.name.endsWith("_sum") && same(s));
          const buckets = family.samples.filter((s) => s.name.endsWith("_bucket") && same(s));
          expect(count?.value).toBe(value.count);
          expect(sum?.value).toBe(value.sum);
          let cumulative = 0;
          const expected = value.buckets.counts.map((n) => (cumulative += n));
          expect(buckets.map((s) => s.value)).toEqual(expected);
          expect(buckets.map((s) => s.labels.le)).toEqual([
            ...value.buckets.boundaries.map(String),
            "+Inf",
          ]);
        }
        continue;
      }
      const otelPoints = points(metric)
        .map((p) => JSON.stringify([Object.entries(p.attributes).sort(), p.value]))
        .sort();
      const promPoints = family.samples
        .map((s) => JSON.stringify([Object.entries(s.labels).sort(), s.value]))
        .sort();
      expect(otelPoints, where).toEqual(promPoints);
    }
    expect(otel.length).toBe(14);
  });

  it("produces the shapes their meaning requires: sums, up-down sums, gauges, histograms, with units", async () => {
    const { registry, orders } = await busyRegistry();
    const metrics = await pipeline(registry).collect();
    const shape = (name: string) => {
      const metric = metrics[`component_stats.${name}`];
      return [
        metric?.dataPointType,
        metric?.dataPointType === DataPointType.SUM ? metric.isMonotonic : undefined,
        metric?.descriptor.unit,
      ];
    };
    expect(shape("placed_total")).toEqual([DataPointType.SUM, true, ""]);
    expect(shape("errors")).toEqual([DataPointType.SUM, true, ""]);
    expect(shape("open_net")).toEqual([DataPointType.SUM, false, ""]);
    expect(shape("queue_depth_de18198d")).toEqual([DataPointType.GAUGE, undefined, ""]);
    expect(shape("health_score")).toEqual([DataPointType.GAUGE, undefined, ""]);
    expect(shape("uptime")).toEqual([DataPointType.GAUGE, undefined, "s"]);
    expect(shape("memory")).toEqual([DataPointType.GAUGE, undefined, "By"]);
    expect(shape("operation.duration")).toEqual([DataPointType.HISTOGRAM, undefined, "s"]);
    expect(shape("operation.window.duration")).toEqual([DataPointType.GAUGE, undefined, "s"]);

    const place = (await orders.getStats()).performanceMetrics.place;
    const histogram = points(metrics["component_stats.operation.duration"])[0];
    expect(histogram?.attributes).toEqual({ component: "orders", operation: "place" });
    expect(histogram?.value).toEqual({
      buckets: {
        boundaries: [
          0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
          5, 10,
        ],
        counts: [0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1],
      },
      sum: 20.075,
      count: 5,
      min: 0.005,
      max: 20,
    });
    expect(place?.sumMs).toBe(20_075);
    const p99 = points(metrics["component_stats.operation.window.duration"]).find(
      (p) => p.attributes.quantile === "0.99",
    );
    expect(p99?.value).toBe((place?.p99Ms ?? 0) / 1000);
    expect(points(metrics["component_stats.open_net"])).toEqual([
      { attributes: { component: "orders" }, value: 3 },
    ]);
  });

  it("reports counters from the component's creation, and from its reset after resetMetrics()", async () => {
    const { registry, orders, clock } = await busyRegistry();
    const { collect } = pipeline(registry);
    const first = await collect();
    const placed = first["component_stats.placed_total"]?.dataPoints[0];
    expect(placed?.startTime).toEqual(toHrTime(START));
    expect(placed?.endTime).toEqual(toHrTime(START + 65_000));

    clock.advance(1000);
    await orders.resetMetrics();
    clock.advance(500);
    await orders.increment("placed", 2);
    const second = await collect();
    const after = second["component_stats.placed_total"]?.dataPoints;
    // Today's bridge kept exporting the values from before the reset.
    expect(after?.map((p) => p.value)).toEqual([2]);
    expect(after?.[0]?.startTime).toEqual(toHrTime(START + 66_500));
    expect(second["component_stats.cancelled_total"]).toBeUndefined();
    expect(second["component_stats.operation.duration"]).toBeUndefined();
  });

  it("reports a metric in the first collection that sees it", async () => {
    const { registry, orders } = await busyRegistry();
    const { collect } = pipeline(registry);
    await collect();
    await orders.increment("late", 2);
    // Today's bridge created the instrument during this collection and reported it in the next.
    expect(points((await collect())["component_stats.late_total"])).toEqual([
      { attributes: { component: "orders" }, value: 2 },
    ]);
  });

  it("keeps a component's metrics when another component adds names, and reports the newcomer's", async () => {
    // Today b's counter x was never reported, and a's series moved.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const a = new BaseStatisticsTracker("a", { clock });
    const b = new BaseStatisticsTracker("b", { clock });
    registry.register(a);
    registry.register(b);
    await a.setGauge("x_total", 2);
    await a.increment("a.b", 3);
    const { collect } = pipeline(registry);
    const of = (metrics: Record<string, MetricData>, component: string) =>
      Object.values(metrics)
        .flatMap((metric) =>
          points(metric)
            .filter((p) => p.attributes.component === component)
            .map((p) => `${metric.descriptor.name} ${metric.dataPointType} ${JSON.stringify(p)}`),
        )
        .filter((line) => !/health_score|status|errors|uptime|memory/.test(line))
        .sort();
    const before = of(await collect(), "a");
    await b.increment("x", 1);
    await b.increment("a-b", 1);
    const after = await collect();
    expect(of(after, "a")).toEqual(before);
    expect(points(after["component_stats.x_total"])).toEqual([
      { attributes: { component: "b" }, value: 1 },
    ]);
    expect(after["component_stats.x_total"]?.dataPointType).toBe(DataPointType.SUM);
  });

  it("reports a counter with negative increments as an up-down sum, as /metrics does as a gauge", async () => {
    // The case of the issue: 5, then -2 and -10. Today: Prometheus said -7 typed counter, OTel 0.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const pool = new BaseStatisticsTracker("pool", { clock });
    registry.register(pool);
    await pool.increment("connections", 5);
    await pool.increment("connections", -2);
    await pool.increment("connections", -10);
    const metric = (await pipeline(registry).collect())["component_stats.connections_net"];
    expect(metric?.dataPointType).toBe(DataPointType.SUM);
    expect(metric?.dataPointType === DataPointType.SUM && metric.isMonotonic).toBe(false);
    expect(points(metric)).toEqual([{ attributes: { component: "pool" }, value: -7 }]);
    const family = parseExposition(formatPrometheus(await registry.collect())).find(
      (f) => f.name === "component_stats_connections_net",
    );
    expect(family?.type).toBe("gauge");
    expect(family?.samples.map((s) => s.value)).toEqual([-7]);
  });

  it("produces deltas for a delta reader: increments since the last export, never negative", async () => {
    // The case of the issue: 1000 × 100 ms, a collection, then 1000 × 1 ms. Today the
    // delta of _sum was -98.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const t = new BaseStatisticsTracker("t", { clock });
    registry.register(t);
    for (let i = 0; i < 1000; i++) await t.recordTiming("op", 100);
    await t.increment("calls", 1000);
    await t.increment("level", 3);
    await t.increment("level", -1);
    const { collect } = pipeline(registry, AggregationTemporality.DELTA, { temporality: "delta" });
    const all = pipeline(registry, AggregationTemporality.DELTA); // follows the exporter: all delta
    const first = await collect();
    await all.collect();
    clock.advance(10_000);
    for (let i = 0; i < 1000; i++) await t.recordTiming("op", 1);
    await t.increment("calls", 1000);
    await t.increment("level", -1);
    const second = await collect();

    const firstHistogram = first["component_stats.operation.duration"]?.dataPoints[0]
      ?.value as Histogram;
    const histogramPoint = second["component_stats.operation.duration"]?.dataPoints[0];
    const histogram = histogramPoint?.value as Histogram;
    expect(firstHistogram.count).toBe(1000);
    expect(firstHistogram.sum).toBe(100);
    expect(histogram.count).toBe(1000);
    expect(histogram.sum).toBe(1);
    expect(histogram.min).toBeUndefined();
    expect(histogram.buckets.counts.reduce((a, b) => a + b, 0)).toBe(1000);
    expect(histogram.buckets.counts[3]).toBe(1000); // le 0.001 s
    expect(histogramPoint?.startTime).toEqual(toHrTime(START));
    expect(histogramPoint?.endTime).toEqual(toHrTime(START + 10_000));
    expect(second["component_stats.operation.duration"]?.aggregationTemporality).toBe(
      AggregationTemporality.DELTA,
    );
    expect(points(second["component_stats.calls_total"]).map((p) => p.value)).toEqual([1000]);
    // Up-down counters stay cumulative under the delta preference, as OpenTelemetry's own.
    expect(second["component_stats.level_net"]?.aggregationTemporality).toBe(
      AggregationTemporality.CUMULATIVE,
    );
    expect(points(second["component_stats.level_net"]).map((p) => p.value)).toEqual([1]);
    const allDelta = await all.collect();
    expect(points(allDelta["component_stats.level_net"]).map((p) => p.value)).toEqual([-1]);
    expect(points(allDelta["component_stats.calls_total"]).map((p) => p.value)).toEqual([1000]);
  });

  it("under delta, reports everything since a reset as new", async () => {
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const t = new BaseStatisticsTracker("t", { clock });
    registry.register(t);
    await t.increment("calls", 10);
    await t.recordTiming("op", 5);
    const { collect } = pipeline(registry, AggregationTemporality.DELTA);
    await collect();
    clock.advance(1000);
    await t.resetMetrics();
    await t.increment("calls", 15); // more than before the reset: only the start time tells
    await t.recordTiming("op", 7);
    const second = await collect();
    const calls = second["component_stats.calls_total"]?.dataPoints[0];
    expect(calls?.value).toBe(15);
    expect(calls?.startTime).toEqual(toHrTime(START + 1000));
    const histogram = second["component_stats.operation.duration"]?.dataPoints[0]?.value;
    expect((histogram as Histogram | undefined)?.count).toBe(1);
  });

  it("under delta, sees a reset even when the clock did not move since the last export", async () => {
    // The start time alone told a reset: 10 calls, an export, a reset and 15 calls at
    // the same instant were reported as 5 more calls.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const t = new BaseStatisticsTracker("t", { clock });
    registry.register(t);
    await t.increment("calls", 10);
    await t.recordTiming("op", 5);
    await t.trackError(new Error("e"), "c");
    const { collect } = pipeline(registry, AggregationTemporality.DELTA);
    await collect();
    await t.resetMetrics();
    await t.increment("calls", 15);
    await t.recordTiming("op", 7);
    await t.recordTiming("op", 7);
    await t.trackError(new Error("e"), "c");
    await t.trackError(new Error("e"), "c");
    const second = await collect();
    const calls = second["component_stats.calls_total"]?.dataPoints[0];
    expect(calls?.value).toBe(15);
    expect(calls?.startTime).toEqual(toHrTime(START));
    expect(points(second["component_stats.errors"]).map((p) => p.value)).toEqual([2]);
    const histogram = second["component_stats.operation.duration"]?.dataPoints[0]?.value;
    expect((histogram as Histogram | undefined)?.count).toBe(2);
    expect((histogram as Histogram | undefined)?.sum).toBe(0.014);
    // From there it counts on: the next export has only what came after.
    await t.increment("calls", 1);
    const third = await collect();
    expect(points(third["component_stats.calls_total"]).map((p) => p.value)).toEqual([1]);
    expect(points(third["component_stats.errors"]).map((p) => p.value)).toEqual([0]);
  });

  it("under delta, counts once what a component counted while it failed or timed out", async () => {
    // Each export after a missed collection once reported all of it again, from the
    // component's creation: 220 calls for 120, 2 errors for 1.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, componentTimeoutMs: 20 });
    const slow = new BaseStatisticsTracker("slow", { clock, cacheTtlMs: 0 });
    const flaky = new BaseStatisticsTracker("flaky", { clock, cacheTtlMs: 0 });
    /** A source over `tracker` whose next getStats() can be made to fail or to wait. */
    const unreliable = (tracker: BaseStatisticsTracker) => {
      const source = {
        fail: false,
        gate: undefined as Promise<void> | undefined,
        async getStats() {
          const { fail, gate } = source;
          source.fail = false;
          source.gate = undefined;
          if (fail) throw new Error("stats unavailable");
          if (gate !== undefined) await gate;
          return tracker.getStats();
        },
      };
      registry.register(source, { name: tracker.componentName });
      return source;
    };
    const slowSource = unreliable(slow);
    const flakySource = unreliable(flaky);
    const write = async (calls: number) => {
      for (const t of [slow, flaky]) {
        await t.increment("calls", calls);
        await t.recordTiming("op", 5);
      }
    };
    const { collect } = pipeline(registry, AggregationTemporality.DELTA);
    const byComponent = (metric: MetricData | undefined) =>
      Object.fromEntries(
        (metric?.dataPoints ?? []).map((point) => [
          point.attributes.component,
          { startTime: point.startTime, value: point.value },
        ]),
      );
    await write(100);
    await slow.trackError(new Error("e"), "c");
    await flaky.trackError(new Error("e"), "c");
    await collect();

    clock.advance(10_000);
    await write(10);
    let release = () => {};
    slowSource.gate = new Promise((resolve) => {
      release = resolve;
    });
    flakySource.fail = true;
    const missed = await collect();
    const status = missed["component_stats.status"]?.dataPoints.filter((p) => p.value === 1);
    expect(status?.map((p) => p.attributes)).toEqual([
      { component: "slow", status: "timeout" },
      { component: "flaky", status: "error" },
    ]);
    expect(missed["component_stats.calls_total"]).toBeUndefined();

    release();
    // Lets the call that timed out settle, so that the slow component is asked again.
    await new Promise((resolve) => setImmediate(resolve));
    clock.advance(10_000);
    await write(10);
    const third = await collect();
    for (const component of ["slow", "flaky"]) {
      const calls = byComponent(third["component_stats.calls_total"])[component];
      expect(calls, component).toEqual({ startTime: toHrTime(START), value: 20 });
      expect(byComponent(third["component_stats.errors"])[component]?.value, component).toBe(0);
      const histogram = byComponent(third["component_stats.operation.duration"])[component];
      expect((histogram?.value as Histogram | undefined)?.count, component).toBe(2);
      expect(histogram?.startTime, component).toEqual(toHrTime(START));
    }

    // An unregistered component keeps nothing: registered again, it starts over.
    registry.unregister("flaky");
    await collect();
    registry.register(flakySource, { name: "flaky" });
    await flaky.increment("calls", 1);
    const again = byComponent((await collect())["component_stats.calls_total"]);
    expect(again.flaky?.value).toBe(121);
    expect(again.slow?.value).toBe(0);
  });

  it("under delta, keeps apart series whose names differ only in where a NUL falls", async () => {
    // Keys once joined component and operation with NUL: ("a", "b\0c") and ("a\0b", "c")
    // were one series, and each read the other's baseline.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const a = new BaseStatisticsTracker("a", { clock });
    const ab = new BaseStatisticsTracker("a\u0000b", { clock });
    registry.register(a);
    registry.register(ab);
    for (let i = 0; i < 5; i++) await a.recordTiming("b\u0000c", 1);
    await ab.recordTiming("c", 1);
    const { collect } = pipeline(registry, AggregationTemporality.DELTA);
    const counts = async () =>
      (await collect())["component_stats.operation.duration"]?.dataPoints.map((point) => [
        point.attributes,
        (point.value as Histogram).count,
      ]);
    expect(await counts()).toEqual([
      [{ component: "a", operation: "b\u0000c" }, 5],
      [{ component: "a\u0000b", operation: "c" }, 1],
    ]);
    clock.advance(1000);
    await a.recordTiming("b\u0000c", 1);
    await ab.recordTiming("c", 1);
    expect(await counts()).toEqual([
      [{ component: "a", operation: "b\u0000c" }, 1],
      [{ component: "a\u0000b", operation: "c" }, 1],
    ]);
  });

  it("keeps names valid for OpenTelemetry: long names are cut, and the prefix starts with a letter", async () => {
    // Today: over 255 characters for long operation names, "_5xx_responses_total" with an empty prefix.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const t = new BaseStatisticsTracker("t", { clock });
    registry.register(t);
    await t.increment("5xx responses", 1);
    await t.increment("x".repeat(256), 1);
    await t.setGauge("é".repeat(256), 1);
    await t.recordTiming("o".repeat(256), 1);
    const names = Object.keys(await pipeline(registry).collect());
    for (const name of names) expect(name).toMatch(/^[A-Za-z][A-Za-z0-9_./-]{0,254}$/);
    expect(names).toContain("component_stats.5xx_responses_be7b7144_total");
    expect(() => createMetricProducer(registry, { prefix: "" })).toThrow(RangeError);
    expect(() => createMetricProducer(registry, { prefix: "_x" })).toThrow(/`prefix`/);
    expect(() => createMetricProducer(registry, { prefix: "a".repeat(65) })).toThrow(RangeError);
  });

  it("never gives a library metric a built-in family's name, in either format", async () => {
    // Gauges named uptime, memory or errors once took the OpenTelemetry names of the
    // built-in families: two component_stats.uptime in one scope, a gauge and a sum
    // both called component_stats.errors.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const gauges = new BaseStatisticsTracker("gauges", { clock });
    const counters = new BaseStatisticsTracker("counters", { clock });
    const upDown = new BaseStatisticsTracker("up-down", { clock });
    for (const t of [gauges, counters, upDown]) registry.register(t);
    for (const family of Object.values(BUILT_IN_FAMILIES)) {
      for (const name of [family.suffix, family.otelSuffix]) {
        await gauges.setGauge(name, 3);
        await counters.increment(name, 2);
        await upDown.increment(name, -1);
      }
    }
    await gauges.recordTiming("op", 5);
    await gauges.trackError(new Error("e"), "c");
    const { collectAll } = pipeline(registry);
    const metrics = await collectAll();
    const names = metrics.map((metric) => metric.descriptor.name);
    expect(names).toContain("component_stats.uptime");
    expect(names.filter((name) => name === "component_stats.uptime")).toHaveLength(1);
    expect(new Set(names).size).toBe(names.length);
    // Still one-to-one with the Prometheus families, whose names are just as distinct.
    const families = parseExposition(formatPrometheus(await registry.collect()));
    expect(metrics.map(prometheusName).sort()).toEqual(families.map((f) => f.name).sort());
    // The name is the built-in family's: whole seconds of each of the three components.
    const uptime = metrics.find((metric) => metric.descriptor.name === "component_stats.uptime");
    expect(uptime?.descriptor.unit).toBe("s");
    expect(points(uptime).map((point) => point.value)).toEqual([0, 0, 0]);
    expect(families.map((f) => f.name)).toContain(`component_stats_uptime_${nameHash("uptime")}`);
  });

  it("uses the prefix option", async () => {
    const { registry } = await busyRegistry();
    const names = Object.keys(await pipeline(registry, undefined, { prefix: "sdk." }).collect());
    expect(names).toContain("sdk.placed_total");
    expect(names).toContain("sdk.operation.duration");
    expect(names.every((name) => name.startsWith("sdk."))).toBe(true);
    expect(DEFAULT_OPENTELEMETRY_PREFIX).toBe("component_stats.");
  });

  it("reports a component that times out with health 0 and status timeout, and nothing else of it", async () => {
    const registry = new StatisticsRegistry({ componentTimeoutMs: 20, cacheTtlMs: 0 });
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
    const metrics = await pipeline(registry).collect();
    expect(Object.keys(metrics).sort()).toEqual([
      "component_stats.health_score",
      "component_stats.registry.verdict",
      "component_stats.status",
      "component_stats.verdict",
    ]);
    expect(points(metrics["component_stats.health_score"])).toEqual([
      { attributes: { component: "stuck" }, value: 0 },
    ]);
    expect(points(metrics["component_stats.status"])).toContainEqual({
      attributes: { component: "stuck", status: "timeout" },
      value: 1,
    });
  });

  it("reports each component's verdict and the registry's as gauges of 1 for the current one", async () => {
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, verdict: { nonCritical: ["cache"] } });
    const feed = new BaseStatisticsTracker("feed", { clock, cacheTtlMs: 0 });
    const cache = new BaseStatisticsTracker("cache", { clock, cacheTtlMs: 0 });
    registry.register(feed);
    registry.register(cache);
    await feed.setStatus("connected");
    await cache.setStatus("error");
    const { collect } = pipeline(registry);
    const ones = (metric: MetricData | undefined) =>
      points(metric)
        .filter((p) => p.value === 1)
        .map((p) => p.attributes);
    let metrics = await collect();
    const verdict = metrics["component_stats.verdict"];
    const overall = metrics["component_stats.registry.verdict"];
    expect([verdict?.dataPointType, verdict?.descriptor.unit]).toEqual([DataPointType.GAUGE, ""]);
    expect([overall?.dataPointType, overall?.descriptor.unit]).toEqual([DataPointType.GAUGE, ""]);
    expect(points(verdict)).toHaveLength(6);
    expect(ones(verdict)).toEqual([
      { component: "feed", verdict: "healthy" },
      { component: "cache", verdict: "unhealthy" },
    ]);
    // The cache is non-critical: the registry is degraded, not unhealthy.
    expect(points(overall)).toEqual([
      { attributes: { verdict: "healthy" }, value: 0 },
      { attributes: { verdict: "degraded" }, value: 1 },
      { attributes: { verdict: "unhealthy" }, value: 0 },
    ]);
    await cache.setStatus("connected");
    metrics = await collect();
    expect(ones(metrics["component_stats.registry.verdict"])).toEqual([{ verdict: "healthy" }]);
  });

  it("returns the failure of a registry that cannot collect instead of rejecting", async () => {
    const failure = new Error("down");
    const producer = createMetricProducer({ collect: () => Promise.reject(failure) });
    const result = await producer.collect();
    expect(result.errors).toEqual([failure]);
    expect(result.resourceMetrics.scopeMetrics).toEqual([]);
    // A reader keeps its own resource; the producer's is empty and merges into any other.
    const resource = result.resourceMetrics.resource;
    expect(resource.attributes).toEqual({});
    expect(resource.getRawAttributes()).toEqual([]);
    expect(resource.merge(null)).toBe(resource);
    // A snapshot that is not one is reported the same way.
    const broken = createMetricProducer({ collect: async () => ({ components: 5 }) as never });
    const brokenResult = await broken.collect();
    expect(brokenResult.errors).toHaveLength(1);
    expect(brokenResult.resourceMetrics.scopeMetrics).toEqual([]);
  });

  it("rejects a bad registry, options, prefix, temporality or scope, naming them", () => {
    const registry = new StatisticsRegistry();
    expect(() => createMetricProducer({} as never)).toThrow(/`registry`.*collect\(\)/);
    expect(() => createMetricProducer(null as never)).toThrow(TypeError);
    expect(() => createMetricProducer(registry, null as never)).toThrow(/`options`/);
    expect(() => createMetricProducer(registry, { prefix: 3 as never })).toThrow(TypeError);
    expect(() => createMetricProducer(registry, { prefix: "a:b" })).toThrow(RangeError);
    expect(() => createMetricProducer(registry, { temporality: "weekly" as never })).toThrow(
      /`temporality`/,
    );
    expect(() => createMetricProducer(registry, { scope: { name: 1 } as never })).toThrow(
      /`scope`/,
    );
    expect(() =>
      createMetricProducer(registry, { scope: { name: "x", version: 2 } as never }),
    ).toThrow(/`scope.version` to be a string or undefined, got 2/);
  });

  it("takes every option given as undefined for its default", async () => {
    const { registry } = await busyRegistry();
    const allUndefined: { [K in keyof Required<MetricProducerOptions>]: undefined } = {
      prefix: undefined,
      temporality: undefined,
      scope: undefined,
    };
    const given = await createMetricProducer(registry, allUndefined).collect({
      timeoutMillis: undefined,
    });
    expect(given).toEqual(await createMetricProducer(registry).collect());
    const [scopeMetrics] = given.resourceMetrics.scopeMetrics;
    expect(scopeMetrics?.scope).toStrictEqual({ name: "component-stats" });
    expect(
      scopeMetrics?.metrics.every((m) => m.descriptor.name.startsWith("component_stats.")),
    ).toBe(true);
    const placed = scopeMetrics?.metrics.find((m) => m.descriptor.name.endsWith("placed_total"));
    expect(placed?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
  });

  it("reports its own copy of the scope, without a version given as undefined", async () => {
    const registry = new StatisticsRegistry();
    const scope: { name: string; version?: string | undefined } = {
      name: "sdk",
      version: undefined,
    };
    const producer = createMetricProducer(registry, { scope });
    scope.name = "changed";
    const collected = await producer.collect();
    // Nothing registered, so no metrics: the scope is still reported, as given at creation.
    expect(collected.resourceMetrics.scopeMetrics[0]?.scope).toStrictEqual({ name: "sdk" });
    const versioned = createMetricProducer(registry, { scope: { name: "sdk", version: "1.2.0" } });
    expect((await versioned.collect()).resourceMetrics.scopeMetrics[0]?.scope).toEqual({
      name: "sdk",
      version: "1.2.0",
    });
  });
});

describe("createMetricProducer with the OTLP/HTTP JSON exporter", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
    server = undefined;
  });

  it("posts the registry's metrics to a collector endpoint", async () => {
    const bodies: unknown[] = [];
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        bodies.push({
          url: req.url,
          type: req.headers["content-type"],
          body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
        });
        res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;

    const { registry } = await busyRegistry();
    const exporter = new OTLPMetricExporter({
      url: `http://127.0.0.1:${port}/v1/metrics`,
      temporalityPreference: AggregationTemporalityPreference.DELTA,
    });
    const reader = new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: 3_600_000,
      metricProducers: [createMetricProducer(registry, { temporality: exporter })],
    });
    const provider = new MeterProvider({ readers: [reader] });
    await reader.forceFlush();
    // Shut down while the receiver listens: the final export would retry for seconds.
    await provider.shutdown();

    expect(bodies.length).toBeGreaterThanOrEqual(1);
    const posted = bodies[0] as {
      url: string;
      type: string;
      body: {
        resourceMetrics: {
          scopeMetrics: {
            scope: { name: string };
            metrics: {
              name: string;
              unit?: string;
              sum?: {
                isMonotonic?: boolean;
                aggregationTemporality: number;
                dataPoints: { asDouble?: number }[];
              };
              histogram?: {
                aggregationTemporality: number;
                dataPoints: {
                  count: string | number;
                  sum: number;
                  bucketCounts: (string | number)[];
                  explicitBounds: number[];
                }[];
              };
            }[];
          }[];
        }[];
      };
    };
    expect(posted.url).toBe("/v1/metrics");
    expect(posted.type).toMatch(/application\/json/);
    const scope = posted.body.resourceMetrics[0]?.scopeMetrics.find(
      (s) => s.scope.name === "component-stats",
    );
    const metrics = Object.fromEntries((scope?.metrics ?? []).map((m) => [m.name, m]));
    const histogram = metrics["component_stats.operation.duration"];
    expect(histogram?.unit).toBe("s");
    // OTLP's AGGREGATION_TEMPORALITY_DELTA is 1.
    expect(histogram?.histogram?.aggregationTemporality).toBe(1);
    const point = histogram?.histogram?.dataPoints[0];
    expect(Number(point?.count)).toBe(5);
    expect(point?.sum).toBe(20.075);
    expect(point?.explicitBounds).toHaveLength(16);
    expect(point?.bucketCounts.map(Number)).toEqual([
      0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1,
    ]);
    const placed = metrics["component_stats.placed_total"];
    expect(placed?.sum?.isMonotonic).toBe(true);
    expect(placed?.sum?.dataPoints[0]?.asDouble).toBe(7);
  });
});

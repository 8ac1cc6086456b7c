import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { metricStem } from "../../src/export/metric-name.js";
import { escapeHelp, escapeLabelValue, formatValue } from "../../src/export/prometheus.js";
import {
  BaseStatisticsTracker,
  type ComponentReport,
  type ComponentStats,
  DEFAULT_PROMETHEUS_PREFIX,
  encodePrometheus,
  formatPrometheus,
  manualClock,
  PROMETHEUS_CONTENT_TYPE,
  type RegistrySnapshot,
  type RenderPrometheusOptions,
  renderPrometheus,
  type StatisticsProvider,
  StatisticsRegistry,
  type TimingSummary,
} from "../../src/index.js";
import { PROMTOOL, parseExposition, promtoolCheck } from "./exposition.js";

const START = 1_700_000_000_000;

function stats(name: string, overrides: Partial<ComponentStats> = {}): ComponentStats {
  return {
    name,
    status: "connected",
    uptimeSeconds: 0,
    lastActivity: null,
    errorCount: 0,
    memoryUsageMb: 0,
    healthScore: 0,
    counters: {},
    gauges: {},
    performanceMetrics: {},
    ...overrides,
  };
}

function report(name: string, overrides: Partial<ComponentStats> = {}): ComponentReport {
  const s = stats(name, overrides);
  return {
    name,
    outcome: "ok",
    status: s.status,
    healthScore: s.healthScore,
    weight: 1,
    stats: s,
    verdict: "healthy",
    reasons: [],
  };
}

function snapshot(...components: ComponentReport[]): RegistrySnapshot {
  return {
    timestamp: START,
    components,
    totals: {
      components: components.length,
      failed: 0,
      errors: 0,
      operations: 0,
      memoryUsageMb: 0,
    },
    health: {
      score: 100,
      lowest: 100,
      weightedMean: 100,
      threshold: 70,
      healthy: true,
      verdict: "healthy",
      reasons: [],
    },
  };
}

const TRICKY_COMPONENTS = [
  "order_manager",
  'quote "main"',
  "back\\slash",
  "line\nbreak",
  "carriage\rreturn",
  "Größe ✓ 日本語 😀",
];

/** A registry with several components, tricky names and zero values everywhere. */
async function trickyRegistry(): Promise<StatisticsRegistry> {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock, componentTimeoutMs: 20 });
  for (const [i, name] of TRICKY_COMPONENTS.entries()) {
    const t = new BaseStatisticsTracker(name, { clock });
    registry.register(t);
    await t.increment("orders.placed", i); // 0 for the first component
    await t.increment("orders-placed", 0); // collides with orders.placed after sanitising
    await t.increment("ordersPlaced", 2); // camelCase, collides too
    await t.increment("requests_total", 1); // no _total_total
    await t.increment("Größe", 0); // Unicode
    await t.increment("✓", 1); // nothing survives sanitising
    await t.setGauge("queue depth", 0);
    await t.setGauge("health_score", 1); // collides with a built-in family
    await t.setGauge("errors", 0);
    await t.setGauge('quote"and\\back\nline', -1.5);
    await t.recordTiming("place order", 0);
    await t.recordTiming("place order", 12.5);
    await t.recordTiming("place.order", 0); // summary collision
    await t.recordTiming("fetch", 0); // only zeros
    if (i % 2 === 0) await t.setStatus("connected");
    if (i === 3) await t.setStatus("degraded");
    if (i === 4) await t.trackError(new Error("boom"), "ctx");
  }
  const stuck: Record<string, unknown> = {
    componentName: "stuck",
    increment: async () => {},
    setGauge: async () => {},
    recordTiming: async () => {},
    trackError: async () => {},
    getStats: () => new Promise(() => {}),
    getHealthScore: async () => 50,
  };
  registry.register(stuck as unknown as StatisticsProvider);
  const broken = { ...stuck, componentName: "broken", getStats: async () => null };
  registry.register(broken as unknown as StatisticsProvider);
  return registry;
}

describe("PROMETHEUS_CONTENT_TYPE", () => {
  it("is the 0.0.4 text format in UTF-8", () => {
    expect(PROMETHEUS_CONTENT_TYPE).toBe("text/plain; version=0.0.4; charset=utf-8");
    expect(DEFAULT_PROMETHEUS_PREFIX).toBe("component_stats_");
  });
});

describe("formatPrometheus", () => {
  it("writes one exact exposition for a small snapshot", () => {
    const text = formatPrometheus(
      snapshot(
        report("a", {
          status: "active",
          uptimeSeconds: 7,
          errorCount: 2,
          memoryUsageMb: 0.5,
          healthScore: 88.5,
          counters: { requests: 3 },
          gauges: { depth: 0 },
          performanceMetrics: {
            fetch: {
              count: 4,
              avgMs: 15,
              minMs: 10,
              maxMs: 20,
              p50Ms: 15,
              p90Ms: 19,
              p95Ms: 19.5,
              p99Ms: 19.75,
              sumMs: 60,
              bucketCounts: [1, 3, 0],
            },
          },
          timingBucketsMs: [10, 25],
        }),
        {
          name: "b",
          outcome: "timeout",
          status: "timeout",
          healthScore: 0,
          weight: 1,
          reason: "slow",
          verdict: "unhealthy",
          reasons: ["not collected (timeout): slow"],
        },
      ),
    );
    expect(text).toBe(
      [
        "# HELP component_stats_health_score Health score of the component, 0 to 100 (0 when it could not be collected).",
        "# TYPE component_stats_health_score gauge",
        'component_stats_health_score{component="a"} 88.5',
        'component_stats_health_score{component="b"} 0',
        '# HELP component_stats_status Status of the component: 1 for its current status, 0 for the others; "error" or "timeout" when it could not be collected.',
        "# TYPE component_stats_status gauge",
        'component_stats_status{component="a",status="initializing"} 0',
        'component_stats_status{component="a",status="connected"} 0',
        'component_stats_status{component="a",status="active"} 1',
        'component_stats_status{component="a",status="disconnected"} 0',
        'component_stats_status{component="a",status="error"} 0',
        'component_stats_status{component="a",status="timeout"} 0',
        'component_stats_status{component="b",status="initializing"} 0',
        'component_stats_status{component="b",status="connected"} 0',
        'component_stats_status{component="b",status="active"} 0',
        'component_stats_status{component="b",status="disconnected"} 0',
        'component_stats_status{component="b",status="error"} 0',
        'component_stats_status{component="b",status="timeout"} 1',
        "# HELP component_stats_verdict Verdict of the component by the registry's rules: 1 for its current verdict (healthy, degraded or unhealthy), 0 for the other two.",
        "# TYPE component_stats_verdict gauge",
        'component_stats_verdict{component="a",verdict="healthy"} 1',
        'component_stats_verdict{component="a",verdict="degraded"} 0',
        'component_stats_verdict{component="a",verdict="unhealthy"} 0',
        'component_stats_verdict{component="b",verdict="healthy"} 0',
        'component_stats_verdict{component="b",verdict="degraded"} 0',
        'component_stats_verdict{component="b",verdict="unhealthy"} 1',
        "# HELP component_stats_registry_verdict Verdict of the registry, that of its worst component (a non-critical one counting at most degraded): 1 for the current verdict, 0 for the other two.",
        "# TYPE component_stats_registry_verdict gauge",
        // The snapshot's own health, as given (this fixture says healthy).
        'component_stats_registry_verdict{verdict="healthy"} 1',
        'component_stats_registry_verdict{verdict="degraded"} 0',
        'component_stats_registry_verdict{verdict="unhealthy"} 0',
        "# HELP component_stats_errors_total Errors tracked by the component since it was created or reset.",
        "# TYPE component_stats_errors_total counter",
        'component_stats_errors_total{component="a"} 2',
        "# HELP component_stats_uptime_seconds Whole seconds since the component was created.",
        "# TYPE component_stats_uptime_seconds gauge",
        'component_stats_uptime_seconds{component="a"} 7',
        "# HELP component_stats_memory_bytes Estimated memory held by the component's statistics, in bytes.",
        "# TYPE component_stats_memory_bytes gauge",
        'component_stats_memory_bytes{component="a"} 524288',
        "# HELP component_stats_operation_duration_seconds Duration of each operation of the component in seconds, since it was created or reset.",
        "# TYPE component_stats_operation_duration_seconds histogram",
        'component_stats_operation_duration_seconds_bucket{component="a",operation="fetch",le="0.01"} 1',
        'component_stats_operation_duration_seconds_bucket{component="a",operation="fetch",le="0.025"} 4',
        'component_stats_operation_duration_seconds_bucket{component="a",operation="fetch",le="+Inf"} 4',
        'component_stats_operation_duration_seconds_sum{component="a",operation="fetch"} 0.06',
        'component_stats_operation_duration_seconds_count{component="a",operation="fetch"} 4',
        "# HELP component_stats_operation_window_duration_seconds Exact quantiles of each operation's duration over the component's timing window (its latest timings), in seconds; lifetime _sum and _count are in operation_duration_seconds.",
        "# TYPE component_stats_operation_window_duration_seconds summary",
        'component_stats_operation_window_duration_seconds{component="a",operation="fetch",quantile="0.5"} 0.015',
        'component_stats_operation_window_duration_seconds{component="a",operation="fetch",quantile="0.9"} 0.019',
        'component_stats_operation_window_duration_seconds{component="a",operation="fetch",quantile="0.95"} 0.0195',
        'component_stats_operation_window_duration_seconds{component="a",operation="fetch",quantile="0.99"} 0.01975',
        '# HELP component_stats_depth Gauge "depth" of each component (the last value set).',
        "# TYPE component_stats_depth gauge",
        'component_stats_depth{component="a"} 0',
        '# HELP component_stats_requests_total Counter "requests" of each component.',
        "# TYPE component_stats_requests_total counter",
        'component_stats_requests_total{component="a"} 3',
        "",
      ].join("\n"),
    );
  });

  it("writes nothing for an empty registry", () => {
    expect(formatPrometheus(snapshot())).toBe("");
  });

  it("groups the samples of every component under one HELP and TYPE per metric name", () => {
    const text = formatPrometheus(
      snapshot(
        report("a", { counters: { requests: 1 } }),
        report("b", { counters: { requests: 2 } }),
        report("c", { gauges: { requests: 5 } }),
      ),
    );
    expect(text.match(/^# TYPE component_stats_requests_total counter$/gm)).toHaveLength(1);
    expect(text.match(/^# HELP component_stats_requests_total /gm)).toHaveLength(1);
    const families = parseExposition(text);
    const requests = families.find((f) => f.name === "component_stats_requests_total");
    expect(requests?.samples.map((s) => [s.labels.component, s.value])).toEqual([
      ["a", 1],
      ["b", 2],
    ]);
    // A gauge of the same library name is its own family: no _total, type gauge.
    expect(families.find((f) => f.name === "component_stats_requests")?.type).toBe("gauge");
  });

  it("writes zero values like any other", () => {
    const families = parseExposition(
      formatPrometheus(
        snapshot(
          report("zero", {
            counters: { c: 0 },
            gauges: { g: 0 },
            performanceMetrics: {
              op: {
                count: 1,
                avgMs: 0,
                minMs: 0,
                maxMs: 0,
                p50Ms: 0,
                p90Ms: 0,
                p95Ms: 0,
                p99Ms: 0,
              },
            },
          }),
        ),
      ),
    );
    const values = Object.fromEntries(
      families.flatMap((f) =>
        f.samples
          .filter((s) => s.labels.status === undefined && s.labels.verdict === undefined)
          .map((s) => [`${s.name}${s.labels.quantile ?? ""}`, s.value]),
      ),
    );
    expect(values).toEqual({
      component_stats_health_score: 0,
      component_stats_errors_total: 0,
      component_stats_uptime_seconds: 0,
      component_stats_memory_bytes: 0,
      component_stats_c_total: 0,
      component_stats_g: 0,
      "component_stats_operation_window_duration_seconds0.5": 0,
      "component_stats_operation_window_duration_seconds0.9": 0,
      "component_stats_operation_window_duration_seconds0.95": 0,
      "component_stats_operation_window_duration_seconds0.99": 0,
    });
  });

  it("escapes label values so that they read back exactly", async () => {
    const registry = await trickyRegistry();
    const families = parseExposition(formatPrometheus(await registry.collect()));
    const health = families.find((f) => f.name === "component_stats_health_score");
    expect(health?.samples.map((s) => s.labels.component)).toEqual([
      ...TRICKY_COMPONENTS,
      "stuck",
      "broken",
    ]);
  });

  it("labels every series with its component, except the registry's verdict", async () => {
    const families = parseExposition(formatPrometheus(await (await trickyRegistry()).collect()));
    for (const family of families) {
      for (const sample of family.samples) {
        const expected =
          family.name === "component_stats_registry_verdict" ? "verdict" : "component";
        expect(Object.keys(sample.labels)[0]).toBe(expected);
      }
    }
  });

  it("names each metric by its own name and kind only: a hash marks names that sanitising changed", async () => {
    const families = parseExposition(formatPrometheus(await (await trickyRegistry()).collect()));
    const byName = Object.fromEntries(families.map((f) => [f.name, f]));
    const stem = (kind: "counter" | "gauge", name: string) => metricStem(kind, name);
    // Names that sanitising would merge keep a family each, whatever else exists.
    expect(byName[`component_stats_${stem("counter", "orders-placed")}_total`]?.help).toBe(
      'Counter "orders-placed" of each component.',
    );
    expect(byName[`component_stats_${stem("counter", "orders.placed")}_total`]?.help).toBe(
      'Counter "orders.placed" of each component.',
    );
    expect(byName[`component_stats_${stem("counter", "ordersPlaced")}_total`]?.help).toBe(
      'Counter "ordersPlaced" of each component.',
    );
    expect(stem("counter", "orders.placed")).toMatch(/^orders_placed_[0-9a-f]{8}$/);
    // A name that is already a plain Prometheus name is kept as it is, _total always added.
    expect(byName.component_stats_requests_total_total?.help).toBe(
      'Counter "requests_total" of each component.',
    );
    expect(byName[`component_stats_${stem("counter", "Größe")}_total`]?.help).toBe(
      'Counter "Größe" of each component.',
    );
    expect(byName[`component_stats_${stem("counter", "✓")}_total`]?.help).toBe(
      'Counter "✓" of each component.',
    );
    // A gauge never takes a built-in family's name.
    expect(byName.component_stats_health_score?.help).toMatch(/^Health score/);
    expect(byName[`component_stats_${stem("gauge", "health_score")}`]?.help).toBe(
      'Gauge "health_score" of each component (the last value set).',
    );
    // Nor its OpenTelemetry name: a gauge "errors" would be the sum component_stats.errors.
    expect(byName.component_stats_errors).toBeUndefined();
    expect(byName[`component_stats_${stem("gauge", "errors")}`]?.type).toBe("gauge");
    expect(byName[`component_stats_${stem("gauge", 'quote"and\\back\nline')}`]?.help).toBe(
      'Gauge "quote\\"and\\\\back\\nline" of each component (the last value set).',
    );
    const operations = byName.component_stats_operation_duration_seconds?.samples.map(
      (s) => s.labels.operation,
    );
    expect(new Set(operations)).toEqual(new Set(["place order", "place.order", "fetch"]));
  });

  it("keeps kinds apart: a gauge never ends like a counter, histogram or up-down counter", () => {
    const families = parseExposition(
      formatPrometheus(
        snapshot(
          report("a", {
            counters: { x: 1, errors: 4 },
            gauges: { x_total: 2, op_count: 3, x_net: 5, status: 6 },
          }),
        ),
        { prefix: "" },
      ),
    );
    const names = families.map((f) => `${f.type} ${f.name}`);
    expect(names).toContain("counter x_total");
    expect(names).toContain(`gauge ${metricStem("gauge", "x_total")}`);
    expect(names).toContain(`gauge ${metricStem("gauge", "op_count")}`);
    expect(names).toContain(`gauge ${metricStem("gauge", "x_net")}`);
    expect(names).toContain(`gauge ${metricStem("gauge", "status")}`);
    expect(names).toContain(`counter ${metricStem("counter", "errors")}_total`);
    expect(names).toContain("counter errors_total");
    expect(families.find((f) => f.name === "errors_total")?.help).toMatch(/^Errors tracked/);
  });

  it("reports a failed component's health and status, and nothing that needs its stats", async () => {
    const families = parseExposition(formatPrometheus(await (await trickyRegistry()).collect()));
    const stuck = families.flatMap((f) =>
      f.samples
        .filter((s) => s.labels.component === "stuck")
        .map((s) => ({ ...s, family: f.name })),
    );
    expect(new Set(stuck.map((s) => s.family))).toEqual(
      new Set([
        "component_stats_health_score",
        "component_stats_status",
        "component_stats_verdict",
      ]),
    );
    expect(stuck.find((s) => s.labels.status === "timeout")?.value).toBe(1);
    const broken = families
      .find((f) => f.name === "component_stats_status")
      ?.samples.find((s) => s.labels.component === "broken" && s.value === 1);
    expect(broken?.labels.status).toBe("error");
  });

  it("adds an unusual status to the component's state set", async () => {
    const families = parseExposition(formatPrometheus(await (await trickyRegistry()).collect()));
    const status = families.find((f) => f.name === "component_stats_status");
    const lineBreak = status?.samples.filter((s) => s.labels.component === "line\nbreak") ?? [];
    expect(lineBreak.map((s) => [s.labels.status, s.value])).toEqual([
      ["initializing", 0],
      ["connected", 0],
      ["active", 0],
      ["disconnected", 0],
      ["error", 0],
      ["timeout", 0],
      ["degraded", 1],
    ]);
  });

  it("exports lifetime _sum and _count in seconds, and the window's quantiles beside them", async () => {
    const clock = manualClock(START);
    const t = new BaseStatisticsTracker("t", { clock, timingWindow: 2 });
    for (const ms of [100, 200, 300]) await t.recordTiming("op", ms);
    const families = parseExposition(await renderPrometheus(t));
    const value = (family: string, name: string, labels: Record<string, string> = {}) =>
      families
        .find((f) => f.name === family)
        ?.samples.find(
          (s) =>
            s.name === name &&
            Object.entries(labels).every(([label, wanted]) => s.labels[label] === wanted),
        )?.value;
    const histogram = "component_stats_operation_duration_seconds";
    const window = "component_stats_operation_window_duration_seconds";
    // Every timing counts in _sum and _count: 0.6 s over 3 calls; the window holds 200 and 300.
    expect(value(histogram, `${histogram}_count`)).toBe(3);
    expect(value(histogram, `${histogram}_sum`)).toBe(0.6);
    expect(value(histogram, `${histogram}_bucket`, { le: "0.1" })).toBe(1);
    expect(value(histogram, `${histogram}_bucket`, { le: "0.25" })).toBe(2);
    expect(value(histogram, `${histogram}_bucket`, { le: "0.5" })).toBe(3);
    expect(value(histogram, `${histogram}_bucket`, { le: "+Inf" })).toBe(3);
    expect(value(window, window, { quantile: "0.5" })).toBe(0.25);
    expect(value(window, window, { quantile: "0.99" })).toBeCloseTo(0.299, 12);
  });

  it("uses the prefix option, also an empty one", () => {
    const s = snapshot(report("a", { counters: { "5xx": 1, ok: 2 } }));
    const custom = parseExposition(formatPrometheus(s, { prefix: "app:" }));
    expect(custom.map((f) => f.name)).toContain("app:ok_total");
    const bare = parseExposition(formatPrometheus(s, { prefix: "" }));
    expect(bare.map((f) => f.name)).toEqual([
      "health_score",
      "status",
      "verdict",
      "registry_verdict",
      "errors_total",
      "uptime_seconds",
      "memory_bytes",
      "_5xx_total",
      "ok_total",
    ]);
  });

  it.each([
    [{ prefix: 5 }, TypeError, /`prefix`.*5 \(number\)/],
    [{ prefix: "9lives_" }, RangeError, /`prefix`.*"9lives_"/],
    [{ prefix: "with space" }, RangeError, /`prefix`/],
    [{ prefix: "ünï_" }, RangeError, /`prefix`/],
  ])("rejects the options %o", (options, type, message) => {
    expect(() => formatPrometheus(snapshot(), options as never)).toThrow(type);
    expect(() => formatPrometheus(snapshot(), options as never)).toThrow(message);
  });

  it("rejects options that are not an object", () => {
    expect(() => formatPrometheus(snapshot(), null as never)).toThrow(TypeError);
  });

  it("is pure: the same snapshot gives the same text and is not changed", async () => {
    const s = await (await trickyRegistry()).collect();
    const copy = structuredClone(s);
    expect(formatPrometheus(s)).toBe(formatPrometheus(s));
    expect(s).toEqual(copy);
  });
});

describe("escaping", () => {
  it("escapes backslash, double quote and line feed in label values", () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
  });

  it("escapes backslash and line feed in help, and keeps quotes", () => {
    expect(escapeHelp('a\\b"c\nd')).toBe('a\\\\b"c\\nd');
  });

  it("writes lone surrogates as the text \\uXXXX, keeps pairs, and keeps names with that text apart", () => {
    // Escaped text in the exposition: the format doubles each backslash once more.
    expect(escapeLabelValue("x\uD83D")).toBe("x\\\\uD83D");
    expect(escapeLabelValue("\uDE00y")).toBe("\\\\uDE00y");
    expect(escapeLabelValue("😀")).toBe("😀");
    expect(escapeLabelValue("\uFFFD")).toBe("\uFFFD");
    // A name that already holds the text \uD83D gets its backslash doubled first.
    expect(escapeLabelValue("x\\uD83D")).toBe("x\\\\\\\\uD83D");
    expect(escapeLabelValue("back\\slash")).toBe("back\\\\slash");
  });

  it("writes values as Go reads them", () => {
    expect(formatValue(Number.NaN)).toBe("NaN");
    expect(formatValue(Number.POSITIVE_INFINITY)).toBe("+Inf");
    expect(formatValue(Number.NEGATIVE_INFINITY)).toBe("-Inf");
    expect(formatValue(-0)).toBe("0");
    expect(formatValue(1e21)).toBe("1e+21");
    expect(formatValue(1.5e-7)).toBe("1.5e-7");
  });
});

describe("renderPrometheus", () => {
  it("renders a registry from its collect()", async () => {
    const registry = await trickyRegistry();
    expect(await renderPrometheus(registry)).toBe(formatPrometheus(await registry.collect()));
  });

  it("renders a single tracker as a one-component snapshot", async () => {
    const t = new BaseStatisticsTracker("solo", { clock: manualClock(START) });
    await t.increment("hits", 0);
    const families = parseExposition(await renderPrometheus(t, { prefix: "x_" }));
    expect(families.find((f) => f.name === "x_hits_total")?.samples).toEqual([
      { name: "x_hits_total", labels: { component: "solo" }, value: 0 },
    ]);
    const named = parseExposition(await renderPrometheus(t, { name: "renamed" }));
    expect(named[0]?.samples[0]?.labels.component).toBe("renamed");
  });

  it("takes every option given as undefined for its default", async () => {
    const t = new BaseStatisticsTracker("solo", { clock: manualClock(START) });
    await t.increment("hits");
    const allUndefined: { [K in keyof Required<RenderPrometheusOptions>]: undefined } = {
      prefix: undefined,
      name: undefined,
    };
    const text = await renderPrometheus(t, allUndefined);
    expect(text).toBe(await renderPrometheus(t));
    expect(text).toContain(`${DEFAULT_PROMETHEUS_PREFIX}hits_total{component="solo"} 1`);
    const snapshot = await (await trickyRegistry()).collect();
    expect(formatPrometheus(snapshot, { prefix: undefined })).toBe(formatPrometheus(snapshot));
  });

  it("renders a registry from another copy of the package by its collect()", async () => {
    const registry = await trickyRegistry();
    const foreign = { collect: () => registry.collect() };
    expect(await renderPrometheus(foreign as unknown as StatisticsRegistry)).toBe(
      formatPrometheus(await registry.collect()),
    );
  });

  it("rejects what is neither a registry nor a provider", async () => {
    await expect(renderPrometheus({} as never)).rejects.toThrow(
      /`source` to be a StatisticsRegistry or a StatisticsProvider/,
    );
    await expect(renderPrometheus(null as never)).rejects.toThrow(TypeError);
    await expect(renderPrometheus(new StatisticsRegistry(), { prefix: "-" })).rejects.toThrow(
      RangeError,
    );
  });
});

/** A registry with one component of each verdict, and one whose collection times out. */
async function verdictRegistry(options: { nonCritical?: string[] } = {}) {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({
    clock,
    componentTimeoutMs: 20,
    verdict: { nonCritical: options.nonCritical ?? [] },
  });
  const trackers: Record<string, BaseStatisticsTracker> = {};
  for (const [name, status] of [
    ["feed", "connected"],
    ["cache", "initializing"],
    ["broker", "disconnected"],
  ] as const) {
    const tracker = new BaseStatisticsTracker(name, { clock, cacheTtlMs: 0 });
    await tracker.setStatus(status);
    registry.register(tracker);
    trackers[name] = tracker;
  }
  return { registry, trackers };
}

/** The samples of one verdict family as `labels -> value` lines, in order. */
function verdictLines(text: string, family: string): string[] {
  return (
    parseExposition(text)
      .find((f) => f.name === family)
      ?.samples.map((s) => `${JSON.stringify(s.labels)} ${s.value}`) ?? []
  );
}

describe("verdict families", () => {
  it("writes each component's verdict as a state set, and the registry's, as the snapshot says", async () => {
    const { registry } = await verdictRegistry();
    const snapshot = await registry.collect();
    expect(snapshot.components.map((c) => c.verdict)).toEqual(["healthy", "degraded", "unhealthy"]);
    const text = formatPrometheus(snapshot);
    expect(verdictLines(text, "component_stats_verdict")).toEqual([
      '{"component":"feed","verdict":"healthy"} 1',
      '{"component":"feed","verdict":"degraded"} 0',
      '{"component":"feed","verdict":"unhealthy"} 0',
      '{"component":"cache","verdict":"healthy"} 0',
      '{"component":"cache","verdict":"degraded"} 1',
      '{"component":"cache","verdict":"unhealthy"} 0',
      '{"component":"broker","verdict":"healthy"} 0',
      '{"component":"broker","verdict":"degraded"} 0',
      '{"component":"broker","verdict":"unhealthy"} 1',
    ]);
    expect(verdictLines(text, "component_stats_registry_verdict")).toEqual([
      '{"verdict":"healthy"} 0',
      '{"verdict":"degraded"} 0',
      '{"verdict":"unhealthy"} 1',
    ]);
  });

  it("follows the registry's rules: a non-critical component makes it degraded at worst, recovery healthy", async () => {
    const { registry, trackers } = await verdictRegistry({ nonCritical: ["broker"] });
    const registryVerdict = async () =>
      verdictLines(formatPrometheus(await registry.collect()), "component_stats_registry_verdict")
        .filter((line) => line.endsWith(" 1"))
        .map((line) => JSON.parse(line.slice(0, -2)).verdict);
    expect(await registryVerdict()).toEqual(["degraded"]);
    await trackers.cache?.setStatus("connected");
    await trackers.broker?.setStatus("connected");
    expect(await registryVerdict()).toEqual(["healthy"]);
  });

  it("reports a component that could not be collected as unhealthy", async () => {
    const text = formatPrometheus(await (await trickyRegistry()).collect());
    const lines = verdictLines(text, "component_stats_verdict");
    expect(lines).toContain('{"component":"stuck","verdict":"unhealthy"} 1');
    expect(lines).toContain('{"component":"broken","verdict":"unhealthy"} 1');
  });

  it("writes no verdict series for reports without a verdict (a snapshot from 0.1), and none for an empty registry", () => {
    const old = snapshot(report("a"));
    const [a] = old.components;
    if (a !== undefined) a.verdict = undefined as never;
    old.health.verdict = undefined as never;
    const text = formatPrometheus(old);
    expect(text).toContain('component_stats_status{component="a",status="connected"} 1');
    expect(text).not.toContain("verdict");
    expect(formatPrometheus(snapshot())).toBe("");
  });

  it("keeps user gauges named like the verdict families apart from them", async () => {
    const t = new BaseStatisticsTracker("t", { clock: manualClock(START) });
    await t.setGauge("verdict", 1);
    await t.setGauge("registry_verdict", 2);
    const families = parseExposition(await renderPrometheus(t));
    const byName = new Map(families.map((f) => [f.name, f]));
    expect(byName.get("component_stats_verdict")?.help).toMatch(/^Verdict of the component/);
    expect(byName.get("component_stats_registry_verdict")?.help).toMatch(
      /^Verdict of the registry/,
    );
    expect(byName.get(`component_stats_${metricStem("gauge", "verdict")}`)?.help).toBe(
      'Gauge "verdict" of each component (the last value set).',
    );
    expect(metricStem("gauge", "verdict")).toMatch(/^verdict_[0-9a-f]{8}$/);
    expect(metricStem("gauge", "registry_verdict")).toMatch(/^registry_verdict_[0-9a-f]{8}$/);
  });
});

describe("promtool check metrics", () => {
  const skip = PROMTOOL === undefined;
  if (skip) {
    console.warn(
      "promtool is not installed: skipping `promtool check metrics` (Debian: apt-get install prometheus)",
    );
  }

  it.skipIf(skip)(
    "accepts the output for several components, tricky names and zero values, without a complaint",
    async () => {
      const text = formatPrometheus(await (await trickyRegistry()).collect());
      // Sanity: the text holds what this test is about.
      expect(text).toContain('component="line\\nbreak"');
      expect(text).toContain('component="quote \\"main\\""');
      expect(text).toMatch(/ 0$/m);
      const { status, output } = promtoolCheck(text);
      expect(output).toBe("");
      expect(status).toBe(0);
    },
  );

  it.skipIf(skip)("accepts the verdict families of every verdict", async () => {
    const text = formatPrometheus(await (await verdictRegistry()).registry.collect());
    expect(text).toContain('component_stats_registry_verdict{verdict="unhealthy"} 1');
    const { status, output } = promtoolCheck(text);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it.skipIf(skip)("accepts a single tracker's output and a custom prefix", async () => {
    const t = new BaseStatisticsTracker("solo");
    await t.recordTiming("request", 5);
    const { status, output } = promtoolCheck(await renderPrometheus(t, { prefix: "my_app_" }));
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it.skipIf(skip)("is the real check: it rejects a counter without _total", () => {
    const { status, output } = promtoolCheck(
      "# HELP x_count help\n# TYPE x_count counter\nx_count 1\n",
    );
    expect(status).not.toBe(0);
    expect(output).toMatch(/_total/);
  });
});

/** The value of one series in an exposition. */
function sampleValue(
  text: string,
  name: string,
  labels: Record<string, string>,
): number | undefined {
  return parseExposition(text)
    .flatMap((family) => family.samples)
    .find(
      (s) =>
        s.name === name &&
        JSON.stringify(Object.entries(s.labels).sort()) ===
          JSON.stringify(Object.entries(labels).sort()),
    )?.value;
}

describe("the cases of issue 11, each of which today's exporter got wrong", () => {
  it("_sum only grows: 1000 × 100 ms, a scrape, then 1000 × 1 ms", async () => {
    // Today _sum fell from 100 to 2 while _count rose, and Prometheus counted a reset.
    const t = new BaseStatisticsTracker("t", { clock: manualClock(START) });
    for (let i = 0; i < 1000; i++) await t.recordTiming("op", 100);
    const labels = { component: "t", operation: "op" };
    const sum = "component_stats_operation_duration_seconds_sum";
    const count = "component_stats_operation_duration_seconds_count";
    const before = await renderPrometheus(t);
    for (let i = 0; i < 1000; i++) await t.recordTiming("op", 1);
    const after = await renderPrometheus(t);
    expect(sampleValue(before, sum, labels)).toBe(100);
    expect(sampleValue(after, sum, labels)).toBe(101);
    expect(sampleValue(after, count, labels)).toBe(2000);
  });

  it("rate(_sum)/rate(_count) is the true mean after a component got slower", async () => {
    // Today: 100,000 × 1 ms, then 1000 × 100 ms gave 9.1 s per call, 91x the true 0.1 s.
    const t = new BaseStatisticsTracker("t", { clock: manualClock(START) });
    for (let i = 0; i < 100_000; i++) await t.recordTiming("op", 1);
    const labels = { component: "t", operation: "op" };
    const sum = "component_stats_operation_duration_seconds_sum";
    const count = "component_stats_operation_duration_seconds_count";
    const before = await renderPrometheus(t);
    for (let i = 0; i < 1000; i++) await t.recordTiming("op", 100);
    const after = await renderPrometheus(t);
    const mean =
      ((sampleValue(after, sum, labels) ?? 0) - (sampleValue(before, sum, labels) ?? 0)) /
      ((sampleValue(after, count, labels) ?? 0) - (sampleValue(before, count, labels) ?? 0));
    expect(mean).toBeCloseTo(0.1, 12);
  });

  it("puts every operation in one histogram family, so a fleet adds up with sum by (le)", async () => {
    const t = new BaseStatisticsTracker("t", { clock: manualClock(START) });
    await t.recordTiming("place", 3);
    await t.recordTiming("cancel", 30);
    const families = parseExposition(await renderPrometheus(t));
    const histograms = families.filter((f) => f.type === "histogram");
    expect(histograms.map((f) => f.name)).toEqual(["component_stats_operation_duration_seconds"]);
    expect(new Set(histograms[0]?.samples.map((s) => s.labels.operation))).toEqual(
      new Set(["place", "cancel"]),
    );
    expect(families.filter((f) => f.type === "summary").map((f) => f.name)).toEqual([
      "component_stats_operation_window_duration_seconds",
    ]);
  });

  it("types a counter that received a negative increment as a gauge, never as a counter that goes down", async () => {
    // Today: increment 5, then -2 and -10 was `connections_total -7`, typed counter.
    const t = new BaseStatisticsTracker("pool", { clock: manualClock(START) });
    await t.increment("connections", 5);
    const first = parseExposition(await renderPrometheus(t));
    expect(first.find((f) => f.name === "component_stats_connections_total")?.type).toBe("counter");
    await t.increment("connections", -2);
    await t.increment("connections", -10);
    const families = parseExposition(await renderPrometheus(t));
    expect(families.find((f) => f.name === "component_stats_connections_total")).toBeUndefined();
    const net = families.find((f) => f.name === "component_stats_connections_net");
    expect(net?.type).toBe("gauge");
    expect(net?.samples.map((s) => s.value)).toEqual([-7]);
    // A reset makes it a counter again: it starts from 0.
    await t.resetMetrics();
    await t.increment("connections", 1);
    const reset = parseExposition(await renderPrometheus(t));
    expect(reset.find((f) => f.name === "component_stats_connections_total")?.type).toBe("counter");
  });

  it("keeps a component's series when another component adds names", async () => {
    // Today b's counters x and a-b renamed a's series and changed x_total from gauge to counter.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    const a = new BaseStatisticsTracker("a", { clock });
    const b = new BaseStatisticsTracker("b", { clock });
    registry.register(a);
    registry.register(b);
    await a.setGauge("x_total", 2);
    await a.increment("a.b", 3);
    const series = (text: string, component: string) =>
      parseExposition(text)
        .flatMap((f) => f.samples.map((s) => ({ ...s, type: f.type })))
        .filter((s) => s.labels.component === component)
        .map((s) => `${s.type} ${s.name} ${JSON.stringify(s.labels)} ${s.value}`)
        .sort();
    const before = series(formatPrometheus(await registry.collect()), "a");
    await b.increment("x", 1);
    await b.increment("a-b", 1);
    const text = formatPrometheus(await registry.collect());
    expect(series(text, "a")).toEqual(before);
    const bSeries = series(text, "b").filter(
      (s) => !/health|status|verdict|errors|uptime|memory/.test(s),
    );
    expect(bSeries).toEqual(
      [
        `counter component_stats_x_total {"component":"b"} 1`,
        `counter component_stats_${metricStem("counter", "a-b")}_total {"component":"b"} 1`,
      ].sort(),
    );
  });

  it("keeps components named with distinct lone surrogates distinct", async () => {
    // Today all three were component="lone\uFFFD": 12 duplicate series.
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    for (const name of ["lone\uD800", "lone\uDC00", "lone\uFFFD", "lone\\uD800"]) {
      const t = new BaseStatisticsTracker(name, { clock });
      await t.increment("hits", 1);
      registry.register(t);
    }
    const text = formatPrometheus(await registry.collect());
    // parseExposition throws on a duplicate series.
    const hits = parseExposition(text).find((f) => f.name === "component_stats_hits_total");
    expect(hits?.samples.map((s) => s.labels.component)).toEqual([
      "lone\\uD800",
      "lone\\uDC00",
      "lone\uFFFD",
      "lone\\\\uD800",
    ]);
    expect(text).not.toMatch(/[\uD800-\uDFFF]/);
  });
});

/** One sample of the histogram or window family: its `le` or `quantile` in `label`. */
type Row = [
  name: string,
  component: string,
  operation: string,
  label: number | string,
  value: number,
];

/**
 * Whether two numbers agree to 14 significant digits: the text writes seconds rounded
 * to 15, which the oracle does not repeat.
 */
const close = (a: number | string, b: number | string) =>
  typeof a === "number" && typeof b === "number"
    ? Math.abs(a - b) <= 1e-14 * Math.max(Math.abs(a), Math.abs(b))
    : a === b;

/** Rows equal in their names and labels, and close in their numbers. */
function expectRows(actual: Row[], expected: Row[]): void {
  expect(actual.map((row) => row.slice(0, 3))).toEqual(expected.map((row) => row.slice(0, 3)));
  actual.forEach((row, i) => {
    const want = expected[i] as Row;
    if (!close(row[3], want[3]) || !close(row[4], want[4])) {
      expect(row).toEqual(want);
    }
  });
}

/** One operation's timing summary, with lifetime figures over `bounds` when given. */
const summaryArb = (bounds: number | undefined) =>
  fc.record({
    count: fc.nat(10_000),
    avgMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    minMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    maxMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    p50Ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    p90Ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    p95Ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    p99Ms: fc.double({ min: 0, max: 1e6, noNaN: true }),
    ...(bounds === undefined
      ? {}
      : {
          sumMs: fc.double({ min: 0, max: 1e9, noNaN: true }),
          bucketCounts: fc.array(fc.nat(1000), { minLength: bounds + 1, maxLength: bounds + 1 }),
        }),
  });

/** Names with the characters escaping must handle. */
const nameArb = fc.string({
  unit: fc.constantFrom("a", "b", "_", ".", " ", '"', "\\", "\n", "é", "😀"),
  minLength: 1,
  maxLength: 6,
});

/** A component: collected with lifetime histograms, collected without them, or failed. */
const componentArb = (name: string) =>
  fc.oneof(
    fc
      // Bounds in whole microseconds: two bounds closer than 15 significant digits would
      // write the same `le` (a limit of the format's text, not of the render).
      .uniqueArray(fc.integer({ min: 1, max: 100_000_000 }), { minLength: 1, maxLength: 4 })
      .map((micros) => micros.sort((a, b) => a - b).map((us) => us / 1000))
      .chain((bounds) =>
        fc
          .dictionary(nameArb, summaryArb(bounds.length), { maxKeys: 4 })
          .map((performanceMetrics) =>
            report(name, { performanceMetrics, timingBucketsMs: bounds }),
          ),
      ),
    fc
      .dictionary(nameArb, summaryArb(undefined), { maxKeys: 3 })
      .map((performanceMetrics) => report(name, { performanceMetrics })),
    fc.constant<ComponentReport>({
      name,
      outcome: "error",
      status: "error",
      healthScore: 0,
      weight: 1,
      reason: "failed",
      verdict: "unhealthy",
      reasons: [],
    }),
  );

const snapshotArb = fc
  .uniqueArray(nameArb, { minLength: 1, maxLength: 5 })
  .chain((names) => fc.tuple(...names.map(componentArb)))
  .map((components) => snapshot(...components));

/** The histogram and window samples a snapshot must give, written out one by one. */
function expectedRows(s: RegistrySnapshot): { histogram: Row[]; window: Row[] } {
  const histogram: Row[] = [];
  const window: Row[] = [];
  const duration = "component_stats_operation_duration_seconds";
  for (const { name: component, stats } of s.components) {
    if (stats === undefined) continue;
    for (const [operation, summary] of Object.entries(stats.performanceMetrics)) {
      const bounds = stats.timingBucketsMs;
      const counts = summary.bucketCounts;
      if (bounds !== undefined && counts !== undefined && summary.sumMs !== undefined) {
        let cumulative = 0;
        bounds.forEach((bound, b) => {
          cumulative += counts[b] as number;
          histogram.push([`${duration}_bucket`, component, operation, bound / 1000, cumulative]);
        });
        cumulative += counts[bounds.length] as number;
        histogram.push([`${duration}_bucket`, component, operation, "+Inf", cumulative]);
        histogram.push([`${duration}_sum`, component, operation, "", summary.sumMs / 1000]);
        histogram.push([`${duration}_count`, component, operation, "", cumulative]);
      }
      const quantiles = [
        ["0.5", summary.p50Ms],
        ["0.9", summary.p90Ms],
        ["0.95", summary.p95Ms],
        ["0.99", summary.p99Ms],
      ] as const;
      for (const [quantile, ms] of quantiles) {
        window.push([
          "component_stats_operation_window_duration_seconds",
          component,
          operation,
          quantile,
          ms / 1000,
        ]);
      }
    }
  }
  return { histogram, window };
}

/** The same rows, read back from the text. */
function renderedRows(text: string, family: string, label: "le" | "quantile"): Row[] {
  const found = parseExposition(text).find((f) => f.name === family);
  return (found?.samples ?? []).map((sample) => {
    const le = sample.labels[label] ?? "";
    return [
      sample.name,
      sample.labels.component as string,
      sample.labels.operation as string,
      label === "le" && le !== "" && le !== "+Inf" ? Number(le) : le,
      sample.value,
    ];
  });
}

describe("formatPrometheus histogram and window families", () => {
  it("list every collected component's operations in order, each sample as the snapshot says", () => {
    fc.assert(
      fc.property(snapshotArb, (s) => {
        const text = formatPrometheus(s);
        const expected = expectedRows(s);
        expectRows(
          renderedRows(text, "component_stats_operation_duration_seconds", "le"),
          expected.histogram,
        );
        expectRows(
          renderedRows(text, "component_stats_operation_window_duration_seconds", "quantile"),
          expected.window,
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe("encodePrometheus", () => {
  it("writes formatPrometheus's text as UTF-8, unicode names included", () => {
    fc.assert(
      fc.property(snapshotArb, fc.constantFrom("", "app_", "component_stats_"), (s, prefix) => {
        const bytes = encodePrometheus(s, { prefix });
        const text = formatPrometheus(s, { prefix });
        // Lossless both ways: no lone surrogate or invalid sequence became U+FFFD.
        expect(bytes).toEqual(new TextEncoder().encode(text));
        expect(bytes.byteLength).toBe(Buffer.byteLength(text));
      }),
      { numRuns: 200 },
    );
  });

  it("writes each value anew when it changed, and the same text when it came back", () => {
    const timed = (p50Ms: number, sumMs: number) =>
      snapshot(
        report("reused", {
          timingBucketsMs: [1],
          performanceMetrics: {
            op: {
              count: 1,
              avgMs: 1,
              minMs: 1,
              maxMs: 1,
              p50Ms,
              p90Ms: 1,
              p95Ms: 1,
              p99Ms: 1,
              sumMs,
              bucketCounts: [1, 0],
            },
          },
        }),
      );
    const lines = (s: RegistrySnapshot) =>
      formatPrometheus(s, { prefix: "" })
        .split("\n")
        .filter(
          (line) =>
            line.includes('quantile="0.5"') || line.startsWith("operation_duration_seconds_sum"),
        );
    const first = lines(timed(1, 2));
    expect(first).toEqual([
      'operation_duration_seconds_sum{component="reused",operation="op"} 0.002',
      'operation_window_duration_seconds{component="reused",operation="op",quantile="0.5"} 0.001',
    ]);
    expect(lines(timed(0.425, 2))[1]).toMatch(/ 0\.000425$/);
    expect(lines(timed(0.425, 3))[0]).toMatch(/ 0\.003$/);
    // 9192.245 / 1000 is 9.192245000000002 in binary floating point: 16 digits, rounded.
    expect(lines(timed(1, 9192.245))[0]).toMatch(/ 9\.192245$/);
    expect(lines(timed(1, 2))).toEqual(first);
    expect(lines(timed(0, 0))).toEqual([
      'operation_duration_seconds_sum{component="reused",operation="op"} 0',
      'operation_window_duration_seconds{component="reused",operation="op",quantile="0.5"} 0',
    ]);
  });

  it("keeps no spare room when a small exposition follows a large one", () => {
    const large = snapshot(
      ...Array.from({ length: 50 }, (_, i) =>
        report(`component_${i}`, { status: "connected", healthScore: 100 }),
      ),
    );
    const small = snapshot(report("only", { status: "connected", healthScore: 100 }));
    expect(encodePrometheus(large).byteLength).toBeGreaterThan(10_000);
    const bytes = encodePrometheus(small);
    expect(bytes.buffer.byteLength).toBe(bytes.byteLength);
    expect(new TextDecoder().decode(bytes)).toBe(formatPrometheus(small));
  });

  it("checks its options as formatPrometheus does", () => {
    const s = snapshot(report("x", { status: "connected", healthScore: 1 }));
    expect(() => encodePrometheus(s, { prefix: "9bad" })).toThrow(/prefix/);
    expect(() => encodePrometheus(s, null as never)).toThrow(/`options`/);
    expect(new TextDecoder().decode(encodePrometheus(snapshot()))).toBe("");
  });
});

describe("encodePrometheus past its series cache", () => {
  it("writes every value right when a render passes the 65,536 series it keeps", () => {
    // 7 components × 10,000 operations: every render clears the cache part way
    // through and starts again, so a value is written from a cache emptied
    // mid-render, from one kept since the render before, or from none.
    const family = "component_stats_operation_window_duration_seconds";
    const render = (shift: number) => {
      const reports: ComponentReport[] = [];
      const expected: string[] = [];
      for (let c = 0; c < 7; c++) {
        const performanceMetrics: Record<string, TimingSummary> = {};
        for (let o = 0; o < 10_000; o++) {
          // Eighths of a millisecond, whose seconds print short; half the operations
          // keep their values from render to render.
          const ms = (c * 10_000 + o + (o % 2 === 0 ? shift : 0)) / 8;
          const quantilesMs = [ms, ms + 1, ms + 2, ms + 3];
          performanceMetrics[`op_${o}`] = {
            count: 1,
            avgMs: ms,
            minMs: ms,
            maxMs: ms + 3,
            p50Ms: ms,
            p90Ms: ms + 1,
            p95Ms: ms + 2,
            p99Ms: ms + 3,
          };
          ["0.5", "0.9", "0.95", "0.99"].forEach((quantile, q) => {
            const labels = `component="component_${c}",operation="op_${o}",quantile="${quantile}"`;
            expected.push(`${family}{${labels}} ${(quantilesMs[q] as number) / 1000}`);
          });
        }
        reports.push(report(`component_${c}`, { performanceMetrics }));
      }
      return { snapshot: snapshot(...reports), expected };
    };
    for (const shift of [0, 1, 1, 0]) {
      const { snapshot: s, expected } = render(shift);
      const lines = new TextDecoder()
        .decode(encodePrometheus(s))
        .split("\n")
        .filter((line) => line.startsWith(`${family}{`));
      expect(lines.length).toBe(280_000);
      expect(lines.join("\n")).toBe(expected.join("\n"));
    }
  });
});

describe("formatPrometheus speed", () => {
  it("renders 100 components × 50 operations without a per-series allocation storm", async () => {
    const clock = manualClock(START);
    const registry = new StatisticsRegistry({ clock, cacheTtlMs: 0 });
    for (let c = 0; c < 100; c++) {
      const t = new BaseStatisticsTracker(`component_${c}`, { clock });
      for (let o = 0; o < 50; o++) await t.recordTiming(`operation_${o}`, (c * 50 + o) % 997);
      registry.register(t);
    }
    const snapshot = await registry.collect();
    formatPrometheus(snapshot); // warm the name caches
    const started = performance.now();
    const text = formatPrometheus(snapshot);
    const elapsedMs = performance.now() - started;
    // 5000 histograms of 19 lines and 5000 × 4 quantiles, besides the built-ins.
    expect(text.split("\n").length).toBeGreaterThan(115_000);
    // A generous bound for a shared CI machine; bench/scrape.ts holds the real target.
    expect(elapsedMs).toBeLessThan(500);
  });
});

describe("hand-written providers and the new snapshot fields", () => {
  const summary = {
    count: 2,
    avgMs: 1,
    minMs: 1,
    maxMs: 1,
    p50Ms: 1,
    p90Ms: 1,
    p95Ms: 1,
    p99Ms: 1,
  };
  const provider = (extra: Partial<ComponentStats>, timing: Record<string, unknown> = {}) => ({
    componentName: "custom",
    increment: async () => {},
    setGauge: async () => {},
    recordTiming: async () => {},
    trackError: async () => {},
    getHealthScore: async () => 90,
    getStats: async () => ({
      ...stats("custom"),
      performanceMetrics: { op: { ...summary, ...timing } },
      ...extra,
    }),
  });

  it("exports a summary without lifetime figures in the window family only", async () => {
    const registry = new StatisticsRegistry({ cacheTtlMs: 0 });
    registry.register(provider({}) as unknown as StatisticsProvider);
    const families = parseExposition(formatPrometheus(await registry.collect()));
    const names = families.map((f) => f.name);
    expect(names).toContain("component_stats_operation_window_duration_seconds");
    expect(names).not.toContain("component_stats_operation_duration_seconds");
  });

  it.each([
    ["bucket counts without bounds", {}, { sumMs: 2, bucketCounts: [2, 0] }],
    [
      "bucket counts that miss the count",
      { timingBucketsMs: [1] },
      { sumMs: 2, bucketCounts: [1, 0] },
    ],
    [
      "bucket counts of the wrong length",
      { timingBucketsMs: [1] },
      { sumMs: 2, bucketCounts: [2] },
    ],
    ["bounds out of order", { timingBucketsMs: [2, 1] }, { sumMs: 2, bucketCounts: [2, 0, 0] }],
    [
      "a sum that is not finite",
      { timingBucketsMs: [1] },
      { sumMs: Number.NaN, bucketCounts: [2, 0] },
    ],
    ["an up-down counter that is not a counter", { upDownCounters: ["nope"] }, {}],
  ])("reports a component with %s as an error", async (_, extra, timing) => {
    const registry = new StatisticsRegistry({ cacheTtlMs: 0 });
    registry.register(provider(extra, timing) as unknown as StatisticsProvider);
    const [report] = (await registry.collect()).components;
    expect(report?.outcome).toBe("error");
  });
});

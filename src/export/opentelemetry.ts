/**
 * The OpenTelemetry bridge, published as `component-stats/opentelemetry`: a
 * `MetricProducer` that hands a registry's pre-aggregated numbers to any
 * `MetricReader` (`metricProducers: [producer]`). It imports nothing from
 * OpenTelemetry at run time; the shapes it produces are declared here, structurally
 * equal to `@opentelemetry/sdk-metrics`' own.
 *
 * @packageDocumentation
 */
import { msToSeconds } from "../compute/seconds.js";
import type { ComponentReport, RegistrySnapshot } from "../registry/types.js";
import { describeValue } from "../shared/validate.js";
import type { TimingSummary } from "../types.js";
import {
  BUILT_IN_FAMILIES,
  type BuiltInFamily,
  KNOWN_STATUSES,
  mbToBytes,
  userFamilies,
  userHelp,
  verdictStates,
  WINDOW_QUANTILES,
} from "./families.js";
import { KIND_SUFFIX, type UserMetricKind } from "./metric-name.js";

/**
 * What the producer reads: a `StatisticsRegistry`, or anything that collects a
 * {@link RegistrySnapshot} the same way.
 */
export interface SnapshotSource {
  /** Collects (or serves the cached) snapshot. */
  collect(): Promise<RegistrySnapshot>;
}

/** OpenTelemetry's instrument types, as `MetricReader.selectAggregationTemporality` takes them. */
export type InstrumentTypeName =
  | "COUNTER"
  | "GAUGE"
  | "HISTOGRAM"
  | "UP_DOWN_COUNTER"
  | "OBSERVABLE_COUNTER"
  | "OBSERVABLE_GAUGE"
  | "OBSERVABLE_UP_DOWN_COUNTER";

/** OpenTelemetry's `AggregationTemporality`: 0 is delta, 1 cumulative. */
export type Temporality = 0 | 1;

const DELTA = 0;
const CUMULATIVE = 1;

/**
 * What decides a temporality per instrument type: an exporter or a reader of
 * `@opentelemetry/sdk-metrics` has this method.
 */
export interface TemporalitySource {
  /** The temporality the exporter or reader wants for an instrument type. */
  selectAggregationTemporality(instrumentType: InstrumentTypeName): Temporality;
}

/** Options of {@link createMetricProducer}. */
export interface MetricProducerOptions {
  /**
   * Prepended to every metric name: a letter, then up to 63 of `[A-Za-z0-9_./-]`.
   * The Prometheus names are these with `.`, `/` and `-` written `_` (see the README's
   * table).
   * @defaultValue `"component_stats."`
   */
  prefix?: string | undefined;
  /**
   * The aggregation temporality of sums and histograms: `"cumulative"`, `"delta"`
   * (OpenTelemetry's delta preference: counters and histograms delta, up-down
   * counters cumulative), or the exporter (or anything with its
   * `selectAggregationTemporality`) whose choice to follow. A delta producer
   * remembers the last values it reported, so give each reader a producer of its own.
   * @defaultValue `"cumulative"`
   */
  temporality?: "cumulative" | "delta" | TemporalitySource | undefined;
  /**
   * The instrumentation scope the metrics are reported under.
   * @defaultValue `{ name: "component-stats" }`
   */
  scope?: { name: string; version?: string | undefined } | undefined;
}

/** An OpenTelemetry time: seconds and nanoseconds since the epoch. */
export type HrTime = [number, number];

/** Attribute values of the produced data points. */
export type PointAttributes = Record<string, string>;

/** One data point, as `@opentelemetry/sdk-metrics` shapes it. */
export interface ProducedPoint<T> {
  readonly startTime: HrTime;
  readonly endTime: HrTime;
  readonly attributes: PointAttributes;
  readonly value: T;
}

/** An explicit-bucket histogram value, as `@opentelemetry/sdk-metrics` shapes it. */
export interface ProducedHistogram {
  buckets: { boundaries: number[]; counts: number[] };
  sum?: number;
  count: number;
  min?: number;
  max?: number;
}

/** What every produced metric carries. */
export interface ProducedDescriptor {
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  /** `ValueType.DOUBLE`. */
  readonly valueType: 1;
}

/** A sum (`DataPointType.SUM`, 3). */
export interface ProducedSum {
  readonly descriptor: ProducedDescriptor;
  readonly aggregationTemporality: Temporality;
  readonly dataPointType: 3;
  readonly dataPoints: ProducedPoint<number>[];
  readonly isMonotonic: boolean;
}

/** A gauge (`DataPointType.GAUGE`, 2). */
export interface ProducedGauge {
  readonly descriptor: ProducedDescriptor;
  readonly aggregationTemporality: Temporality;
  readonly dataPointType: 2;
  readonly dataPoints: ProducedPoint<number>[];
}

/** A histogram (`DataPointType.HISTOGRAM`, 0). */
export interface ProducedHistogramMetric {
  readonly descriptor: ProducedDescriptor;
  readonly aggregationTemporality: Temporality;
  readonly dataPointType: 0;
  readonly dataPoints: ProducedPoint<ProducedHistogram>[];
}

/** One produced metric. */
export type ProducedMetric = ProducedSum | ProducedGauge | ProducedHistogramMetric;

/**
 * A resource as `@opentelemetry/resources` declares it. A `MetricReader` keeps its
 * own SDK's resource and ignores the one a producer returns; this one is empty.
 */
export interface ProducedResource {
  readonly attributes: Record<string, never>;
  merge(other: ProducedResource | null): ProducedResource;
  getRawAttributes(): [];
}

/** What one collection returns, as `@opentelemetry/sdk-metrics`' `CollectionResult`. */
export interface ProducedCollection {
  resourceMetrics: {
    resource: ProducedResource;
    scopeMetrics: { scope: { name: string; version?: string }; metrics: ProducedMetric[] }[];
  };
  errors: unknown[];
}

/** A `MetricProducer` of `@opentelemetry/sdk-metrics`: give it to a reader's `metricProducers`. */
export interface ComponentStatsMetricProducer {
  /** Collects the registry and returns its numbers as OpenTelemetry metrics. Never rejects. */
  collect(options?: { timeoutMillis?: number | undefined }): Promise<ProducedCollection>;
}

/** The default prefix of OpenTelemetry names: Prometheus' `component_stats_` with a dot. */
export const DEFAULT_OPENTELEMETRY_PREFIX = "component_stats.";

const OTEL_PREFIX = /^[A-Za-z][A-Za-z0-9_./-]{0,63}$/;

const EMPTY_RESOURCE: ProducedResource = {
  attributes: {},
  merge(other) {
    return other ?? EMPTY_RESOURCE;
  },
  getRawAttributes() {
    return [];
  },
};

/**
 * A component's counting period: when its lifetime figures started (its
 * `countingSince`) and how many resets came before (its `resetCount`). A reset
 * while the clock stands still changes only the second.
 */
interface Period {
  readonly since: number;
  readonly resets: number;
}

/** The last values a delta producer reported of one series. */
interface Reported {
  readonly period: Period;
  readonly atMs: number;
  readonly value: number;
  /** A histogram's lifetime sum in milliseconds and bucket counts. */
  readonly sumMs?: number;
  readonly counts?: readonly number[];
}

/**
 * What a delta producer last reported: component name, then series key (see
 * {@link seriesKey}), then the values. Kept per component so that a component that
 * was not collected keeps its series whole (see {@link produce}).
 */
type Baselines = Map<string, Map<string, Reported>>;

/** The last values reported of one series of one component, if any. */
function lastReported(baselines: Baselines, component: string, key: string): Reported | undefined {
  return baselines.get(component)?.get(key);
}

/** Remembers what was reported now of one series of one component. */
function remember(baselines: Baselines, component: string, key: string, value: Reported): void {
  let series = baselines.get(component);
  if (series === undefined) {
    series = new Map();
    baselines.set(component, series);
  }
  series.set(key, value);
}

/**
 * Creates an OpenTelemetry `MetricProducer` over a registry. At every collection of
 * the reader it is given to, it collects the registry (its cached snapshot while
 * fresh) and produces, labelled like the Prometheus output (`component`,
 * `operation`, `status`, `quantile` attributes):
 *
 * - monotonic sums for counters and `errors` (start time: the component's creation
 *   or last reset, its `countingSince`);
 * - non-monotonic sums for counters that received a negative increment;
 * - gauges for gauges, `health_score`, `status`, `uptime` (s) and `memory` (By);
 * - gauges `verdict` (attributes `component`, `verdict`) and `registry.verdict`
 *   (attribute `verdict` only): 1 for the current verdict, 0 for the other two;
 * - explicit-bucket histograms `operation.duration` (s) with count, sum, lifetime
 *   min and max (left out under delta temporality, where they are not known for
 *   the interval) and buckets over the component's `timingBucketsMs`;
 * - gauges `operation.window.duration` (s) with the window's exact quantiles.
 *
 * Names are valid OpenTelemetry instrument names, units sit in the unit field, and
 * each maps to exactly one Prometheus family of `formatPrometheus` (dots to `_`,
 * the unit's suffix, `_total` for monotonic sums): the README has the table. A
 * metric appears at the first collection that sees it and is gone after
 * `resetMetrics()` until written again.
 *
 * @param registry - a `StatisticsRegistry` (or anything with its `collect()`).
 * @param options - prefix, temporality and instrumentation scope.
 * @returns the producer.
 * @throws TypeError or RangeError naming the argument or option that is not valid.
 * @example
 * ```ts
 * import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
 * import { createMetricProducer } from "component-stats/opentelemetry";
 *
 * const reader = new PeriodicExportingMetricReader({
 *   exporter,
 *   metricProducers: [createMetricProducer(registry)],
 * });
 * ```
 */
export function createMetricProducer(
  registry: SnapshotSource,
  options: MetricProducerOptions = {},
): ComponentStatsMetricProducer {
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to have a collect() method (a StatisticsRegistry), got ${describeValue(registry)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const prefix = options.prefix ?? DEFAULT_OPENTELEMETRY_PREFIX;
  if (typeof prefix !== "string" || !OTEL_PREFIX.test(prefix)) {
    const ErrorType = typeof prefix === "string" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected \`prefix\` to be a letter followed by up to 63 of [A-Za-z0-9_./-], got ${describeValue(prefix)}`,
    );
  }
  const select = temporalitySelector(options.temporality);
  const scope = scopeOption(options.scope);
  let reported: Baselines = new Map();

  return {
    async collect() {
      let snapshot: RegistrySnapshot;
      try {
        snapshot = await registry.collect();
      } catch (error) {
        return { resourceMetrics: { resource: EMPTY_RESOURCE, scopeMetrics: [] }, errors: [error] };
      }
      const next: Baselines = new Map();
      let metrics: ProducedMetric[];
      try {
        metrics = produce(snapshot, prefix, select, reported, next);
      } catch (error) {
        return { resourceMetrics: { resource: EMPTY_RESOURCE, scopeMetrics: [] }, errors: [error] };
      }
      reported = next;
      return {
        resourceMetrics: { resource: EMPTY_RESOURCE, scopeMetrics: [{ scope, metrics }] },
        errors: [],
      };
    },
  };
}

type Selector = (instrumentType: InstrumentTypeName) => Temporality;

/** OpenTelemetry's delta preference: sums of increments and histograms delta, up-down sums cumulative. */
const DELTA_PREFERENCE: Selector = (type) =>
  type === "UP_DOWN_COUNTER" || type === "OBSERVABLE_UP_DOWN_COUNTER" ? CUMULATIVE : DELTA;

function temporalitySelector(option: MetricProducerOptions["temporality"]): Selector {
  if (option === undefined || option === "cumulative") return () => CUMULATIVE;
  if (option === "delta") return DELTA_PREFERENCE;
  if (
    typeof option === "object" &&
    option !== null &&
    typeof option.selectAggregationTemporality === "function"
  ) {
    return (type) => (option.selectAggregationTemporality(type) === DELTA ? DELTA : CUMULATIVE);
  }
  throw new TypeError(
    `Expected \`temporality\` to be "cumulative", "delta" or an exporter with selectAggregationTemporality(), got ${describeValue(option)}`,
  );
}

/**
 * The scope, copied: a `version` given as `undefined` is left out, as the SDK's own
 * scopes do, and a later change to the caller's object changes nothing.
 */
function scopeOption(option: MetricProducerOptions["scope"]): { name: string; version?: string } {
  if (option === undefined) return { name: "component-stats" };
  if (typeof option !== "object" || option === null || typeof option.name !== "string") {
    throw new TypeError(
      `Expected \`scope\` to be an object with a string name, got ${describeValue(option)}`,
    );
  }
  const { name, version } = option;
  if (version === undefined) return { name };
  if (typeof version !== "string") {
    throw new TypeError(
      `Expected \`scope.version\` to be a string or undefined, got ${describeValue(version)}`,
    );
  }
  return { name, version };
}

/**
 * The key a delta producer remembers a series of a component under: its metric name
 * and the attribute that tells its points apart (operation or worker). A JSON
 * array, because names may hold any character (NUL included), so no separator could
 * keep `a` + `b\u0000c` apart from `a\u0000b` + `c`; a missing part is `null`, not `""`.
 */
function seriesKey(metric: string, part?: string): string {
  return JSON.stringify([metric, part ?? null]);
}

/** Epoch milliseconds as an OpenTelemetry HrTime. */
export function toHrTime(epochMs: number): HrTime {
  const seconds = Math.floor(epochMs / 1000);
  const nanos = Math.min(999_999_999, Math.round((epochMs - seconds * 1000) * 1e6));
  return [seconds, nanos];
}

function descriptor(name: string, help: string, unit: string): ProducedDescriptor {
  return { name, description: help, unit, valueType: 1 };
}

/**
 * Builds one collection's metrics; `before` holds what delta series reported last
 * time, and `after` gets what they report now.
 *
 * A component that failed or timed out this time keeps its baselines, so that its
 * next collection reports what it counted since the last one that reached it, not
 * all of it again. What is kept is bounded by what is registered: a component no
 * longer in the snapshot (unregistered) keeps nothing, and one collected keeps only
 * the series it has now (a series `resetMetrics()` removed is forgotten).
 */
function produce(
  snapshot: RegistrySnapshot,
  prefix: string,
  select: Selector,
  before: Baselines,
  after: Baselines,
): ProducedMetric[] {
  const endMs = snapshot.timestamp;
  const endTime = toHrTime(endMs);
  const metrics: ProducedMetric[] = [];
  const reports = snapshot.components;
  for (const report of reports) {
    const kept = report.stats === undefined ? before.get(report.name) : undefined;
    if (kept !== undefined) after.set(report.name, kept);
  }
  const gaugeTemporality = select("OBSERVABLE_GAUGE");
  const named = (family: BuiltInFamily) =>
    descriptor(prefix + family.otelSuffix, family.help, family.unit);
  const sinceOf = (report: ComponentReport) =>
    Math.min(report.stats?.countingSince ?? endMs, endMs);
  const periodOf = (report: ComponentReport): Period => ({
    since: sinceOf(report),
    resets: report.stats?.resetCount ?? 0,
  });
  const gaugePoint = (report: ComponentReport, attributes: PointAttributes, value: number) => ({
    startTime: toHrTime(sinceOf(report)),
    endTime,
    attributes,
    value,
  });

  const pushGauge = (family: BuiltInFamily, points: ProducedPoint<number>[]) => {
    if (points.length === 0) return;
    metrics.push({
      descriptor: named(family),
      aggregationTemporality: gaugeTemporality,
      dataPointType: 2,
      dataPoints: points,
    });
  };

  /** A sum point under the selected temporality; `key` names the series of `component`. */
  const sumPoint = (
    component: string,
    key: string,
    temporality: Temporality,
    monotonic: boolean,
    period: Period,
    attributes: PointAttributes,
    value: number,
  ): ProducedPoint<number> => {
    const since = period.since;
    if (temporality === CUMULATIVE) {
      return { startTime: toHrTime(since), endTime, attributes, value };
    }
    const last = lastReported(before, component, key);
    remember(after, component, key, { period, atMs: endMs, value });
    // Same counting period and (for a counter) no drop: report the increase since
    // the last collection; otherwise the series was reset and all of it is new.
    if (
      last !== undefined &&
      samePeriod(last.period, period) &&
      (!monotonic || value >= last.value)
    ) {
      return {
        startTime: toHrTime(last.atMs),
        endTime,
        attributes,
        value: value - last.value,
      };
    }
    return { startTime: toHrTime(since), endTime, attributes, value };
  };

  pushGauge(
    BUILT_IN_FAMILIES.health,
    reports.map((report) => gaugePoint(report, { component: report.name }, report.healthScore)),
  );
  pushGauge(
    BUILT_IN_FAMILIES.status,
    reports.flatMap((report) => {
      const statuses = KNOWN_STATUSES.includes(report.status)
        ? KNOWN_STATUSES
        : [...KNOWN_STATUSES, report.status];
      return statuses.map((status) =>
        gaugePoint(report, { component: report.name, status }, status === report.status ? 1 : 0),
      );
    }),
  );

  pushGauge(
    BUILT_IN_FAMILIES.verdict,
    reports.flatMap((report) =>
      verdictStates(report.verdict).map(([verdict, value]) =>
        gaugePoint(report, { component: report.name, verdict }, value),
      ),
    ),
  );
  // The registry's verdict has no component, so no counting period: it starts and ends now.
  if (reports.length > 0) {
    pushGauge(
      BUILT_IN_FAMILIES.registryVerdict,
      verdictStates(snapshot.health?.verdict).map(([verdict, value]) => ({
        startTime: endTime,
        endTime,
        attributes: { verdict },
        value,
      })),
    );
  }

  const collected = reports.filter(
    (report): report is ComponentReport & { stats: NonNullable<ComponentReport["stats"]> } =>
      report.stats !== undefined,
  );
  const errorsName = prefix + BUILT_IN_FAMILIES.errors.otelSuffix;
  const errorsTemporality = select("OBSERVABLE_COUNTER");
  if (collected.length > 0) {
    metrics.push({
      descriptor: named(BUILT_IN_FAMILIES.errors),
      aggregationTemporality: errorsTemporality,
      dataPointType: 3,
      isMonotonic: true,
      dataPoints: collected.map((report) =>
        sumPoint(
          report.name,
          seriesKey(errorsName),
          errorsTemporality,
          true,
          periodOf(report),
          { component: report.name },
          report.stats.errorCount,
        ),
      ),
    });
  }
  pushGauge(
    BUILT_IN_FAMILIES.uptime,
    collected.map((report) =>
      gaugePoint(report, { component: report.name }, report.stats.uptimeSeconds),
    ),
  );
  pushGauge(
    BUILT_IN_FAMILIES.memory,
    collected.map((report) =>
      gaugePoint(report, { component: report.name }, mbToBytes(report.stats.memoryUsageMb)),
    ),
  );

  const histogramTemporality = select("HISTOGRAM");
  const histogramName = prefix + BUILT_IN_FAMILIES.duration.otelSuffix;
  const histograms: ProducedPoint<ProducedHistogram>[] = [];
  const windows: ProducedPoint<number>[] = [];
  for (const report of collected) {
    const { stats } = report;
    const period = periodOf(report);
    const boundaries = stats.timingBucketsMs?.map(msToSeconds);
    for (const [operation, summary] of Object.entries(stats.performanceMetrics)) {
      const attributes = { component: report.name, operation };
      for (const [quantile, field] of WINDOW_QUANTILES) {
        windows.push(gaugePoint(report, { ...attributes, quantile }, msToSeconds(summary[field])));
      }
      if (boundaries === undefined) continue;
      const histogram = lifetimeHistogram(summary, boundaries);
      if (histogram === undefined) continue;
      const key = seriesKey(histogramName, operation);
      const point = { period, attributes, histogram, sumMs: summary.sumMs as number };
      histograms.push(
        histogramPoint(report.name, key, histogramTemporality, point, endMs, before, after),
      );
    }
  }
  if (histograms.length > 0) {
    metrics.push({
      descriptor: named(BUILT_IN_FAMILIES.duration),
      aggregationTemporality: histogramTemporality,
      dataPointType: 0,
      dataPoints: histograms,
    });
  }
  pushGauge(BUILT_IN_FAMILIES.window, windows);

  const periods = new Map(collected.map((report) => [report.name, periodOf(report)]));
  for (const family of userFamilies(snapshot)) {
    const name = prefix + family.stem + KIND_SUFFIX[family.kind];
    const help = userHelp(family.kind, family.original);
    const points = (temporality: Temporality, monotonic: boolean) =>
      family.samples.map((sample) =>
        sumPoint(
          sample.component,
          seriesKey(name, sample.worker),
          temporality,
          monotonic,
          periods.get(sample.component) ?? { since: endMs, resets: 0 },
          sample.worker === undefined
            ? { component: sample.component }
            : { component: sample.component, worker: sample.worker },
          sample.value,
        ),
      );
    metrics.push(
      userMetric(family.kind, descriptor(name, help, ""), select, points, gaugeTemporality),
    );
  }
  return metrics;
}

function userMetric(
  kind: UserMetricKind,
  described: ProducedDescriptor,
  select: Selector,
  points: (temporality: Temporality, monotonic: boolean) => ProducedPoint<number>[],
  gaugeTemporality: Temporality,
): ProducedMetric {
  if (kind === "gauge") {
    // Gauges have no temporality to apply: the last value is the value.
    const dataPoints = points(CUMULATIVE, false);
    return {
      descriptor: described,
      aggregationTemporality: gaugeTemporality,
      dataPointType: 2,
      dataPoints,
    };
  }
  const monotonic = kind === "counter";
  const temporality = select(monotonic ? "OBSERVABLE_COUNTER" : "OBSERVABLE_UP_DOWN_COUNTER");
  return {
    descriptor: described,
    aggregationTemporality: temporality,
    dataPointType: 3,
    isMonotonic: monotonic,
    dataPoints: points(temporality, monotonic),
  };
}

/** The lifetime histogram of a summary, in seconds; undefined when it has none. */
function lifetimeHistogram(
  summary: TimingSummary,
  boundaries: number[],
): ProducedHistogram | undefined {
  const { bucketCounts, sumMs } = summary;
  if (bucketCounts === undefined || sumMs === undefined) return undefined;
  if (bucketCounts.length !== boundaries.length + 1) return undefined;
  const histogram: ProducedHistogram = {
    buckets: { boundaries, counts: [...bucketCounts] },
    sum: msToSeconds(sumMs),
    count: summary.count,
  };
  if (summary.lifetimeMinMs !== undefined && summary.lifetimeMaxMs !== undefined) {
    histogram.min = msToSeconds(summary.lifetimeMinMs);
    histogram.max = msToSeconds(summary.lifetimeMaxMs);
  }
  return histogram;
}

/** Whether two counting periods are one: same start, no reset in between. */
function samePeriod(a: Period, b: Period): boolean {
  return a.since === b.since && a.resets === b.resets;
}

/** A histogram point under the selected temporality; `key` names the series of `component`. */
function histogramPoint(
  component: string,
  key: string,
  temporality: Temporality,
  point: {
    period: Period;
    attributes: PointAttributes;
    histogram: ProducedHistogram;
    sumMs: number;
  },
  endMs: number,
  before: Baselines,
  after: Baselines,
): ProducedPoint<ProducedHistogram> {
  const { period, attributes, histogram, sumMs } = point;
  const since = period.since;
  const endTime = toHrTime(endMs);
  if (temporality === CUMULATIVE) {
    return { startTime: toHrTime(since), endTime, attributes, value: histogram };
  }
  const counts = histogram.buckets.counts;
  const last = lastReported(before, component, key);
  remember(after, component, key, { period, atMs: endMs, value: histogram.count, sumMs, counts });
  // Min and max of the interval are not known from lifetime figures: left out.
  const { min: _min, max: _max, ...withoutExtremes } = histogram;
  const previous = last?.counts;
  if (
    last === undefined ||
    previous === undefined ||
    !samePeriod(last.period, period) ||
    histogram.count < last.value ||
    previous.length !== counts.length
  ) {
    return { startTime: toHrTime(since), endTime, attributes, value: withoutExtremes };
  }
  return {
    startTime: toHrTime(last.atMs),
    endTime,
    attributes,
    value: {
      buckets: {
        boundaries: histogram.buckets.boundaries,
        counts: counts.map((count, i) => count - (previous[i] as number)),
      },
      sum: msToSeconds(Math.max(0, sumMs - (last.sumMs ?? 0))),
      count: histogram.count - last.value,
    },
  };
}

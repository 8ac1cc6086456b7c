/**
 * The OpenTelemetry bridge, published as `component-stats/opentelemetry` so that the
 * core never loads `@opentelemetry/api` (an optional peer dependency). This module
 * only uses its types: the `Meter` it is given does all the work.
 *
 * @packageDocumentation
 */
import type {
  Attributes,
  BatchObservableResult,
  Meter,
  Observable,
  ObservableCounter,
  ObservableGauge,
  ObservableUpDownCounter,
} from "@opentelemetry/api";
import type { RegistrySnapshot } from "../registry/types.js";
import { describeValue } from "../shared/validate.js";
import { builtInFamilies, type MetricFamily, snapshotFamilies } from "./families.js";
import { checkPrefix, DEFAULT_PROMETHEUS_PREFIX } from "./metric-name.js";

/**
 * What the bridge reads: a `StatisticsRegistry`, or anything that collects a
 * {@link RegistrySnapshot} the same way.
 */
export interface SnapshotSource {
  /** Collects (or serves the cached) snapshot. */
  collect(): Promise<RegistrySnapshot>;
}

/** Options of {@link observeRegistry}. */
export interface OpenTelemetryOptions {
  /**
   * Prepended to every instrument name, as in the Prometheus output.
   * @defaultValue `"component_stats_"`
   */
  prefix?: string;
}

/** What {@link observeRegistry} returns. */
export interface OpenTelemetryBridge {
  /**
   * Settles once the instruments for the metrics the registry holds now exist, so
   * that the next collection reports them. Never rejects: a failed first
   * collection leaves the instruments to be created by the next one.
   */
  readonly ready: Promise<void>;
  /** Stops observing: the callback is removed and the registry is no longer read. */
  unregister(): void;
}

type InstrumentKind = "counter" | "upDownCounter" | "gauge";

interface Instrument {
  readonly kind: InstrumentKind;
  readonly observable: ObservableCounter | ObservableUpDownCounter | ObservableGauge;
}

/**
 * Reports a registry's snapshots through an OpenTelemetry `Meter`, with the same
 * instrument names, attributes and meaning as the Prometheus output of
 * `formatPrometheus` (same prefix): each Prometheus sample name is one instrument,
 * each label one attribute.
 *
 * - counters (`…_total`, `errors_total`) → `ObservableCounter`;
 * - gauges (`health_score`, `status`, `uptime_seconds`, `memory_bytes`, user
 *   gauges) → `ObservableGauge`;
 * - a timing summary `<name>_duration_seconds` → an `ObservableGauge` of that name
 *   with a `quantile` attribute, an `ObservableCounter` `<name>_duration_seconds_count`
 *   and an `ObservableUpDownCounter` `<name>_duration_seconds_sum` (up-down because
 *   the sum is the window mean times the count, which can go down).
 *
 * All instruments are observed by ONE batch callback, which awaits
 * `registry.collect()`: the registry's cached snapshot while it is fresh, so
 * several readers or a short export interval do not multiply the work.
 *
 * OpenTelemetry fixes the instruments of a batch callback when it is registered,
 * and library metric names appear at run time. The bridge therefore creates the
 * instrument of a name the first time a collection shows it and re-registers its
 * callback with the larger set: a metric first seen in one collection is reported
 * from the next one on. `ready` covers the metrics that exist when the bridge is
 * created. Instruments are never removed (OpenTelemetry has no way to), so a
 * component that goes away simply stops being observed.
 *
 * @param meter - from `metrics.getMeter(…)` or a `MeterProvider`.
 * @param registry - a `StatisticsRegistry`.
 * @param options - the instrument-name prefix.
 * @returns a handle whose `unregister()` stops the observation.
 * @throws TypeError or RangeError for a bad meter, registry or prefix.
 * @example
 * ```ts
 * import { metrics } from "@opentelemetry/api";
 * import { observeRegistry } from "component-stats/opentelemetry";
 *
 * const bridge = observeRegistry(metrics.getMeter("my-sdk"), registry);
 * await bridge.ready;
 * // … on shutdown:
 * bridge.unregister();
 * ```
 */
export function observeRegistry(
  meter: Meter,
  registry: SnapshotSource,
  options: OpenTelemetryOptions = {},
): OpenTelemetryBridge {
  checkMeter(meter);
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to have a collect() method (a StatisticsRegistry), got ${describeValue(registry)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { prefix = DEFAULT_PROMETHEUS_PREFIX } = options;
  checkPrefix(prefix);

  const instruments = new Map<string, Instrument>();
  /** The instruments the registered callback observes; the SDK drops observations of others. */
  let observed: Observable[] = [];
  let closed = false;

  const create = (name: string, kind: InstrumentKind, family: MetricFamily | BuiltInShape) => {
    // A summary's _count counts timings: it has no unit, unlike its quantiles and _sum.
    const unit = family.type === "summary" && kind === "counter" ? "" : UNITS[family.unit];
    const metricOptions = { description: family.help, unit };
    const observable =
      kind === "counter"
        ? meter.createObservableCounter(name, metricOptions)
        : kind === "upDownCounter"
          ? meter.createObservableUpDownCounter(name, metricOptions)
          : meter.createObservableGauge(name, metricOptions);
    instruments.set(name, { kind, observable });
  };

  /** Creates the instruments a snapshot needs; true when any was new. */
  const ensureInstruments = (families: readonly MetricFamily[]): boolean => {
    let added = false;
    for (const family of families) {
      for (const sample of family.samples) {
        if (instruments.has(sample.name)) continue;
        create(sample.name, instrumentKind(family, sample.name), family);
        added = true;
      }
    }
    return added;
  };

  const callback = async (result: BatchObservableResult): Promise<void> => {
    if (closed) return;
    const families = snapshotFamilies(await registry.collect(), prefix);
    if (closed) return;
    const current = new Set(observed);
    for (const family of families) {
      for (const sample of family.samples) {
        const instrument = instruments.get(sample.name);
        // A name that changed kind (after a naming collision was resolved differently)
        // cannot reuse its instrument; it is left out rather than misreported.
        if (instrument === undefined || !current.has(instrument.observable)) continue;
        if (instrument.kind !== instrumentKind(family, sample.name)) continue;
        const attributes: Attributes = Object.fromEntries(sample.labels);
        result.observe(instrument.observable, sample.value, attributes);
      }
    }
    if (ensureInstruments(families)) reregister();
  };

  const reregister = () => {
    if (closed) return;
    meter.removeBatchObservableCallback(callback, observed);
    observed = [...instruments.values()].map((instrument) => instrument.observable);
    meter.addBatchObservableCallback(callback, observed);
  };

  // The built-in families exist for every component, so their instruments are known
  // up front; they also give the callback something to be registered with.
  for (const family of builtInFamilies(prefix)) {
    create(family.name, family.type === "counter" ? "counter" : "gauge", family);
  }
  observed = [...instruments.values()].map((instrument) => instrument.observable);
  meter.addBatchObservableCallback(callback, observed);

  const ready = registry.collect().then(
    (snapshot) => {
      if (!closed && ensureInstruments(snapshotFamilies(snapshot, prefix))) reregister();
    },
    () => {},
  );

  return {
    ready,
    unregister() {
      if (closed) return;
      closed = true;
      meter.removeBatchObservableCallback(callback, observed);
    },
  };
}

type BuiltInShape = ReturnType<typeof builtInFamilies>[number];

/** UCUM units, as OpenTelemetry's semantic conventions write them. */
const UNITS: Record<MetricFamily["unit"], string> = { seconds: "s", bytes: "By", "": "" };

function instrumentKind(family: MetricFamily, sampleName: string): InstrumentKind {
  if (family.type === "counter") return "counter";
  if (family.type === "gauge") return "gauge";
  if (sampleName === `${family.name}_count`) return "counter";
  if (sampleName === `${family.name}_sum`) return "upDownCounter";
  return "gauge";
}

const METER_METHODS = [
  "createObservableCounter",
  "createObservableUpDownCounter",
  "createObservableGauge",
  "addBatchObservableCallback",
  "removeBatchObservableCallback",
] as const;

function checkMeter(meter: unknown): asserts meter is Meter {
  const candidate = meter as Record<string, unknown> | null;
  if (
    typeof candidate !== "object" ||
    candidate === null ||
    !METER_METHODS.every((method) => typeof candidate[method] === "function")
  ) {
    throw new TypeError(
      `Expected \`meter\` to be an OpenTelemetry Meter (with ${METER_METHODS.join(", ")}), got ${describeValue(meter)}`,
    );
  }
}

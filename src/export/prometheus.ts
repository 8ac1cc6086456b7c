import { StatisticsRegistry } from "../registry/registry.js";
import type { RegistrySnapshot } from "../registry/types.js";
import { describeValue } from "../shared/validate.js";
import { isStatisticsProvider, type StatisticsProvider } from "../tracker/provider.js";
import { snapshotFamilies } from "./families.js";
import { checkPrefix, DEFAULT_PROMETHEUS_PREFIX } from "./metric-name.js";

/** The `Content-Type` of the Prometheus text exposition format 0.0.4. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export { DEFAULT_PROMETHEUS_PREFIX } from "./metric-name.js";

/** Options of {@link formatPrometheus}. */
export interface PrometheusOptions {
  /**
   * Prepended to every metric name: empty, or matching `[a-zA-Z_:][a-zA-Z0-9_:]*`.
   * @defaultValue `"component_stats_"`
   */
  prefix?: string;
}

/** Options of {@link renderPrometheus}. */
export interface RenderPrometheusOptions extends PrometheusOptions {
  /**
   * The `component` label of a single provider; defaults to its `componentName`.
   * Ignored for a registry.
   */
  name?: string;
}

/**
 * Writes a registry snapshot in the Prometheus text exposition format 0.0.4. Pure.
 *
 * Every series carries a `component` label. Per component: `health_score`,
 * `status` (a state gauge: `…_status{component="x",status="connected"} 1`, and 0
 * for the other usual statuses), `errors_total`, `uptime_seconds`, `memory_bytes`;
 * each counter as a `counter` named `<name>_total`; each gauge as a `gauge`; each
 * timed operation as a `summary` `<name>_duration_seconds` with quantiles 0.5, 0.9,
 * 0.95 and 0.99 plus `_sum` and `_count`. All samples of one metric name, across
 * components, form one family under one `# HELP` and `# TYPE`. Library names (any
 * Unicode) are mapped to `[a-z0-9_]`; names that collide after that get `_2`,
 * `_3`, … (the README states the full rule). Label values and help texts are
 * escaped as the format requires. Zero values are written like any other.
 *
 * @param snapshot - what {@link StatisticsRegistry.collect} returned.
 * @param options - the metric-name prefix.
 * @returns the exposition text, ending with a newline (empty with no components).
 * @throws TypeError or RangeError when `prefix` is not valid.
 * @example
 * ```ts
 * const text = formatPrometheus(await registry.collect());
 * response.writeHead(200, { "Content-Type": PROMETHEUS_CONTENT_TYPE }).end(text);
 * ```
 */
export function formatPrometheus(
  snapshot: RegistrySnapshot,
  options: PrometheusOptions = {},
): string {
  const prefix = prefixOption(options);
  const lines: string[] = [];
  for (const family of snapshotFamilies(snapshot, prefix)) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) {
      const labels = sample.labels
        .map(([label, value]) => `${label}="${escapeLabelValue(value)}"`)
        .join(",");
      lines.push(`${sample.name}{${labels}} ${formatValue(sample.value)}`);
    }
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * Collects a registry, or a single provider as a one-component registry, and writes
 * it with {@link formatPrometheus}.
 *
 * @param source - a {@link StatisticsRegistry} (its cached snapshot is used while
 *   fresh), anything else with its `collect()` (a `ClusterRegistry`), or any
 *   {@link StatisticsProvider}.
 * @param options - the prefix, and the component name of a single provider.
 * @returns the exposition text.
 * @throws TypeError when `source` is neither (the promise rejects), or for bad options.
 * @example
 * ```ts
 * const text = await renderPrometheus(tracker); // component="order_manager"
 * ```
 */
export async function renderPrometheus(
  source: Pick<StatisticsRegistry, "collect"> | StatisticsProvider,
  options: RenderPrometheusOptions = {},
): Promise<string> {
  prefixOption(options);
  if (source instanceof StatisticsRegistry || isRegistryLike(source)) {
    return formatPrometheus(await source.collect(), options);
  }
  if (!isStatisticsProvider(source)) {
    throw new TypeError(
      `Expected \`source\` to be a StatisticsRegistry or a StatisticsProvider, got ${describeValue(source)}`,
    );
  }
  // No cache: the provider caches its own snapshot, and this registry lives for one call.
  const registry = new StatisticsRegistry({ cacheTtlMs: 0 });
  registry.register(source, options.name === undefined ? {} : { name: options.name });
  return formatPrometheus(await registry.collect(), options);
}

/**
 * A registry from another copy of this package (the ESM and the CommonJS build
 * loaded side by side) fails `instanceof`; its `collect()` still says what it is.
 */
function isRegistryLike(source: unknown): source is Pick<StatisticsRegistry, "collect"> {
  return (
    typeof source === "object" &&
    source !== null &&
    !isStatisticsProvider(source) &&
    typeof (source as { collect?: unknown }).collect === "function"
  );
}

function prefixOption(options: PrometheusOptions): string {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { prefix = DEFAULT_PROMETHEUS_PREFIX } = options;
  checkPrefix(prefix);
  return prefix;
}

/**
 * Lone UTF-16 surrogates (a string cut in the middle of an emoji) are not valid
 * Unicode and would reach the wire as bytes a parser may reject; U+FFFD replaces them.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes a label value: backslash, double quote and line feed, as the format requires. */
export function escapeLabelValue(value: string): string {
  return value
    .replace(LONE_SURROGATE, "\uFFFD")
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n");
}

/** Escapes a help text: backslash and line feed (quotes stay as they are in help). */
export function escapeHelp(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD").replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/** Writes a sample value as Go's `ParseFloat` reads it (`+Inf`, `-Inf`, `NaN`). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}

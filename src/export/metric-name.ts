import { describeValue } from "../shared/validate.js";

/**
 * The prefix of every exported metric name unless another is given, in the
 * Prometheus text and the OpenTelemetry instrument names alike.
 */
export const DEFAULT_PROMETHEUS_PREFIX = "component_stats_";

/** The exposition format's metric-name alphabet. */
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * Maps a library metric name (any Unicode) to a fragment of a Prometheus metric
 * name: a non-empty string of `[a-z0-9_]`. The rule, in order:
 *
 * 1. Unicode NFKD normalisation, then combining marks are dropped, so `Größe` keeps
 *    its `o` (`gro_e`) and `ﬁ` becomes `fi`.
 * 2. camelCase is split: `_` goes between a lowercase letter or digit and an
 *    uppercase letter (`ordersPlaced` → `orders_Placed`), because promtool's linter
 *    rejects camelCase names.
 * 3. ASCII letters are lowercased.
 * 4. Every code point outside `[a-z0-9_]` becomes `_`; colons too, which
 *    Prometheus reserves for recording rules.
 * 5. Runs of `_` collapse to one, and leading and trailing `_` are trimmed.
 * 6. An empty result (a name made only of symbols, say `✓`) becomes `metric`.
 *
 * Different names can map to the same fragment (`a.b` and `a-b`); the exporter
 * resolves such collisions (see `snapshotFamilies`).
 *
 * @param name - any string.
 * @returns the fragment.
 */
export function metricNameFragment(name: string): string {
  const fragment = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_|_$/g, "");
  return fragment === "" ? "metric" : fragment;
}

/**
 * Checks a metric-name prefix: empty, or a valid start of a Prometheus metric name.
 *
 * @param prefix - the prefix.
 * @throws TypeError when it is not a string; RangeError when it has characters
 *   outside `[a-zA-Z0-9_:]` or starts with a digit.
 */
export function checkPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== "string") {
    throw new TypeError(`Expected \`prefix\` to be a string, got ${describeValue(prefix)}`);
  }
  if (prefix !== "" && !METRIC_NAME.test(prefix)) {
    throw new RangeError(
      `Expected \`prefix\` to match [a-zA-Z_:][a-zA-Z0-9_:]* or be empty, got ${describeValue(prefix)}`,
    );
  }
}

/**
 * Joins a checked prefix and a fragment into a valid metric name; with an empty
 * prefix a fragment that starts with a digit gets a leading `_`.
 */
export function joinName(prefix: string, fragment: string): string {
  const name = prefix + fragment;
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

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
 * Different names can map to the same fragment (`a.b` and `a-b`); {@link metricStem}
 * keeps them apart.
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

/** The kinds of library metric that get a metric name of their own. */
export type UserMetricKind = "counter" | "upDownCounter" | "gauge";

/** Longest fragment kept whole; a longer one is cut (and so counts as lossy). */
export const MAX_FRAGMENT_LENGTH = 120;

/** The shape of the suffix a lossy name gets: `_` and 8 hex digits. */
const HASH_SUFFIX = /_[0-9a-f]{8}$/;

/** What each kind appends to its stem. */
export const KIND_SUFFIX: Readonly<Record<UserMetricKind, string>> = {
  counter: "_total",
  upDownCounter: "_net",
  gauge: "",
};

/**
 * The names the built-in families take (after the prefix), in Prometheus and in
 * OpenTelemetry. A user stem equal to one of them, for a kind whose suffix would
 * make it one, is not plain.
 */
const BUILT_IN_STEMS: Readonly<Record<UserMetricKind, readonly string[]>> = {
  // errors_total is a built-in counter.
  counter: ["errors"],
  upDownCounter: [],
  gauge: [
    "health_score",
    "status",
    "verdict",
    "registry_verdict",
    "uptime_seconds",
    "memory_bytes",
    "operation_duration_seconds",
    "operation_window_duration_seconds",
    // The OpenTelemetry names of errors_total, uptime_seconds and memory_bytes, whose
    // kind and unit live outside the name there: a gauge's OpenTelemetry name is its
    // bare stem. (The other built-in OpenTelemetry names hold a dot, which no stem has.)
    "errors",
    "uptime",
    "memory",
  ],
};

/**
 * Suffixes a gauge name may not end with: those of the other kinds, and those the
 * exposition format reserves for histograms and summaries.
 */
const GAUGE_RESERVED_SUFFIXES = ["_total", "_net", "_sum", "_count", "_bucket"];

/**
 * FNV-1a, 32 bits, over the UTF-16 code units of `text`, as 8 hex digits: a stable
 * hash (the same in every process and version) that tells apart names a
 * sanitised fragment no longer does, lone surrogates included.
 */
export function nameHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * The stem of a library metric's exported name: its fragment when the fragment says
 * exactly what the name is, else the fragment and a hash of the original name.
 *
 * A name is kept plain when {@link metricNameFragment} returns it unchanged (it is
 * made of `[a-z0-9_]` with no leading, trailing or doubled `_`), is at most
 * {@link MAX_FRAGMENT_LENGTH} characters, does not end like a hash suffix
 * (`_` and 8 hex digits), and would not take the name of a built-in family (its
 * Prometheus or its OpenTelemetry name: a gauge may not be `uptime`) or of
 * another kind (a gauge may not end in `_total`, `_net`, `_sum`, `_count` or
 * `_bucket`; a counter may not be `errors`). Any other name is lossy and gets
 * `_<8 hex digits of the FNV-1a hash of the original name>` after its (cut)
 * fragment: `a.b` → `a_b_6b5a3c2f`-like, `a-b` → another hash.
 *
 * The stem depends on nothing but the name and its kind, so a series never changes
 * name or type because another metric or component appeared. Two distinct names of
 * one kind get one stem only if both their fragments and their 32-bit hashes agree.
 *
 * @param kind - the metric's kind.
 * @param name - the library name (any string).
 * @returns the stem, `[a-z0-9_]`, without prefix or kind suffix.
 */
export function metricStem(kind: UserMetricKind, name: string): string {
  const fragment = metricNameFragment(name);
  const plain =
    fragment === name &&
    fragment.length <= MAX_FRAGMENT_LENGTH &&
    !HASH_SUFFIX.test(fragment) &&
    !BUILT_IN_STEMS[kind].includes(fragment) &&
    !(kind === "gauge" && GAUGE_RESERVED_SUFFIXES.some((suffix) => fragment.endsWith(suffix)));
  if (plain) return fragment;
  const cut = fragment.slice(0, MAX_FRAGMENT_LENGTH).replace(/_$/, "");
  return `${cut}_${nameHash(name)}`;
}

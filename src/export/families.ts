import type { ComponentReport, RegistrySnapshot } from "../registry/types.js";
import type { TimingSummary } from "../types.js";
import { joinName, metricNameFragment } from "./metric-name.js";

/** The Prometheus type of a family. */
export type FamilyType = "counter" | "gauge" | "summary";

/** One sample: a full sample name (with `_sum` or `_count` for summaries), labels and a value. */
export interface ExportSample {
  readonly name: string;
  /** Label pairs, `component` first. */
  readonly labels: readonly (readonly [string, string])[];
  readonly value: number;
}

/** One metric family: every sample of one metric name, across components. */
export interface MetricFamily {
  readonly name: string;
  readonly type: FamilyType;
  readonly help: string;
  /** The unit, for exporters that carry it apart from the name (OpenTelemetry). */
  readonly unit: "seconds" | "bytes" | "";
  readonly samples: ExportSample[];
}

/** Quantile label values of a timing summary and the fields they read. */
export const SUMMARY_QUANTILES: readonly (readonly [string, keyof TimingSummary])[] = [
  ["0.5", "p50Ms"],
  ["0.9", "p90Ms"],
  ["0.95", "p95Ms"],
  ["0.99", "p99Ms"],
];

/**
 * The statuses every component reports in the status family, 1 for the current one
 * and 0 for the others, so that `…_status{status="connected"} == 0` finds components
 * that are not connected. A status outside this list is added for the component
 * that has it.
 */
export const KNOWN_STATUSES: readonly string[] = [
  "initializing",
  "connected",
  "active",
  "disconnected",
  "error",
  "timeout",
];

const BYTES_PER_MB = 2 ** 20;

interface BuiltIn {
  readonly suffix: string;
  readonly type: FamilyType;
  readonly unit: MetricFamily["unit"];
  readonly help: string;
  readonly samples: (
    report: ComponentReport,
    component: readonly [string, string],
  ) => ExportSample[];
}

/**
 * The families every component contributes to, in output order. A component that
 * could not be collected still shows its health (0) and status (`error` or
 * `timeout`); the families that need its stats skip it.
 */
const BUILT_INS: readonly BuiltIn[] = [
  {
    suffix: "health_score",
    type: "gauge",
    unit: "",
    help: "Health score of the component, 0 to 100 (0 when it could not be collected).",
    samples: (report, component) => [{ name: "", labels: [component], value: report.healthScore }],
  },
  {
    suffix: "status",
    type: "gauge",
    unit: "",
    help: 'Status of the component: 1 for its current status, 0 for the others; "error" or "timeout" when it could not be collected.',
    samples: (report, component) => {
      const statuses = KNOWN_STATUSES.includes(report.status)
        ? KNOWN_STATUSES
        : [...KNOWN_STATUSES, report.status];
      return statuses.map((status) => ({
        name: "",
        labels: [component, ["status", status]],
        value: status === report.status ? 1 : 0,
      }));
    },
  },
  {
    suffix: "errors_total",
    type: "counter",
    unit: "",
    help: "Errors tracked by the component since it was created or reset.",
    samples: (report, component) =>
      report.stats === undefined
        ? []
        : [{ name: "", labels: [component], value: report.stats.errorCount }],
  },
  {
    suffix: "uptime_seconds",
    type: "gauge",
    unit: "seconds",
    help: "Whole seconds since the component was created.",
    samples: (report, component) =>
      report.stats === undefined
        ? []
        : [{ name: "", labels: [component], value: report.stats.uptimeSeconds }],
  },
  {
    suffix: "memory_bytes",
    type: "gauge",
    unit: "bytes",
    help: "Estimated memory held by the component's statistics, in bytes.",
    samples: (report, component) =>
      report.stats === undefined
        ? []
        : [
            {
              name: "",
              labels: [component],
              value: Math.round(report.stats.memoryUsageMb * BYTES_PER_MB),
            },
          ],
  },
];

/** The names of the built-in families under `prefix`, each with its type, unit and help. */
export function builtInFamilies(
  prefix: string,
): { name: string; type: FamilyType; unit: MetricFamily["unit"]; help: string }[] {
  return BUILT_INS.map(({ suffix, type, unit, help }) => ({
    name: joinName(prefix, suffix),
    type,
    unit,
    help,
  }));
}

type UserKind = "counter" | "gauge" | "summary";

const USER_KINDS: readonly UserKind[] = ["counter", "gauge", "summary"];

/**
 * Turns a registry snapshot into metric families: the exporters' shared model, so
 * that the Prometheus text and the OpenTelemetry instruments carry the same names
 * and meaning. Pure.
 *
 * Families:
 * - built-ins, every sample labelled `component`: `health_score`, `status` (a
 *   state gauge with a `status` label), `errors_total`, `uptime_seconds`,
 *   `memory_bytes`;
 * - one counter `<name>_total` per counter name (a trailing `_total` in the name is
 *   not doubled), one gauge `<name>` per gauge name, and one summary
 *   `<name>_duration_seconds` per timed operation, each gathering the samples of
 *   every component that has that name. A gauge a merged view of many processes
 *   keeps per worker (`workerGauges`) adds one sample per worker to its gauge's
 *   family, labelled `component` and `worker`.
 *
 * Summaries. The quantiles are the window's exact percentiles, in seconds.
 * `_count` is the lifetime number of timings, so `rate(_count)` is the true call
 * rate. The lifetime sum is not kept by the tracker (only the window's mean, over
 * at most `timingWindow` samples), so `_sum` is the window mean times `_count`:
 * exact until the window first fills, and always such that `_sum / _count` is the
 * window's mean. Exporting the window's own sum and length instead would freeze
 * `_count` at the window size once full, which breaks every `rate()` query.
 *
 * Names (see {@link metricNameFragment} for the character rule) are assigned
 * deterministically: built-in names are reserved first; then counters, gauges and
 * operations, each kind in code-unit order of the original names, take their name
 * unless one of its sample names (`_sum` and `_count` included) is already taken,
 * in which case `_2`, `_3`, … is appended to the sanitised stem (`a.b` and `a-b`
 * become `a_b_total` and `a_b_2_total`; a gauge called `health_score` becomes
 * `health_score_2`). The help text of every user family quotes the original name.
 * The same original name in several components is one family.
 *
 * No sample is left out for being 0; a family with no sample at all is left out.
 *
 * @param snapshot - a registry snapshot.
 * @param prefix - a checked prefix.
 * @returns built-in families first, then user families sorted by name.
 */
export function snapshotFamilies(snapshot: RegistrySnapshot, prefix: string): MetricFamily[] {
  const taken = new Set<string>();
  const families: MetricFamily[] = [];
  for (const builtIn of BUILT_INS) {
    const name = joinName(prefix, builtIn.suffix);
    taken.add(name);
    const samples: ExportSample[] = [];
    for (const report of snapshot.components) {
      for (const sample of builtIn.samples(report, ["component", report.name])) {
        samples.push({ ...sample, name });
      }
    }
    if (samples.length > 0) {
      families.push({ name, type: builtIn.type, unit: builtIn.unit, help: builtIn.help, samples });
    }
  }

  const originals = new Map<UserKind, Set<string>>(USER_KINDS.map((kind) => [kind, new Set()]));
  for (const { stats } of snapshot.components) {
    if (stats === undefined) continue;
    for (const key of Object.keys(stats.counters)) originals.get("counter")?.add(key);
    for (const key of Object.keys(stats.gauges)) originals.get("gauge")?.add(key);
    for (const key of Object.keys(stats.workerGauges ?? {})) originals.get("gauge")?.add(key);
    for (const key of Object.keys(stats.performanceMetrics)) originals.get("summary")?.add(key);
  }
  const userFamilies = new Map<string, MetricFamily>();
  const byOriginal = new Map<UserKind, Map<string, MetricFamily>>();
  for (const kind of USER_KINDS) {
    const assigned = new Map<string, MetricFamily>();
    byOriginal.set(kind, assigned);
    for (const original of [...(originals.get(kind) ?? [])].sort()) {
      const name = claimName(kind, original, prefix, taken);
      const family: MetricFamily = {
        name,
        type: kind,
        unit: kind === "summary" ? "seconds" : "",
        help: userHelp(kind, original),
        samples: [],
      };
      assigned.set(original, family);
      userFamilies.set(name, family);
    }
  }

  for (const { name: component, stats } of snapshot.components) {
    if (stats === undefined) continue;
    const label = ["component", component] as const;
    const counters = byOriginal.get("counter");
    for (const [key, value] of Object.entries(stats.counters)) {
      counters?.get(key)?.samples.push({ name: "", labels: [label], value });
    }
    const gauges = byOriginal.get("gauge");
    for (const [key, value] of Object.entries(stats.gauges)) {
      gauges?.get(key)?.samples.push({ name: "", labels: [label], value });
    }
    // A merged view of many processes keeps some gauges per worker: one series each.
    for (const [key, perWorker] of Object.entries(stats.workerGauges ?? {})) {
      for (const [worker, value] of Object.entries(perWorker)) {
        gauges?.get(key)?.samples.push({ name: "", labels: [label, ["worker", worker]], value });
      }
    }
    const summaries = byOriginal.get("summary");
    for (const [key, summary] of Object.entries(stats.performanceMetrics)) {
      summaries?.get(key)?.samples.push(...summarySamples(label, summary));
    }
  }
  for (const name of [...userFamilies.keys()].sort()) {
    const family = userFamilies.get(name) as MetricFamily;
    families.push({
      ...family,
      samples: family.samples.map((sample) => ({ ...sample, name: name + sample.name })),
    });
  }
  return families;
}

/** Summary samples, named by their suffix only (the family name is prepended later). */
function summarySamples(
  component: readonly [string, string],
  summary: TimingSummary,
): ExportSample[] {
  const samples: ExportSample[] = SUMMARY_QUANTILES.map(([quantile, field]) => ({
    name: "",
    labels: [component, ["quantile", quantile]],
    value: msToSeconds(summary[field]),
  }));
  samples.push(
    { name: "_sum", labels: [component], value: msToSeconds(summary.avgMs * summary.count) },
    { name: "_count", labels: [component], value: summary.count },
  );
  return samples;
}

/**
 * Milliseconds to seconds, rounded to 15 significant digits: 0.425 ms / 1000 is
 * 0.00042500000000000003 in binary floating point, and the exposition should say
 * 0.000425. Fifteen digits are all a double holds reliably, so nothing real is lost.
 */
function msToSeconds(ms: number): number {
  return Number((ms / 1000).toPrecision(15));
}

function claimName(kind: UserKind, original: string, prefix: string, taken: Set<string>): string {
  let stem = metricNameFragment(original);
  if (kind === "counter" && stem.endsWith("_total")) stem = stem.slice(0, -"_total".length);
  for (let n = 1; ; n++) {
    const base = joinName(prefix, n === 1 ? stem : `${stem}_${n}`);
    const name =
      kind === "counter" ? `${base}_total` : kind === "summary" ? `${base}_duration_seconds` : base;
    const sampleNames = kind === "summary" ? [name, `${name}_sum`, `${name}_count`] : [name];
    if (sampleNames.every((sampleName) => !taken.has(sampleName))) {
      for (const sampleName of sampleNames) taken.add(sampleName);
      return name;
    }
  }
}

function userHelp(kind: UserKind, original: string): string {
  const quoted = JSON.stringify(original);
  switch (kind) {
    case "counter":
      return `Counter ${quoted} of each component.`;
    case "gauge":
      return `Gauge ${quoted} of each component (the last value set).`;
    case "summary":
      return `Duration of operation ${quoted} in seconds: quantiles over each component's timing window; _count counts every timing, _sum is the window mean times _count.`;
  }
}

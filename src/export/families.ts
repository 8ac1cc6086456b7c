import type { RegistrySnapshot } from "../registry/types.js";
import type { Verdict } from "../types.js";
import { metricStem, type UserMetricKind } from "./metric-name.js";

/** The Prometheus type of a family. */
export type FamilyType = "counter" | "gauge" | "histogram" | "summary";

/** The unit of a family, as OpenTelemetry writes it (UCUM); empty for plain numbers. */
export type FamilyUnit = "s" | "By" | "";

/** A family every component contributes to (`registry_verdict`: the registry itself). */
export interface BuiltInFamily {
  /** The Prometheus name after the prefix. */
  readonly suffix: string;
  /** The OpenTelemetry name after the prefix (units live in `unit`, not in the name). */
  readonly otelSuffix: string;
  readonly type: FamilyType;
  readonly unit: FamilyUnit;
  readonly help: string;
}

/** The built-in families, in output order. */
export const BUILT_IN_FAMILIES = {
  health: {
    suffix: "health_score",
    otelSuffix: "health_score",
    type: "gauge",
    unit: "",
    help: "Health score of the component, 0 to 100 (0 when it could not be collected).",
  },
  status: {
    suffix: "status",
    otelSuffix: "status",
    type: "gauge",
    unit: "",
    help: 'Status of the component: 1 for its current status, 0 for the others; "error" or "timeout" when it could not be collected.',
  },
  verdict: {
    suffix: "verdict",
    otelSuffix: "verdict",
    type: "gauge",
    unit: "",
    help: "Verdict of the component by the registry's rules: 1 for its current verdict (healthy, degraded or unhealthy), 0 for the other two.",
  },
  // The one family without a component label: the registry's own verdict.
  registryVerdict: {
    suffix: "registry_verdict",
    otelSuffix: "registry.verdict",
    type: "gauge",
    unit: "",
    help: "Verdict of the registry, that of its worst component (a non-critical one counting at most degraded): 1 for the current verdict, 0 for the other two.",
  },
  errors: {
    suffix: "errors_total",
    otelSuffix: "errors",
    type: "counter",
    unit: "",
    help: "Errors tracked by the component since it was created or reset.",
  },
  uptime: {
    suffix: "uptime_seconds",
    otelSuffix: "uptime",
    type: "gauge",
    unit: "s",
    help: "Whole seconds since the component was created.",
  },
  memory: {
    suffix: "memory_bytes",
    otelSuffix: "memory",
    type: "gauge",
    unit: "By",
    help: "Estimated memory held by the component's statistics, in bytes.",
  },
  duration: {
    suffix: "operation_duration_seconds",
    otelSuffix: "operation.duration",
    type: "histogram",
    unit: "s",
    help: "Duration of each operation of the component in seconds, since it was created or reset.",
  },
  window: {
    suffix: "operation_window_duration_seconds",
    otelSuffix: "operation.window.duration",
    type: "summary",
    unit: "s",
    help: "Exact quantiles of each operation's duration over the component's timing window (its latest timings), in seconds; lifetime _sum and _count are in operation_duration_seconds.",
  },
} as const satisfies Record<string, BuiltInFamily>;

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

/** The verdicts, in the order the verdict families list them. */
export const VERDICTS: readonly Verdict[] = ["healthy", "degraded", "unhealthy"];

const VERDICT_STATES = new Map<unknown, readonly (readonly [Verdict, 0 | 1])[]>(
  VERDICTS.map((current) => [
    current,
    VERDICTS.map((verdict) => [verdict, verdict === current ? 1 : 0] as const),
  ]),
);

/**
 * The series of a verdict family for one verdict, as a state set: every verdict, 1
 * for `current` and 0 for the other two, so `…_verdict{verdict="unhealthy"} == 1`
 * finds what to page on and the three always sum to 1.
 *
 * @param current - a component's or the registry's verdict.
 * @returns the three states, or none when `current` is not a verdict (a snapshot
 *   from a copy of the package that predates verdicts).
 */
export function verdictStates(current: unknown): readonly (readonly [Verdict, 0 | 1])[] {
  return VERDICT_STATES.get(current) ?? [];
}

/** Quantile label values of the window family and the summary fields they read. */
export const WINDOW_QUANTILES = [
  ["0.5", "p50Ms"],
  ["0.9", "p90Ms"],
  ["0.95", "p95Ms"],
  ["0.99", "p99Ms"],
] as const;

/** One component's value of a library metric. */
export interface UserSample {
  /** The component's name (its `component` label). */
  readonly component: string;
  /** The worker, for a gauge a merged view of many processes keeps per worker. */
  readonly worker?: string;
  readonly value: number;
}

/** Every component's value of one library metric name of one kind. */
export interface UserFamily {
  readonly kind: UserMetricKind;
  /** The name the library was given. */
  readonly original: string;
  /** The exported stem (see {@link metricStem}). */
  readonly stem: string;
  readonly samples: UserSample[];
}

/** Stems computed so far, by kind and name: names repeat on every scrape. */
const stems = new Map<string, string>();
/** Bounds the stem cache: it is cleared when full, which costs recomputing, not correctness. */
const MAX_CACHED_STEMS = 65_536;

/** {@link metricStem}, cached. */
export function cachedStem(kind: UserMetricKind, name: string): string {
  const key = `${kind}\u0000${name}`;
  let stem = stems.get(key);
  if (stem === undefined) {
    stem = metricStem(kind, name);
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stems.set(key, stem);
  }
  return stem;
}

/**
 * Gathers the counters, up-down counters and gauges of every collected component
 * into one family per kind and name: the exporters' shared model, so that the
 * Prometheus text and the OpenTelemetry metrics carry the same series. A counter
 * the component lists in `upDownCounters` belongs to the up-down kind. A gauge a
 * merged view of many processes keeps per worker (`workerGauges`) adds one sample
 * per worker, with its `worker`. Pure.
 *
 * @param snapshot - a registry snapshot.
 * @returns the families in first-seen order, each with its samples in component order.
 */
export function userFamilies(snapshot: RegistrySnapshot): UserFamily[] {
  const byKey = new Map<string, UserFamily>();
  const add = (
    kind: UserMetricKind,
    original: string,
    component: string,
    value: number,
    worker?: string,
  ) => {
    const key = `${kind}\u0000${original}`;
    let family = byKey.get(key);
    if (family === undefined) {
      family = { kind, original, stem: cachedStem(kind, original), samples: [] };
      byKey.set(key, family);
    }
    family.samples.push(worker === undefined ? { component, value } : { component, worker, value });
  };
  for (const { name: component, stats } of snapshot.components) {
    if (stats === undefined) continue;
    const upDown = stats.upDownCounters === undefined ? undefined : new Set(stats.upDownCounters);
    const counters = stats.counters;
    for (const key of Object.keys(counters)) {
      const kind = upDown?.has(key) ? "upDownCounter" : "counter";
      add(kind, key, component, counters[key] as number);
    }
    const gauges = stats.gauges;
    for (const key of Object.keys(gauges)) add("gauge", key, component, gauges[key] as number);
    // A merged view of many processes keeps some gauges per worker: one series each.
    const perWorker = stats.workerGauges ?? {};
    for (const key of Object.keys(perWorker)) {
      const values = perWorker[key] as Record<string, number>;
      for (const worker of Object.keys(values)) {
        add("gauge", key, component, values[worker] as number, worker);
      }
    }
  }
  return [...byKey.values()];
}

/** The help text of a library metric's family; it quotes the original name. */
export function userHelp(kind: UserMetricKind, original: string): string {
  const quoted = JSON.stringify(original);
  switch (kind) {
    case "counter":
      return `Counter ${quoted} of each component.`;
    case "upDownCounter":
      return `Counter ${quoted} of each component, which received negative increments: its net sum, a gauge.`;
    case "gauge":
      return `Gauge ${quoted} of each component (the last value set).`;
  }
}

const BYTES_PER_MB = 2 ** 20;

/**
 * A memory figure in MB as whole bytes, at most `Number.MAX_VALUE`: any finite MB
 * figure is accepted, and one past about 1.7e302 MB would be Infinity in bytes.
 */
export function mbToBytes(mb: number): number {
  return Math.min(Number.MAX_VALUE, Math.round(mb * BYTES_PER_MB));
}

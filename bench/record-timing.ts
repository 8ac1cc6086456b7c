import { Histogram, Registry, Summary } from "prom-client";
import { BaseStatisticsTracker, DEFAULT_TIMING_BUCKETS_MS } from "../src/index.js";
import { durations, SampleStream } from "./data.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";
import { recordingMeter } from "./otel.js";

const OPERATIONS = 10;
const WINDOW = 1000;
const PERCENTILES = [0.5, 0.9, 0.95, 0.99];

/** Cycles through the operation names and a repeatable stream of durations. */
function inputs(): { operation: () => number; durationMs: () => number } {
  let op = 0;
  const stream = new SampleStream();
  return {
    operation: () => {
      op = op + 1 === OPERATIONS ? 0 : op + 1;
      return op;
    },
    durationMs: () => stream.next(),
  };
}

/**
 * The tracker's lifetime histogram and prom-client's, fed the same 1000 durations,
 * hold the same bucket counts: the baseline does the same bucketing work.
 */
async function checkSameBuckets(): Promise<void> {
  const samples = durations(1000, 7);
  const tracker = new BaseStatisticsTracker("bench_buckets");
  const registry = new Registry();
  const histogram = new Histogram({
    name: "same_buckets",
    help: "h",
    buckets: [...DEFAULT_TIMING_BUCKETS_MS],
    registers: [registry],
  });
  for (const ms of samples) {
    await tracker.recordTiming("op", ms);
    histogram.observe(ms);
  }
  const ours = (await tracker.getStats()).performanceMetrics.op?.bucketCounts ?? [];
  let cumulative = 0;
  const cumulativeOurs = ours.map((n) => (cumulative += n));
  const theirs = (await histogram.get()).values
    .filter((v) => v.metricName === "same_buckets_bucket")
    .map((v) => v.value);
  check(
    JSON.stringify(cumulativeOurs) === JSON.stringify(theirs),
    `bucket counts differ: ${JSON.stringify(cumulativeOurs)} vs prom-client ${JSON.stringify(theirs)}`,
  );
}

/**
 * Workload 3: awaited `recordTiming` over 10 operation names, which keeps the window
 * and the lifetime histogram (16 bounds). The floor is the least a bounded timing
 * store can do: an awaited async function that finds the operation's 1000-slot
 * `Float64Array` ring in a `Map` and writes one slot. prom-client's Histogram has
 * the same 16 bounds.
 */
export async function recordTimingWorkload(options: RunOptions): Promise<Table> {
  await checkSameBuckets();
  const names = Array.from({ length: OPERATIONS }, (_, i) => `op_${i}`);
  // Label objects built once: the libraries' users keep them too, and building
  // them per call would charge the baselines for the harness.
  const labels = names.map((operation) => ({ operation }));

  const tracker = new BaseStatisticsTracker("bench_record_timing");
  const subjectIn = inputs();

  const rings = new Map<string, { values: Float64Array; next: number }>();
  for (const name of names) rings.set(name, { values: new Float64Array(WINDOW), next: 0 });
  const floor = async (operation: string, durationMs: number): Promise<void> => {
    const ring = rings.get(operation);
    if (ring === undefined) return;
    ring.values[ring.next] = durationMs;
    ring.next = ring.next + 1 === WINDOW ? 0 : ring.next + 1;
  };
  const floorIn = inputs();

  const registry = new Registry();
  const histogram = new Histogram({
    name: "op_duration_ms_histogram",
    help: "h",
    labelNames: ["operation"],
    buckets: [...DEFAULT_TIMING_BUCKETS_MS],
    registers: [registry],
  });
  const summary = new Summary({
    name: "op_duration_ms_summary",
    help: "s",
    labelNames: ["operation"],
    percentiles: PERCENTILES,
    registers: [registry],
  });
  const histogramIn = inputs();
  const summaryIn = inputs();

  const otel = recordingMeter("bench_record_timing");
  const otelHistogram = otel.meter.createHistogram("op_duration_ms");
  const otelIn = inputs();

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  await tracker.recordTiming(op, ms)",
        kind: "subject",
        fn: () =>
          tracker.recordTiming(names[subjectIn.operation()] as string, subjectIn.durationMs()),
      },
      {
        key: "floor",
        label: "floor            await async fn: Map lookup + ring write",
        kind: "baseline",
        fn: () => floor(names[floorIn.operation()] as string, floorIn.durationMs()),
      },
      {
        key: "prom-histogram",
        label: "prom-client      Histogram.observe({ operation }, ms) (sync, 16 buckets)",
        kind: "baseline",
        fn: () =>
          histogram.observe(
            labels[histogramIn.operation()] as { operation: string },
            histogramIn.durationMs(),
          ),
      },
      {
        key: "prom-summary",
        label: "prom-client      Summary.observe({ operation }, ms) (sync)",
        kind: "baseline",
        fn: () =>
          summary.observe(
            labels[summaryIn.operation()] as { operation: string },
            summaryIn.durationMs(),
          ),
      },
      {
        key: "otel",
        label: "OpenTelemetry    Histogram.record(ms, { operation }) (sync, reader attached)",
        kind: "baseline",
        fn: () => otelHistogram.record(otelIn.durationMs(), labels[otelIn.operation()]),
      },
    ],
    options,
  );

  const stats = await tracker.getStats();
  check(Object.keys(stats.performanceMetrics).length === OPERATIONS, "the tracker lost operations");
  check(((await histogram.get()).values.length ?? 0) > 0, "prom-client Histogram recorded nothing");
  check(((await summary.get()).values.length ?? 0) > 0, "prom-client Summary recorded nothing");
  check((await otel.recordedPoints()) >= OPERATIONS, "OpenTelemetry recorded nothing");

  return {
    id: "recordTiming",
    title: "3. Awaited recordTiming over 10 operation names (median ns/op)",
    unit: "ns",
    rows,
    notes: [
      "Every case takes the operation name per call (a label for prom-client and OpenTelemetry).",
      "component-stats and prom-client's Histogram bucket the same durations into the same 16 bounds (checked).",
    ],
  };
}

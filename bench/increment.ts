import { Mutex } from "async-mutex";
import { Counter, Registry } from "prom-client";
import { BaseStatisticsTracker } from "../src/index.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";
import { recordingMeter } from "./otel.js";

/** Workload 1: sequential awaited `increment`, against the floor, the naive mutex and the libraries. */
export async function incrementWorkload(options: RunOptions): Promise<Table> {
  const tracker = new BaseStatisticsTracker("bench_increment");

  const floorCounts = new Map<string, number>();
  const floor = async (metric: string): Promise<void> => {
    floorCounts.set(metric, (floorCounts.get(metric) ?? 0) + 1);
  };

  const mutex = new Mutex();
  const naiveCounts = new Map<string, number>();
  const naive = (metric: string): Promise<void> =>
    mutex.runExclusive(() => {
      naiveCounts.set(metric, (naiveCounts.get(metric) ?? 0) + 1);
    });

  const registry = new Registry();
  const promCounter = new Counter({ name: "orders", help: "orders", registers: [registry] });

  const otel = recordingMeter("bench_increment");
  const otelCounter = otel.meter.createCounter("orders");

  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  await tracker.increment()",
        kind: "subject",
        fn: () => tracker.increment("orders"),
      },
      {
        key: "floor",
        label: "floor            await async fn: Map increment",
        kind: "baseline",
        fn: () => floor("orders"),
      },
      {
        key: "naive",
        label: "naive            await mutex.runExclusive(Map increment)",
        kind: "baseline",
        fn: () => naive("orders"),
      },
      {
        key: "prom",
        label: "prom-client      Counter.inc() (sync)",
        kind: "baseline",
        fn: () => promCounter.inc(),
      },
      {
        key: "otel",
        label: "OpenTelemetry    Counter.add(1) (sync, reader attached)",
        kind: "baseline",
        fn: () => otelCounter.add(1),
      },
    ],
    options,
  );

  check((await tracker.getCounter("orders")) > 0, "the tracker counted nothing");
  check((floorCounts.get("orders") ?? 0) > 0, "the floor counted nothing");
  check((naiveCounts.get("orders") ?? 0) > 0, "the naive baseline counted nothing");
  check(((await promCounter.get()).values[0]?.value ?? 0) > 0, "prom-client counted nothing");
  check((await otel.recordedPoints()) > 0, "OpenTelemetry recorded nothing");

  return {
    id: "increment",
    title: "1. Awaited counter increment, sequential (median ns/op)",
    unit: "ns",
    rows,
    notes: [
      "prom-client and OpenTelemetry are called as their users call them: synchronously, not awaited.",
    ],
  };
}

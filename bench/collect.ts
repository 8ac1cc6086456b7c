import { BaseStatisticsTracker, REGISTRY_RECENT_ERRORS, StatisticsRegistry } from "../src/index.js";
import { names, SampleStream } from "./data.js";
import { check, compare, type RunOptions, type Table } from "./harness.js";

const COMPONENTS = 5;
const OPERATIONS = 50;
const WINDOW = 1000;
const OPERATION_NAMES = names("op_", OPERATIONS);

/** Five trackers with full 1000-sample windows in 50 operations, a counter and an error each. */
async function components() {
  const stream = new SampleStream();
  const trackers = names("component_", COMPONENTS).map((name) => new BaseStatisticsTracker(name));
  for (const tracker of trackers) {
    for (let i = 0; i < WINDOW; i++) {
      for (const operation of OPERATION_NAMES) await tracker.recordTiming(operation, stream.next());
    }
    await tracker.increment("requests", WINDOW);
    await tracker.trackError(new Error("timeout"), "request", { attempt: 1 });
    await tracker.setStatus("connected");
  }
  const registry = new StatisticsRegistry();
  for (const tracker of trackers) registry.register(tracker);
  /** One new sample in every operation of every component, awaited as users do. */
  const write = async () => {
    for (const tracker of trackers) {
      for (const operation of OPERATION_NAMES) await tracker.recordTiming(operation, stream.next());
    }
  };
  /** What a collection cannot avoid: asking each component, in parallel, for what the registry reports. */
  const ask = () =>
    Promise.all(
      trackers.map((tracker) =>
        Promise.all([tracker.getStats(), tracker.getRecentErrors(REGISTRY_RECENT_ERRORS)]),
      ),
    );
  return { trackers, registry, write, ask };
}

/** Checks the registry reports what its components hold before anything is timed. */
async function checkCollected(setup: Awaited<ReturnType<typeof components>>): Promise<void> {
  const snapshot = await setup.registry.collect();
  const asked = await setup.ask();
  check(snapshot.components.length === COMPONENTS, "the registry lost components");
  snapshot.components.forEach((report, i) => {
    const [stats, errors] = asked[i] as (typeof asked)[number];
    check(report.outcome === "ok", `${report.name} was not collected: ${report.reason}`);
    check(
      JSON.stringify(report.stats) === JSON.stringify(stats),
      `${report.name}: the registry's stats differ from getStats()`,
    );
    check(report.healthScore === stats.healthScore, `${report.name}: another health score`);
    check(report.recentErrors?.length === errors.length, `${report.name}: recent errors differ`);
  });
}

/**
 * `collect()` of 5 trackers × 50 operations with no write since the last collection,
 * against asking the components directly: `getStats()` and `getRecentErrors(10)` of
 * each, in parallel, which any collection must do to see a write made since.
 */
export async function collectWorkload(options: RunOptions): Promise<Table> {
  const setup = await components();
  await checkCollected(setup);
  const snapshot = await setup.registry.collect();
  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  registry.collect(), no write since the last one",
        kind: "subject",
        fn: () => setup.registry.collect(),
      },
      {
        key: "components",
        label: "components       Promise.all(5 × [getStats(), getRecentErrors(10)])",
        kind: "baseline",
        fn: setup.ask,
      },
      {
        key: "structuredClone",
        label: "platform         structuredClone(snapshot collect() returns)",
        kind: "info",
        fn: () => structuredClone(snapshot),
      },
    ],
    options,
  );
  return {
    id: "collect",
    title: "8a. registry.collect(), 5 trackers × 50 operations, no writes (median µs/op)",
    unit: "ns",
    rows,
    notes: [
      "Checked before measuring: each report's stats equal its tracker's getStats(), with the same health score and recent errors.",
      "Each tracker serves getStats() from its own cache (TTL 5 s), as it does between writes.",
    ],
  };
}

/** As {@link collectWorkload}, after one new sample in every operation of every component. */
export async function collectWritesWorkload(options: RunOptions): Promise<Table> {
  const setup = await components();
  await checkCollected(setup);
  const rows = await compare(
    [
      {
        key: "subject",
        label: "component-stats  250 × recordTiming, then registry.collect()",
        kind: "subject",
        fn: async () => {
          await setup.write();
          return setup.registry.collect();
        },
      },
      {
        key: "components",
        label: "components       250 × recordTiming, then 5 × [getStats(), getRecentErrors(10)]",
        kind: "baseline",
        fn: async () => {
          await setup.write();
          return setup.ask();
        },
      },
    ],
    options,
  );
  await setup.write();
  const after = await setup.registry.collect();
  const expected = await setup.trackers[0]?.getStats();
  check(
    after.components[0]?.stats?.performanceMetrics.op_0?.count ===
      expected?.performanceMetrics.op_0?.count,
    "a collection after an awaited write did not see it",
  );
  return {
    id: "collectWrites",
    title:
      "8b. registry.collect() after one new sample in each of 5 × 50 operations (median µs/op)",
    unit: "ns",
    rows,
    notes: [
      "Every tracker's snapshot is recomputed: 50 timing summaries over full 1000-sample windows each.",
    ],
  };
}

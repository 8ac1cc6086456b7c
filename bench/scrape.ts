import { monitorEventLoopDelay } from "node:perf_hooks";
import { Histogram, Registry } from "prom-client";
import {
  BaseStatisticsTracker,
  DEFAULT_TIMING_BUCKETS_MS,
  encodePrometheus,
  exportJson,
  formatPrometheus,
  StatisticsRegistry,
} from "../src/index.js";
import { names, SampleStream } from "./data.js";
import { check, median, type Row, type RowKind, type RunOptions, type Table } from "./harness.js";

const COMPONENTS = 100;
const OPERATIONS = 50;
const WINDOW = 1000;
const COMPONENT_NAMES = names("component_", COMPONENTS);
const OPERATION_NAMES = names("op_", OPERATIONS);
/** Scrapes timed per case and round: a scrape takes tens of milliseconds, so each is timed alone. */
const SCRAPES_PER_ROUND = 3;

/**
 * 100 trackers × 50 operations with full 1000-sample windows, and a prom-client
 * registry holding the same samples in one histogram family labelled by component
 * and operation, with the same bucket boundaries (in seconds).
 */
async function build() {
  const trackers = COMPONENT_NAMES.map((name) => new BaseStatisticsTracker(name));
  const registry = new StatisticsRegistry();
  const promRegistry = new Registry();
  const histogram = new Histogram({
    name: "operation_duration_seconds",
    help: "Duration of an operation",
    labelNames: ["component", "operation"],
    buckets: DEFAULT_TIMING_BUCKETS_MS.map((ms) => ms / 1000),
    registers: [promRegistry],
  });
  // Label objects built once, as prom-client's users keep them.
  const labels = COMPONENT_NAMES.map((component) =>
    OPERATION_NAMES.map((operation) => ({ component, operation })),
  );
  const stream = new SampleStream();
  const promStream = new SampleStream();
  for (const [c, tracker] of trackers.entries()) {
    registry.register(tracker);
    await tracker.setStatus("connected");
    const series = labels[c] as { component: string; operation: string }[];
    for (let i = 0; i < WINDOW; i++) {
      for (let op = 0; op < OPERATIONS; op++) {
        await tracker.recordTiming(OPERATION_NAMES[op] as string, stream.next());
        histogram.observe(series[op] as (typeof series)[number], promStream.next() / 1000);
      }
    }
  }
  /** One new sample in every operation of every component, awaited as users do. */
  const write = async () => {
    for (const tracker of trackers) {
      for (const operation of OPERATION_NAMES) await tracker.recordTiming(operation, stream.next());
    }
  };
  const promWrite = () => {
    for (const series of labels) {
      for (const label of series) histogram.observe(label, promStream.next() / 1000);
    }
  };
  /**
   * Collect and write the exposition's bytes, as the handler sends them. Called with
   * no new sample since the last, it has no window to bring back into order and no
   * value to format again: the least a scrape of this registry can cost.
   */
  const scrapeIdle = async (): Promise<Scraped> => {
    const body = encodePrometheus(await registry.collect());
    return { bytes: body.length, text: () => new TextDecoder().decode(body) };
  };
  return {
    registry,
    histogram,
    promRegistry,
    write,
    promWrite,
    scrapeIdle,
    /** The `/metrics` scrape: new samples, then the same. */
    scrapePrometheus: async (): Promise<Scraped> => {
      await write();
      return scrapeIdle();
    },
    /** The same as a string: collect and `formatPrometheus`. */
    scrapePrometheusText: async () => {
      await write();
      return encoded(formatPrometheus(await registry.collect()));
    },
    /** The `/stats` read: new samples, then collect and render JSON. */
    scrapeJson: async () => {
      await write();
      return encoded(exportJson(await registry.collect()));
    },
    /** The collection alone, to tell its share of a scrape from the render's. */
    collect: async () => {
      await write();
      return registry.collect();
    },
    /** prom-client's scrape: new samples, then `registry.metrics()`. */
    scrapeProm: async () => {
      promWrite();
      return encoded(await promRegistry.metrics());
    },
  };
}

/**
 * What a server does with a scrape's text before sending it: encode it as UTF-8,
 * which reads every character. A string built by appending is kept by V8 as a tree
 * of pieces until then, so joining the pieces into one string is timed with the
 * scrape that built them, on both sides (prom-client joins arrays of lines, so its
 * text is nearly flat already).
 */
function encoded(text: string): Scraped {
  return { bytes: Buffer.byteLength(text), text: () => text };
}

/** A scrape's size in UTF-8 bytes, and its text (decoded when asked, outside the timing). */
interface Scraped {
  readonly bytes: number;
  readonly text: () => string;
}

type Setup = Awaited<ReturnType<typeof build>>;
let shared: Promise<Setup> | undefined;
/** Both scrape workloads share one setup: filling 10 million samples takes seconds. */
const setup = (): Promise<Setup> => {
  shared ??= build();
  return shared;
};

/**
 * Before anything is timed: both hold the same operations with the same counts, and
 * both renders name every component.
 */
async function checkSameData(
  s: Setup,
): Promise<{ prometheus: Scraped; json: Scraped; prom: Scraped }> {
  const prometheus = await s.scrapePrometheus();
  const json = await s.scrapeJson();
  // Two scrapes each, so both hold the same number of samples.
  await s.scrapeProm();
  const prom = await s.scrapeProm();
  const snapshot = await s.registry.collect();
  const promCounts = new Map<string, number>();
  for (const value of (await s.histogram.get()).values) {
    if (value.metricName?.endsWith("_count")) {
      promCounts.set(`${value.labels.component}/${value.labels.operation}`, value.value);
    }
  }
  check(snapshot.components.length === COMPONENTS, "the registry lost components");
  check(promCounts.size === COMPONENTS * OPERATIONS, "prom-client lost series");
  const texts = [prometheus.text(), prom.text()];
  check(
    new TextDecoder().decode(encodePrometheus(snapshot)) === formatPrometheus(snapshot),
    "encodePrometheus and formatPrometheus disagree",
  );
  for (const report of snapshot.components) {
    check(report.outcome === "ok", `${report.name} was not collected: ${report.reason}`);
    const timings = report.stats?.performanceMetrics ?? {};
    check(Object.keys(timings).length === OPERATIONS, `${report.name} lost operations`);
    for (const operation of OPERATION_NAMES) {
      const count = timings[operation]?.count;
      const promCount = promCounts.get(`${report.name}/${operation}`);
      check(count === promCount, `${report.name}/${operation}: count ${count}, prom ${promCount}`);
    }
    for (const text of texts) {
      check(text.includes(`component="${report.name}"`), `a render lost ${report.name}`);
    }
  }
  check(
    (JSON.parse(json.text()) as { components: unknown[] }).components.length === COMPONENTS,
    "the JSON lost components",
  );
  return { prometheus, json, prom };
}

interface ScrapeCase {
  readonly key: string;
  readonly label: string;
  readonly kind: RowKind;
  readonly fn: () => Promise<unknown>;
}

/**
 * Times each case `SCRAPES_PER_ROUND` times per round, rotating the order each round
 * as `compare` does; the value is the median of every scrape. (mitata batches and
 * warms up with 64 calls, minutes for a 250 ms scrape.)
 */
async function timeScrapes(cases: readonly ScrapeCase[], options: RunOptions): Promise<Row[]> {
  for (const c of cases) await c.fn();
  const perCase: number[][] = cases.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (k + round) % cases.length;
      const c = cases[index] as ScrapeCase;
      for (let i = 0; i < SCRAPES_PER_ROUND; i++) {
        const startMs = performance.now();
        await c.fn();
        (perCase[index] as number[]).push((performance.now() - startMs) * 1e6);
      }
    }
  }
  return cases.map((c, i) => {
    const samples = perCase[i] as number[];
    return { key: c.key, label: c.label, kind: c.kind, value: median(samples), samples };
  });
}

/**
 * The longest event-loop block while `fn` runs, in nanoseconds, from
 * `perf_hooks.monitorEventLoopDelay` sampling every millisecond: a delayed sample
 * means the loop could not turn for that long.
 */
async function longestBlockNs(fn: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 5));
  await fn();
  // Let the sampling timer fire once after the scrape, so its delay is recorded.
  await new Promise((resolve) => setTimeout(resolve, 5));
  histogram.disable();
  return histogram.max;
}

function scrapeCases(s: Setup): ScrapeCase[] {
  return [
    {
      key: "subject",
      label:
        "component-stats  5000 × recordTiming, collect(), encodePrometheus() (the bytes /metrics sends)",
      kind: "subject",
      fn: s.scrapePrometheus,
    },
    {
      key: "text",
      label: "component-stats  5000 × recordTiming, collect(), formatPrometheus() (a string)",
      kind: "info",
      fn: s.scrapePrometheusText,
    },
    {
      key: "json",
      label: "component-stats  5000 × recordTiming, collect(), exportJson()",
      kind: "info",
      fn: s.scrapeJson,
    },
    {
      key: "collect",
      label: "component-stats  5000 × recordTiming, collect() (no render)",
      kind: "info",
      fn: s.collect,
    },
    {
      key: "idle",
      label: "component-stats  collect(), encodePrometheus() with no new sample since the last",
      kind: "info",
      fn: s.scrapeIdle,
    },
    {
      key: "prom",
      label: "prom-client      5000 × Histogram.observe(), registry.metrics()",
      kind: "baseline",
      fn: s.scrapeProm,
    },
  ];
}

const kb = (scraped: Scraped) => `${(scraped.bytes / 1024).toFixed(0)} KiB`;

/**
 * The scrape path at scale: 100 components × 50 operations × 1000 samples, one new
 * sample in every operation, then collect and render, against prom-client's
 * `registry.metrics()` over the same operations as histograms, in the same run.
 */
export async function scrapeWorkload(options: RunOptions): Promise<Table> {
  const s = await setup();
  const rendered = await checkSameData(s);
  const rows = await timeScrapes(scrapeCases(s), options);
  return {
    id: "scrape",
    title:
      "9a. Scrape, 100 components × 50 operations × 1000 samples, 1 new sample each (median ms/scrape)",
    unit: "ns",
    rows,
    notes: [
      `Bytes per scrape: Prometheus text ${kb(rendered.prometheus)}, JSON ${kb(rendered.json)}; prom-client text ${kb(rendered.prom)}.`,
      `prom-client holds one histogram family labelled by component and operation, with the ${DEFAULT_TIMING_BUCKETS_MS.length} buckets of DEFAULT_TIMING_BUCKETS_MS in seconds.`,
      "Checked before measuring: every operation's count in the snapshot equals prom-client's histogram count, and both renders name every component.",
      "encodePrometheus writes the UTF-8 bytes that the HTTP handler sends. Every case that makes a string ends by counting its UTF-8 bytes (Buffer.byteLength), the least that sending it costs: this reads the whole text, so a text left as appended pieces is joined inside the timed scrape.",
      `Each case is timed alone, ${SCRAPES_PER_ROUND} scrapes per round; the median of every scrape is shown.`,
    ],
  };
}

/** The longest event-loop block of one scrape, for the same cases. */
export async function scrapeBlockWorkload(options: RunOptions): Promise<Table> {
  const s = await setup();
  const cases = scrapeCases(s);
  const perCase: number[][] = cases.map(() => []);
  for (const c of cases) await c.fn();
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, c] of cases.entries()) (perCase[i] as number[]).push(await longestBlockNs(c.fn));
  }
  return {
    id: "scrapeBlock",
    title: "9b. Longest event-loop block of one scrape, same data (median ms)",
    unit: "ns",
    rows: cases.map((c, i) => {
      const samples = perCase[i] as number[];
      return { key: c.key, label: c.label, kind: c.kind, value: median(samples), samples };
    }),
    notes: [
      "perf_hooks.monitorEventLoopDelay sampling every 1 ms: the largest delay seen while one scrape ran.",
    ],
  };
}

/** Milliseconds `fn` took, in nanoseconds like the other tables. */
async function timed<T>(fn: () => T | Promise<T>): Promise<[T, number]> {
  const startMs = performance.now();
  const value = await fn();
  return [value, (performance.now() - startMs) * 1e6];
}

/**
 * Where a scrape's time goes: each step of the subject and of prom-client's scrape,
 * timed alone on the same data, `SCRAPES_PER_ROUND` scrapes per round. Every render
 * gets a snapshot taken after new samples, as a scrape does (a render of the same
 * snapshot twice would reuse every value's text).
 */
export async function scrapeStepsWorkload(options: RunOptions): Promise<Table> {
  const s = await setup();
  const samples: Record<string, number[]> = {};
  let reused: Uint8Array | undefined;
  /** Minor page faults during each encodePrometheus, and the 4 KiB pages its bytes fill. */
  const faults: number[] = [];
  const pages: number[] = [];
  const add = (key: string, ns: number) => {
    samples[key] ??= [];
    (samples[key] as number[]).push(ns);
  };
  for (let round = 0; round < options.rounds * SCRAPES_PER_ROUND; round++) {
    add("write", (await timed(s.write))[1]);
    const [snapshot, collectNs] = await timed(() => s.registry.collect());
    add("collect", collectNs);
    const faultsBefore = process.resourceUsage().minorPageFault;
    const [bytes, encodeNs] = await timed(() => encodePrometheus(snapshot));
    add("subject", encodeNs);
    faults.push(process.resourceUsage().minorPageFault - faultsBefore);
    pages.push(Math.ceil(bytes.length / 4096));
    // What writing that many bytes costs the platform: into fresh memory, as every
    // render does, and into memory written before.
    add("freshBuffer", (await timed(() => new Uint8Array(bytes.length).set(bytes)))[1]);
    reused =
      reused !== undefined && reused.length >= bytes.length ? reused : new Uint8Array(bytes.length);
    const into = reused;
    add("reusedBuffer", (await timed(() => into.set(bytes)))[1]);
    await s.write();
    const again = await s.registry.collect();
    add("text", (await timed(() => Buffer.byteLength(formatPrometheus(again))))[1]);
    await s.write();
    const json = await s.registry.collect();
    add("json", (await timed(() => Buffer.byteLength(exportJson(json))))[1]);
    add("promWrite", (await timed(s.promWrite))[1]);
    const [text, metricsNs] = await timed(() => s.promRegistry.metrics());
    add("prom", metricsNs);
    add("promBytes", (await timed(() => Buffer.byteLength(text)))[1]);
  }
  const rows: [string, string, RowKind][] = [
    ["write", "component-stats  5000 × await recordTiming()", "info"],
    ["collect", "component-stats  registry.collect() after them", "info"],
    ["subject", "component-stats  encodePrometheus(snapshot)", "subject"],
    ["freshBuffer", "platform         copy those bytes into a fresh Uint8Array", "info"],
    ["reusedBuffer", "platform         copy them into one reused across scrapes", "info"],
    ["text", "component-stats  formatPrometheus(snapshot) + Buffer.byteLength", "info"],
    ["json", "component-stats  exportJson(snapshot) + Buffer.byteLength", "info"],
    ["promWrite", "prom-client      5000 × Histogram.observe()", "info"],
    ["prom", "prom-client      registry.metrics()", "baseline"],
    ["promBytes", "prom-client      Buffer.byteLength of its text", "info"],
  ];
  return {
    id: "scrapeSteps",
    title: "9c. Where a scrape's time goes: each step timed alone, same data (median ms)",
    unit: "ns",
    rows: rows.map(([key, label, kind]) => {
      const values = samples[key] as number[];
      return { key, label, kind, value: median(values), samples: values };
    }),
    notes: [
      "Each render is of a snapshot collected after new samples, as in a scrape: a render of one snapshot twice would reuse every value's text.",
      "The two platform rows copy the exposition's bytes: their difference is what first touching fresh memory of that size costs every render.",
      `Minor page faults during one encodePrometheus (process.resourceUsage): median ${median(faults)}, for ${median(pages)} pages of 4 KiB of output: whether a render's fresh buffer costs a fault per page depends on whether the allocator hands back memory the process already touched.`,
    ],
  };
}

import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { percentileSorted } from "../../src/compute/percentile.js";
import { DEFAULT_TIMING_BUCKETS_MS, type TimingSummary } from "../../src/types.js";
import { type FixtureConfig, recordedSamples, windowSamples } from "./fixtures/data.js";

/** The fixture worker script. */
export const FIXTURE = fileURLToPath(new URL("./fixtures/worker.ts", import.meta.url));

/**
 * A worker thread running a TypeScript file. tsx's `--import` hook does not reach
 * worker threads on Node 20 (privatenumber/tsx#354), so the thread starts from a
 * one-line bootstrap that registers tsx and then imports the file.
 */
export function startTsThread(file: string, workerData?: unknown): Worker {
  const url = pathToFileURL(file).href;
  return new Worker(
    `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url)}); });`,
    { eval: true, workerData },
  );
}

/** What sends `message` events: a Worker, a MessagePort, a child process, a cluster worker. */
export interface MessageSource {
  on(event: "message", listener: (message: unknown) => void): unknown;
  off(event: "message", listener: (message: unknown) => void): unknown;
}

/** Settles with the first message of `type` the emitter sees, or rejects after `timeoutMs`. */
export function nextMessage<T = Record<string, unknown>>(
  emitter: MessageSource,
  type: string,
  timeoutMs = 30_000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off("message", listener);
      reject(new Error(`no ${type} message within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (message: unknown): void => {
      if ((message as { type?: unknown } | null)?.type !== type) return;
      clearTimeout(timer);
      emitter.off("message", listener);
      resolve(message as T);
    };
    emitter.on("message", listener);
  });
}

/**
 * The summary one tracker holding every worker's window would give for operation
 * `o` of component `c`: the oracle of the exact merge. Percentiles from a full sort
 * of all the samples; the count, the lifetime sum, extremes and histogram buckets
 * from every sample each worker of `lifetimeFrom` ever recorded.
 */
export function expectedSummary(
  configs: readonly FixtureConfig[],
  c: number,
  o: number,
  lifetimeFrom: readonly FixtureConfig[] = configs,
): TimingSummary {
  const all = configs.flatMap((config) => windowSamples(config, c, o)).sort((a, b) => a - b);
  let sum = 0;
  for (const value of all) sum += value;
  const recorded = lifetimeFrom.flatMap((config) => recordedSamples(config, c, o));
  // Slot i: samples <= bound i and above bound i - 1; the last slot: above every bound.
  const bucketCounts = [...DEFAULT_TIMING_BUCKETS_MS, Number.POSITIVE_INFINITY].map(
    (bound, i) =>
      recorded.filter(
        (value) =>
          value <= bound && (i === 0 || value > (DEFAULT_TIMING_BUCKETS_MS[i - 1] as number)),
      ).length,
  );
  return {
    count: recorded.length,
    sumMs: recorded.reduce((total, value) => total + value, 0),
    lifetimeMinMs: Math.min(...recorded),
    lifetimeMaxMs: Math.max(...recorded),
    bucketCounts,
    avgMs: sum / all.length,
    minMs: all[0] as number,
    maxMs: all.at(-1) as number,
    p50Ms: percentileSorted(all, 50),
    p90Ms: percentileSorted(all, 90),
    p95Ms: percentileSorted(all, 95),
    p99Ms: percentileSorted(all, 99),
  };
}

/** A fixture config with defaults. */
export function fixtureConfig(
  index: number,
  overrides: Partial<FixtureConfig> = {},
): FixtureConfig {
  return {
    index,
    share: true,
    components: ["api", "db"],
    operations: ["get", "put"],
    samples: 80,
    window: 50,
    status: "connected",
    ...overrides,
  };
}

/**
 * Turns the event loop until `condition()` holds (messages between threads arrive
 * in later turns), failing after `turns` turns instead of waiting a fixed time.
 */
export async function until(condition: () => boolean, turns = 10_000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`condition not met after ${turns} turns of the event loop`);
}

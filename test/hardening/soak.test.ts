import { describe, expect, it } from "vitest";
import { BaseStatisticsTracker, type LockedWriter, manualClock } from "../../src/index.js";
import { heapUsedAfterGc, MB } from "./heap.js";

const WORKERS = 100;
const OPS = 100_000;
const RESET_EVERY = 10_000;
const NAMES = Array.from({ length: 40 }, (_, i) => `metric.${i}`);

class LockingTracker extends BaseStatisticsTracker {
  section<T>(fn: (writer: LockedWriter) => T | PromiseLike<T>): Promise<T> {
    return this.withLock(fn);
  }
}

/** mulberry32: a small seeded generator, so every run issues the same calls. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe("soak", () => {
  it(`${WORKERS} concurrent workers, ${OPS} calls, a reset every ${RESET_EVERY}: exact accounting, bounded heap`, async () => {
    const clock = manualClock(0);
    const tracker = new LockingTracker("soak", { clock, maxErrors: 100, timingWindow: 1000 });
    // The model is updated in the same synchronous step as each call: writes apply in
    // call order, so it always holds what the tracker must hold.
    const counters = new Map<string, number>();
    const gauges = new Map<string, number>();
    const timingCounts = new Map<string, number>();
    let errors = 0;
    let resets = 0;
    const reset = () => {
      resets++;
      counters.clear();
      gauges.clear();
      timingCounts.clear();
      errors = 0;
    };
    const add = (name: string, by: number) => counters.set(name, (counters.get(name) ?? 0) + by);
    let issued = 0;
    let reads = 0;
    let snapshots = 0;
    let sections = 0;

    const heapBefore = heapUsedAfterGc();
    const started = performance.now();

    const worker = async (id: number) => {
      const next = random(id + 1);
      for (let i = 0; i < OPS / WORKERS; i++) {
        issued++;
        if (issued % 100 === 0) clock.advance(1);
        if (issued % RESET_EVERY === 0) {
          reset();
          await tracker.resetMetrics();
          continue;
        }
        const name = NAMES[Math.floor(next() * NAMES.length)] as string;
        const roll = next();
        if (roll < 0.5) {
          add(name, 1);
          await tracker.increment(name);
        } else if (roll < 0.6) {
          const value = Math.floor(next() * 1000);
          gauges.set(name, value);
          await tracker.setGauge(name, value);
        } else if (roll < 0.7) {
          timingCounts.set(name, (timingCounts.get(name) ?? 0) + 1);
          await tracker.recordTiming(name, next() * 50);
        } else if (roll < 0.72) {
          errors++;
          await tracker.trackError(new Error("soak"), name, { worker: id, i });
        } else if (roll < 0.9) {
          reads++;
          const expected = counters.get(name) ?? 0;
          expect(await tracker.getCounter(name)).toBe(expected);
        } else if (roll < 0.91) {
          snapshots++;
          const errorsAtCall = errors;
          const resetsAtCall = resets;
          const stats = await tracker.getStats();
          // Writes issued meanwhile may be in the snapshot; without a reset in between, its
          // error count lies between the counts at the call and at its return.
          if (resets === resetsAtCall) {
            expect(stats.errorCount).toBeGreaterThanOrEqual(errorsAtCall);
            expect(stats.errorCount).toBeLessThanOrEqual(errors);
          }
        } else if (roll < 0.93) {
          sections++;
          add(name, 2);
          await tracker.section(async (writer) => {
            writer.increment(name);
            // Everything the other 99 workers issue now queues behind this section.
            await new Promise((resolve) => setImmediate(resolve));
            writer.increment(name);
          });
        } else {
          add(name, 1);
          await tracker.increment(name);
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, (_, id) => worker(id)));
    const elapsedMs = performance.now() - started;

    const stats = await tracker.getStats();
    expect(issued).toBe(OPS);
    expect(stats.counters).toEqual(Object.fromEntries(counters));
    expect(stats.gauges).toEqual(Object.fromEntries(gauges));
    expect(
      Object.fromEntries(Object.entries(stats.performanceMetrics).map(([op, t]) => [op, t.count])),
    ).toEqual(Object.fromEntries(timingCounts));
    expect(stats.errorCount).toBe(errors);
    expect(await tracker.getErrorCount()).toBe(errors);
    expect(reads + snapshots + sections).toBeGreaterThan(OPS / 5);

    const heapGrowth = heapUsedAfterGc() - heapBefore;
    // The tracker holds 40 names per kind, 1000 samples per operation (10 bytes each)
    // and 100 error records: well under 4 MB whatever the number of calls.
    expect(heapGrowth).toBeLessThan(8 * MB);
    expect(elapsedMs).toBeLessThan(20_000);
    console.info(
      `soak: ${OPS} calls by ${WORKERS} workers in ${Math.round(elapsedMs)} ms, heap +${(heapGrowth / MB).toFixed(2)} MB`,
    );
  });
});

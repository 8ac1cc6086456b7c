import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TimingStore } from "../../src/stores/timing-store.js";
import { TimingWindow } from "../../src/stores/timing-window.js";

/**
 * The raw-window accessors component-stats/cluster merges: the last `window` samples,
 * ascending, as copies. Kept apart from timing-window.test.ts and timing-store.test.ts
 * so that the accessor and its test travel together.
 */

const sample = fc.oneof(
  fc.integer({ min: 0, max: 20 }), // many ties
  fc.double({ min: 0, max: 1e6, noNaN: true }),
);

const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

describe("TimingWindow.sortedSamples", () => {
  it("is empty before any sample", () => {
    expect(new TimingWindow(8).sortedSamples()).toEqual(new Float64Array(0));
  });

  it("equals a sort of the last `window` samples, reads interleaved (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.array(fc.array(sample, { maxLength: 50 }), { maxLength: 6 }),
        (window, batches) => {
          const timings = new TimingWindow(window);
          const all: number[] = [];
          for (const batch of batches) {
            for (const value of batch) {
              timings.record(value);
              all.push(value);
            }
            expect([...timings.sortedSamples()]).toEqual(ascending(all.slice(-window)));
          }
        },
      ),
    );
  });

  it("returns a copy: changing it changes neither the window nor the next copy", () => {
    const timings = new TimingWindow(4);
    for (const value of [3, 1, 2]) timings.record(value);
    const first = timings.sortedSamples();
    first.fill(99);
    expect([...timings.sortedSamples()]).toEqual([1, 2, 3]);
    expect(timings.summary({ sumMs: 0, minMs: 0, maxMs: 0, bucketCounts: () => [] }).maxMs).toBe(3);
  });
});

describe("TimingStore.sortedSamples", () => {
  it("holds one ascending copy per operation, in first-recorded order", () => {
    const store = new TimingStore({ window: 3 });
    for (const [operation, value] of [
      ["b", 5],
      ["a", 2],
      ["b", 1],
      ["b", 4],
      ["b", 3],
    ] as const) {
      store.recordTiming(operation, value);
    }
    const samples = store.sortedSamples();
    expect([...samples.keys()]).toEqual(["b", "a"]);
    expect([...(samples.get("b") ?? [])]).toEqual([1, 3, 4]);
    expect([...(samples.get("a") ?? [])]).toEqual([2]);
    expect(store.sortedSamples()).not.toBe(samples);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyStats } from "../../src/tracker/stats.js";
import { type ComponentStats, SUMMARY_FIELDS, type TimingSummary } from "../../src/types.js";

/** A summary with every contract field set to a distinct value. */
function summary(base: number): TimingSummary {
  return Object.fromEntries(
    SUMMARY_FIELDS.map((field, i) => [field, base + i / 10]),
  ) as unknown as TimingSummary;
}

function sample(): ComponentStats {
  return {
    name: "feed",
    status: "connected",
    uptimeSeconds: 12,
    lastActivity: 1000,
    errorCount: 2,
    memoryUsageMb: 0.01,
    healthScore: 80,
    counters: { requests: 10 },
    gauges: { queue: 3 },
    performanceMetrics: {
      fill: {
        count: 2,
        avgMs: 1.5,
        minMs: 1,
        maxMs: 2,
        p50Ms: 1.5,
        p90Ms: 1.9,
        p95Ms: 1.95,
        p99Ms: 1.99,
      },
    },
  };
}

/** Every object and array reachable from `value`, with the path it was reached by. */
function objectsIn(value: unknown, path = "$"): [string, object][] {
  if (typeof value !== "object" || value === null) return [];
  const found: [string, object][] = [[path, value]];
  for (const [key, inner] of Object.entries(value))
    found.push(...objectsIn(inner, `${path}.${key}`));
  return found;
}

describe("copyStats", () => {
  it("copies every field deeply", () => {
    const stats = sample();
    const copy = copyStats(stats);
    expect(copy).toEqual(stats);
    expect(copy.counters).not.toBe(stats.counters);
    expect(copy.gauges).not.toBe(stats.gauges);
    expect(copy.performanceMetrics.fill).not.toBe(stats.performanceMetrics.fill);
    copy.counters.requests = 0;
    copy.gauges.queue = 0;
    (copy.performanceMetrics.fill as { p99Ms: number }).p99Ms = 0;
    expect(stats).toEqual(sample());
  });

  it("copies the overflow record when present and leaves it out otherwise", () => {
    expect("overflow" in copyStats(sample())).toBe(false);
    const stats = { ...sample(), overflow: { counters: 1, gauges: 0, operations: 2 } };
    const copy = copyStats(stats);
    expect(copy.overflow).toEqual({ counters: 1, gauges: 0, operations: 2 });
    (copy.overflow as { counters: number }).counters = 9;
    expect(stats.overflow.counters).toBe(1);
  });

  it("copies every field a summary has, SUMMARY_FIELDS and any added later, arrays included", () => {
    const extended = {
      ...summary(3),
      bucketCounts: [1, 2, 3],
      histogram: { boundsMs: [0.5, 1], counts: [4, 5] },
    };
    const stats = { ...sample(), performanceMetrics: { fill: extended as TimingSummary } };
    const copy = copyStats(stats);
    expect(copy).toStrictEqual(stats);
    const fill = copy.performanceMetrics.fill as unknown as typeof extended;
    for (const field of SUMMARY_FIELDS) expect(fill[field]).toBe(extended[field]);
    expect(fill.bucketCounts).not.toBe(extended.bucketCounts);
    expect(fill.histogram.counts).not.toBe(extended.histogram.counts);
    fill.bucketCounts[0] = 99;
    fill.histogram.counts.push(6);
    expect(extended.bucketCounts).toEqual([1, 2, 3]);
    expect(extended.histogram.counts).toEqual([4, 5]);
  });

  it("keeps keys named __proto__ as own data properties", () => {
    const stats = sample();
    stats.counters = Object.fromEntries([
      ["__proto__", 5],
      ["a", 1],
    ]);
    stats.gauges = Object.fromEntries([["__proto__", 2]]);
    stats.performanceMetrics = Object.fromEntries([
      ["__proto__", summary(1)],
      ["constructor", summary(2)],
    ]);
    const copy = copyStats(stats);
    for (const record of [copy.counters, copy.gauges, copy.performanceMetrics]) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(Object.hasOwn(record, "__proto__")).toBe(true);
    }
    expect(Object.entries(copy.counters)).toEqual([
      ["__proto__", 5],
      ["a", 1],
    ]);
    const own = (record: object) => Object.getOwnPropertyDescriptor(record, "__proto__")?.value;
    expect(own(copy.performanceMetrics)).toStrictEqual(summary(1));
    expect(own(copy.performanceMetrics)).not.toBe(own(stats.performanceMetrics));
    expect(JSON.parse(JSON.stringify(copy))).toEqual(copy);
  });

  it("shares no object with its source and equals it, for any names (property)", () => {
    const name = fc.oneof(
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.constantFrom("__proto__", "constructor", "toString", "0", "hasOwnProperty"),
    );
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.double({ noNaN: true, noDefaultInfinity: true }), {
          noNullPrototype: true,
        }),
        fc.dictionary(name, fc.integer(), { noNullPrototype: true }),
        fc.uniqueArray(name, { maxLength: 10 }),
        (counters, gauges, operations) => {
          const stats: ComponentStats = {
            ...sample(),
            counters,
            gauges,
            performanceMetrics: Object.fromEntries(operations.map((op, i) => [op, summary(i)])),
          };
          const copy = copyStats(stats);
          // toEqual: toStrictEqual compares `constructor`, here an operation's own summary.
          expect(copy).toEqual(stats);
          expect(Object.keys(copy.performanceMetrics)).toEqual(
            Object.keys(stats.performanceMetrics),
          );
          const sourceObjects = new Set(objectsIn(stats).map(([, object]) => object));
          for (const [path, object] of objectsIn(copy)) {
            expect(sourceObjects.has(object), `${path} is shared`).toBe(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

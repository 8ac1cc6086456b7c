import { describe, expect, it } from "vitest";
import {
  checkHealthScore,
  checkRecentErrors,
  checkStats,
} from "../../src/registry/check-report.js";
import { type ComponentStats, type ErrorRecord, SUMMARY_FIELDS } from "../../src/types.js";

function summary(base = 1) {
  return {
    count: base * 10,
    avgMs: base + 0.5,
    minMs: base,
    maxMs: base + 9,
    p50Ms: base + 1,
    p90Ms: base + 2,
    p95Ms: base + 3,
    p99Ms: base + 4,
  };
}

function stats(overrides: Record<string, unknown> = {}): ComponentStats {
  return {
    name: "orders",
    status: "connected",
    uptimeSeconds: 12,
    lastActivity: 1_700_000_000_000,
    errorCount: 1,
    memoryUsageMb: 0.25,
    healthScore: 88.5,
    counters: { placed: 3, cancelled: 0 },
    gauges: { open: -2 },
    performanceMetrics: { place: summary(1), cancel: summary(2) },
    ...overrides,
  } as ComponentStats;
}

const BOTH = [false, true] as const;

describe("checkStats", () => {
  it("returns the snapshot itself without a copy", () => {
    const value = stats();
    expect(checkStats(value, false)).toBe(value);
  });

  it("returns an equal deep copy with a copy, sharing no object with the value", () => {
    const value = stats({ overflow: { counters: 1, gauges: 0, operations: 2 } });
    const copy = checkStats(value, true);
    expect(copy).toEqual(value);
    expect(copy).not.toBe(value);
    expect(copy.counters).not.toBe(value.counters);
    expect(copy.gauges).not.toBe(value.gauges);
    expect(copy.performanceMetrics).not.toBe(value.performanceMetrics);
    expect(copy.performanceMetrics.place).not.toBe(value.performanceMetrics.place);
    expect(copy.overflow).not.toBe(value.overflow);
    (value.counters as Record<string, number>).placed = 99;
    (value.performanceMetrics.place as { p99Ms: number }).p99Ms = 99;
    expect(copy.counters.placed).toBe(3);
    expect(copy.performanceMetrics.place?.p99Ms).toBe(5);
  });

  it("copies every summary field of the contract, and only the contract's fields", () => {
    const value = stats({ extra: { socket: "kept out" } });
    (value.performanceMetrics.place as unknown as Record<string, unknown>).extra = 1;
    const copy = checkStats(value, true);
    expect(Object.keys(copy.performanceMetrics.place ?? {}).sort()).toEqual(
      [...SUMMARY_FIELDS].sort(),
    );
    expect("extra" in copy).toBe(false);
    expect("overflow" in copy).toBe(false);
  });

  it("checks and copies the per-worker gauges of a merged view, so that merging it again keeps them", () => {
    const workerGauges = { connections: { "thread-1": 3, "thread-2": -4.5 } };
    const value = stats({ workerGauges });
    expect(checkStats(value, false).workerGauges).toBe(workerGauges);
    const copy = checkStats(value, true);
    expect(copy.workerGauges).toEqual(workerGauges);
    expect(copy.workerGauges).not.toBe(workerGauges);
    expect(copy.workerGauges?.connections).not.toBe(workerGauges.connections);
    workerGauges.connections["thread-1"] = 99;
    expect(copy.workerGauges?.connections?.["thread-1"]).toBe(3);
    const keyed = JSON.parse('{"__proto__": {"__proto__": 1}}');
    const kept = checkStats(stats({ workerGauges: keyed }), true).workerGauges ?? {};
    expect(Object.keys(kept)).toEqual(["__proto__"]);
    expect(Object.keys(Object.getOwnPropertyDescriptor(kept, "__proto__")?.value)).toEqual([
      "__proto__",
    ]);
    expect(Object.getPrototypeOf(kept)).toBe(Object.prototype);
  });

  it("keeps a key named __proto__ as data in a copy", () => {
    const counters = JSON.parse('{"__proto__": 5}') as Record<string, number>;
    const performanceMetrics = JSON.parse(`{"__proto__": ${JSON.stringify(summary())}}`);
    const copy = checkStats(stats({ counters, performanceMetrics }), true);
    expect(Object.keys(copy.counters)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(copy.counters, "__proto__")?.value).toBe(5);
    expect(Object.getPrototypeOf(copy.counters)).toBe(Object.prototype);
    expect(Object.keys(copy.performanceMetrics)).toEqual(["__proto__"]);
  });

  it("accepts a null lastActivity and a missing healthScore, reported as undefined", () => {
    for (const copy of BOTH) {
      const { healthScore: _, ...withoutHealth } = stats({ lastActivity: null });
      const checked = checkStats(withoutHealth, copy);
      expect(checked.lastActivity).toBeNull();
      expect(checked.healthScore).toBeUndefined();
    }
  });

  it.each([
    ["not an object", null, /Expected getStats\(\) to be an object, got null/],
    ["an array", [], /getStats\(\) to be an object/],
    ["a number", 5, /getStats\(\) to be an object, got 5 \(number\)/],
    ["a name that is not a string", stats({ name: 1 }), /getStats\(\)\.name to be a string/],
    ["a missing status", stats({ status: undefined }), /getStats\(\)\.status to be a string/],
    ["a NaN uptime", stats({ uptimeSeconds: Number.NaN }), /getStats\(\)\.uptimeSeconds.*NaN/],
    ["a string errorCount", stats({ errorCount: "1" }), /getStats\(\)\.errorCount.*"1"/],
    ["an infinite memory", stats({ memoryUsageMb: Infinity }), /memoryUsageMb.*Infinity/],
    ["an undefined lastActivity", stats({ lastActivity: undefined }), /lastActivity/],
    ["a NaN healthScore", stats({ healthScore: Number.NaN }), /healthScore to be a finite/],
    ["a null counters", stats({ counters: null }), /getStats\(\)\.counters to be an object/],
    ["a NaN counter", stats({ counters: { a: 1, "b\n": Number.NaN } }), /counters\["b\\n"\]/],
    ["an Infinity gauge", stats({ gauges: { g: -Infinity } }), /gauges\["g"\].*-Infinity/],
    ["a missing timings record", stats({ performanceMetrics: undefined }), /performanceMetrics/],
    [
      "a summary that is not an object",
      stats({ performanceMetrics: { op: 3 } }),
      /performanceMetrics\["op"\] to be an object, got 3/,
    ],
    ["an overflow of null", stats({ overflow: null }), /getStats\(\)\.overflow to be an object/],
    [
      "an overflow without operations",
      stats({ overflow: { counters: 0, gauges: 0 } }),
      /getStats\(\)\.overflow\.operations/,
    ],
    [
      "per-worker gauges that are not an object",
      stats({ workerGauges: [] }),
      /getStats\(\)\.workerGauges to be an object/,
    ],
    [
      "a gauge's workers that are not an object",
      stats({ workerGauges: { conns: 3 } }),
      /getStats\(\)\.workerGauges\["conns"\] to be an object, got 3/,
    ],
    [
      "a NaN per-worker gauge",
      stats({ workerGauges: { conns: { a: 1, b: Number.NaN } } }),
      /workerGauges\["conns"\]\["b"\] to be a finite number, got NaN/,
    ],
    [
      "an infinite per-worker gauge",
      stats({ workerGauges: { conns: { a: Number.POSITIVE_INFINITY } } }),
      /workerGauges\["conns"\]\["a"\].*Infinity/,
    ],
    [
      "a per-worker gauge that is not a number",
      stats({ workerGauges: { conns: { a: "1" } } }),
      /workerGauges\["conns"\]\["a"\].*"1"/,
    ],
    ["a string resetCount", stats({ resetCount: "2" }), /getStats\(\)\.resetCount.*"2"/],
  ])("rejects %s with a TypeError naming it, with or without a copy", (_, value, message) => {
    for (const copy of BOTH) {
      expect(() => checkStats(value, copy)).toThrow(TypeError);
      expect(() => checkStats(value, copy)).toThrow(message);
    }
  });

  it.each([-0.1, 100.5])(
    "rejects a healthScore of %d with a RangeError naming it",
    (healthScore) => {
      for (const copy of BOTH) {
        expect(() => checkStats(stats({ healthScore }), copy)).toThrow(
          new RangeError(
            `Expected getStats().healthScore to be a number from 0 to 100, got ${healthScore} (number)`,
          ),
        );
      }
    },
  );

  it("keeps a resetCount in a copy, and rejects one that is not an integer >= 0 with a RangeError", () => {
    expect(checkStats(stats({ resetCount: 2 }), true).resetCount).toBe(2);
    expect("resetCount" in checkStats(stats(), true)).toBe(false);
    for (const resetCount of [-1, 1.5]) {
      for (const copy of BOTH) {
        expect(() => checkStats(stats({ resetCount }), copy)).toThrow(
          new RangeError(
            `Expected getStats().resetCount to be an integer >= 0, got ${resetCount} (number)`,
          ),
        );
      }
    }
  });

  it("checks every summary field of the contract, naming the operation and the field", () => {
    for (const field of SUMMARY_FIELDS) {
      for (const bad of [Number.NaN, Infinity, "1", null, undefined, true]) {
        const place = { ...summary(), [field]: bad };
        for (const copy of BOTH) {
          expect(() => checkStats(stats({ performanceMetrics: { place } }), copy)).toThrow(
            `Expected getStats().performanceMetrics["place"].${field} to be a finite number`,
          );
        }
      }
    }
  });

  it("reads each value once when copying, so a getter cannot pass the check and then change", () => {
    let reads = 0;
    const counters = {
      get flaky() {
        reads++;
        return reads === 1 ? 1 : Number.NaN;
      },
    };
    const copy = checkStats(stats({ counters }), true);
    expect(copy.counters).toEqual({ flaky: 1 });
    expect(reads).toBe(1);
  });

  it("still throws when a value that failed answers differently when looked up again", () => {
    for (const [record, path] of [
      ["counters", "getStats().counters"],
      ["performanceMetrics", 'getStats().performanceMetrics["flaky"]'],
    ] as const) {
      let reads = 0;
      const good = record === "counters" ? 1 : summary();
      const value = {
        get flaky() {
          reads++;
          return reads === 1 ? Number.NaN : good;
        },
      };
      expect(() => checkStats(stats({ [record]: value }), false)).toThrow(
        new TypeError(`Expected ${path} to hold finite numbers, got one that changed when read`),
      );
    }
    let reads = 0;
    const place = {
      ...summary(),
      get p99Ms() {
        reads++;
        return reads === 1 ? Number.NaN : 4;
      },
    };
    expect(() => checkStats(stats({ performanceMetrics: { place } }), true)).toThrow(
      /performanceMetrics\["place"\] to hold finite numbers, got one that changed/,
    );
  });
});

describe("checkHealthScore", () => {
  it("returns a score from 0 to 100", () => {
    for (const score of [0, 54, 99.9, 100]) expect(checkHealthScore(score)).toBe(score);
  });

  it("rejects a score out of range with a RangeError and anything else with a TypeError", () => {
    expect(() => checkHealthScore(150)).toThrow(
      new RangeError(
        "Expected getHealthScore() to resolve to a number from 0 to 100, got 150 (number)",
      ),
    );
    expect(() => checkHealthScore(-1)).toThrow(RangeError);
    for (const bad of [Number.NaN, Infinity, "90", null, undefined]) {
      expect(() => checkHealthScore(bad)).toThrow(TypeError);
      expect(() => checkHealthScore(bad)).toThrow(/getHealthScore\(\) to be a finite number/);
    }
  });
});

describe("checkRecentErrors", () => {
  const record = (): ErrorRecord => ({
    error: "gap",
    errorType: "Error",
    context: "feed",
    details: { nested: { seq: 1 } },
    timestamp: 1_700_000_000_000,
  });

  it("returns the array itself without a copy and a deep copy with one", () => {
    const records = [record(), record()];
    expect(checkRecentErrors(records, false)).toBe(records);
    const copy = checkRecentErrors(records, true);
    expect(copy).toEqual(records);
    expect(copy).not.toBe(records);
    expect(copy[0]?.details).not.toBe(records[0]?.details);
  });

  it("rejects what is not an array of objects, naming the index", () => {
    for (const copy of BOTH) {
      expect(() => checkRecentErrors("nope", copy)).toThrow(
        new TypeError('Expected getRecentErrors() to resolve to an array, got "nope" (string)'),
      );
      expect(() => checkRecentErrors([record(), null], copy)).toThrow(
        /getRecentErrors\(\)\[1\] to be an object, got null/,
      );
    }
  });

  it("rejects records that cannot be copied as plain data", () => {
    const records = [{ ...record(), details: { callback: () => {} } }];
    expect(() => checkRecentErrors(records, true)).toThrow(/could not be cloned/);
  });
});

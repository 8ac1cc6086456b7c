import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_NAME_LENGTH, manualClock } from "../../src/index.js";
import { DEFAULT_SANITIZE_LIMITS, sanitizeDetails } from "../../src/shared/sanitize.js";
import { MAX_MESSAGE_LENGTH } from "../../src/stores/error-info.js";
import type { TrackerOptions } from "../../src/tracker/options.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";
import { expectedFailures } from "../setup/call-warnings.js";
import { bigString, MB, retainedBytes } from "./heap.js";

/**
 * A bound on the JSON of the records built from generated values: message and context
 * at most MAX_MESSAGE_LENGTH characters each (plus a "… (n characters)" note), details
 * within DEFAULT_SANITIZE_LIMITS (8192 characters of text, 1000 values). The worst
 * record constructed below, full of characters JSON escapes six-fold, is larger in
 * JSON (about 190 KB) but not in memory, which is what the bounds are for.
 */
const MAX_RECORD_JSON = 64 * 1024;

function tracker(options: TrackerOptions = {}): BaseStatisticsTracker {
  return new BaseStatisticsTracker("hostile", { clock: manualClock(1_000_000), ...options });
}

async function recordOf(error: unknown, details?: unknown) {
  const stats = tracker();
  await stats.trackError(error, "ctx", details as Record<string, unknown>);
  const [record] = await stats.getRecentErrors(1);
  if (record === undefined) throw new Error("no record");
  const json = JSON.stringify(record);
  expect(json.length).toBeLessThanOrEqual(MAX_RECORD_JSON);
  expect(JSON.parse(json)).toEqual(record);
  expect(await stats.getErrorCount()).toBe(1);
  return record;
}

/** An AggregateError that lists itself three times: a cycle with fan-out. */
function selfListingAggregate(): AggregateError {
  const error = new AggregateError([], "loop");
  error.errors.push(error, error, error);
  return error;
}

describe("hostile error values are recorded, bounded, as useful as they allow", () => {
  it.each([
    ["null", null, "null", "Unknown"],
    ["undefined", undefined, "undefined", "Unknown"],
    ["a number", 404, "404", "Unknown"],
    ["NaN", Number.NaN, "NaN", "Unknown"],
    ["a bigint", 12n, "12", "Unknown"],
    ["a symbol", Symbol("gone"), "Symbol(gone)", "Unknown"],
    ["an object without a message", { code: "ECONNRESET" }, '{"code":"ECONNRESET"}', "Unknown"],
    [
      "an error-like object",
      { message: "from fetch", name: "FetchError" },
      "from fetch",
      "Unknown",
    ],
    ["a TypeError", new TypeError("bad"), "bad", "TypeError"],
  ])("%s", async (_, value, message, type) => {
    const record = await recordOf(value);
    expect(record.error).toBe(message);
    expect(record.errorType).toBe(type);
    expect(record.context).toBe("ctx");
  });

  it("an Error whose message getter throws keeps its class name", async () => {
    class ParseError extends Error {
      override get message(): string {
        throw new Error("getter");
      }
    }
    const record = await recordOf(new ParseError());
    expect(record.errorType).toBe("ParseError");
    expect(record.error).toBe("[unprintable error]");
  });

  it("errors whose class overrides name: the class name is the type", async () => {
    class HttpError extends Error {
      override name = "HttpError";
    }
    class Odd extends Error {
      override get name(): string {
        throw new Error("no name");
      }
    }
    class Numeric extends Error {
      override name = 42 as unknown as string;
    }
    expect((await recordOf(new HttpError("503"))).errorType).toBe("HttpError");
    expect((await recordOf(new Odd("o"))).errorType).toBe("Odd");
    expect((await recordOf(new Numeric("n"))).errorType).toBe("Numeric");
    const renamed = new Error("late");
    renamed.name = "TimeoutError";
    expect((await recordOf(renamed)).errorType).toBe("TimeoutError");
  });

  it("an AggregateError lists its first inner messages", async () => {
    const record = await recordOf(new AggregateError([new Error("a"), "b", null], "all failed"));
    expect(record.errorType).toBe("AggregateError");
    expect(record.error).toBe("all failed [3 errors: a; b; null]");
  });

  it("regression: an AggregateError that contains itself is recorded promptly", async () => {
    // Each level listed three inner errors without a depth limit: 3^depth calls, a hang.
    const started = performance.now();
    const record = await recordOf(selfListingAggregate());
    expect(performance.now() - started).toBeLessThan(1000);
    expect(record.error.startsWith("loop [3 errors: loop [3 errors:")).toBe(true);
    expect(record.error.length).toBeLessThan(MAX_MESSAGE_LENGTH + 40);
  });

  it("regression: revoked proxies and proxies whose traps throw are recorded", async () => {
    const { proxy, revoke } = Proxy.revocable(new Error("inner"), {});
    revoke();
    const revoked = await recordOf(proxy);
    expect(revoked.errorType).toBe("Unknown");
    expect(typeof revoked.error).toBe("string");
    const trapping = new Proxy(new RangeError("inner"), {
      getPrototypeOf() {
        throw new Error("trap");
      },
    });
    expect((await recordOf(trapping)).context).toBe("ctx");
  });

  it("a 10 MB message is cut to MAX_MESSAGE_LENGTH, saying how long it was", async () => {
    const record = await recordOf(new Error(bigString(10 * MB, 1)));
    expect(record.error.length).toBeLessThan(MAX_MESSAGE_LENGTH + 40);
    expect(record.error.endsWith(`(${10 * MB} characters)`)).toBe(true);
  });

  it("anything fast-check can build is recorded within the bound (property)", async () => {
    const anything = fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withSparseArray: true,
      withTypedArray: true,
      withUnicodeString: true,
    });
    await fc.assert(
      fc.asyncProperty(anything, anything, async (error, details) => {
        await recordOf(error, details);
      }),
      { numRuns: 200 },
    );
  });
});

describe("hostile details are copied, bounded, never thrown from", () => {
  it("circular, deeply nested, throwing getters, BigInt, Symbol, functions", async () => {
    const circular: Record<string, unknown> = { name: "loop" };
    circular.self = circular;
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100_000; i++) deep = { deep };
    const getter = Object.defineProperty({}, "secret", {
      enumerable: true,
      get() {
        throw new Error("denied");
      },
    });
    const record = await recordOf(new Error("e"), {
      circular,
      deep,
      getter,
      big: 2n ** 70n,
      sym: Symbol.for("s"),
      fn: function callback() {},
    });
    expect(record.details.circular).toEqual({ name: "loop", self: "[Circular]" });
    expect(JSON.stringify(record.details.deep)).toContain("[Truncated: depth]");
    expect(record.details.getter).toEqual({ secret: "[Thrown: denied]" });
    expect(record.details.big).toBe("1180591620717411303424n");
    expect(record.details.sym).toBe("Symbol(s)");
    expect(record.details.fn).toBe("[Function callback]");
  });

  it("a 10 MB string is cut to maxStringLength", async () => {
    const record = await recordOf(new Error("e"), { body: bigString(10 * MB, 2) });
    const body = record.details.body as string;
    expect(body.length).toBeLessThan(DEFAULT_SANITIZE_LIMITS.maxStringLength + 40);
  });

  it("regression: a shared-reference fan-out is copied in bounded time and size", async () => {
    // Six small objects, each holding the next 50 times: the tree they unfold to has
    // 50^6 leaves. Only ancestors were tracked (for cycles), so every path was copied.
    let level: unknown = 1;
    for (let depth = 0; depth < 6; depth++) {
      const next: Record<string, unknown> = {};
      for (let i = 0; i < 50; i++) next[`k${i}`] = level;
      level = next;
    }
    const started = performance.now();
    const record = await recordOf(new Error("e"), { level });
    expect(performance.now() - started).toBeLessThan(1000);
    // maxValues, plus one "…" summary per object still open when the budget ran out.
    const maxValues = DEFAULT_SANITIZE_LIMITS.maxValues ?? 0;
    expect(countValues(record.details)).toBeLessThanOrEqual(
      maxValues + DEFAULT_SANITIZE_LIMITS.maxDepth + 1,
    );
  });

  it("regression: long keys count against the text budget", () => {
    const wide = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [`${i}`.padEnd(1000, "k"), i]),
    );
    const nested = { a: wide, b: { ...wide }, c: { ...wide }, d: { ...wide } };
    const text = JSON.stringify(sanitizeDetails(nested));
    // 200 keys of 1000 characters: past the 8192-character budget each key keeps 16
    // characters and a note of its length, and its value is "[Truncated]" (a cut key
    // might have named a secret): about 52 characters of JSON per entry.
    expect(text.length).toBeLessThan(DEFAULT_SANITIZE_LIMITS.maxTotalChars + 200 * 52);
  });

  it("the worst record we could construct retains under 64 KB (a typical one under 1 KB)", async () => {
    // Every budget spent at once: 8 long strings of control characters, 2500 keys,
    // 1000 values. The keys are 16 characters: a key cut short keeps no value (so that
    // redaction can judge every key it sees), so longer keys would keep less.
    // One input serves every record: each record copies what it keeps.
    const text = "\u0001".repeat(5000);
    const keys = Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(16, "\u0002"));
    const details: Record<string, unknown> = {};
    for (const [i, outer] of keys.entries()) {
      details[outer] = Object.fromEntries(
        keys.map((inner) => [inner, i < 8 ? text : -1.234567890123456e-300]),
      );
    }
    const stats = new BaseStatisticsTracker("worst", { clock: manualClock(0), maxErrors: 100 });
    const worst = await retainedBytes(async () => {
      for (let i = 0; i < 100; i++) await stats.trackError(new Error(text + i), text, details);
      return stats;
    });
    console.info(
      `[hostile-inputs] worst error record retains ${(worst / 100 / 1024).toFixed(1)} KB`,
    );
    expect(worst / 100).toBeLessThan(64 * 1024);
    const typicalStats = new BaseStatisticsTracker("typical", { clock: manualClock(0) });
    const typical = await retainedBytes(async () => {
      for (let i = 0; i < 100; i++) {
        await typicalStats.trackError(new Error(`timeout ${i}`), "order.submit", {
          orderId: `o-${i}`,
          attempt: 2,
        });
      }
      return typicalStats;
    });
    expect(typical / 100).toBeLessThan(1024);
  });

  it("huge Maps, Sets and wide objects keep maxEntries entries", async () => {
    const big = new Map(Array.from({ length: 200_000 }, (_, i) => [i, i]));
    const record = await recordOf(new Error("e"), {
      map: big,
      set: new Set(big.keys()),
      wide: Object.fromEntries(big),
    });
    expect(record.details.map).toHaveLength(DEFAULT_SANITIZE_LIMITS.maxEntries + 1);
    expect(record.details.set).toHaveLength(DEFAULT_SANITIZE_LIMITS.maxEntries + 1);
    expect(Object.keys(record.details.wide as object)).toHaveLength(
      DEFAULT_SANITIZE_LIMITS.maxEntries + 1,
    );
  });

  it("a __proto__ key stays data and pollutes nothing", async () => {
    const details = JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}');
    const record = await recordOf(new Error("e"), details);
    expect(Object.hasOwn(record.details, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(record)).details.ok).toBe(1);
  });

  it("details that are not an object (hostile JS callers) are wrapped", async () => {
    expect((await recordOf(new Error("e"), "text")).details).toEqual({ value: "text" });
    expect((await recordOf(new Error("e"), 5)).details).toEqual({ value: 5 });
  });

  it("regression: records do not keep the huge strings their texts were cut from", async () => {
    // V8 represents a slice of 13 or more characters as a view of its parent string, so
    // a record holding `huge.slice(0, 1024)` kept all of `huge` alive: 100 errors each
    // with a 2 MB body retained 200 MB while the records held 100 KB of text.
    const stats = new BaseStatisticsTracker("retain", { clock: manualClock(0), maxErrors: 100 });
    const grown = await retainedBytes(async () => {
      for (let i = 0; i < 100; i++) {
        const huge = bigString(2 * MB, i);
        const error = new Error(huge);
        await stats.trackError(error, huge, { body: huge, slice: huge.slice(5, 900) });
      }
      return stats;
    });
    expect(grown).toBeLessThan(5 * MB); // about 0.8 MB here; 200 MB before the fix
  });
});

describe("metric names: any Unicode, at most MAX_NAME_LENGTH UTF-16 code units", () => {
  it("a 10 MB name is rejected with a short RangeError naming the argument", async () => {
    const { onError, failures } = expectedFailures();
    const stats = tracker({ onError });
    const huge = bigString(10 * MB, 3);
    for (const call of [
      () => stats.increment(huge),
      () => stats.setGauge(huge, 1),
      () => stats.recordTiming(huge, 1),
      () => stats.setStatus(huge),
      () => stats.time(huge, () => 1),
    ]) {
      const error = await call().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error).toBeInstanceOf(RangeError);
      expect((error as Error).message).toMatch(/^Expected `(metric|operation|status)`/);
      expect((error as Error).message.length).toBeLessThan(200);
    }
    expect(await stats.getStats()).toMatchObject({ counters: {}, gauges: {}, lastActivity: null });
    // Reported to onError with the same short message.
    expect(failures).toHaveLength(5);
    for (const failure of failures) expect(failure.message.length).toBeLessThan(200);
  });

  it("the limit counts code units: 256 are accepted, 257 rejected, an emoji counts 2", async () => {
    const { onError, failures } = expectedFailures();
    const stats = tracker({ onError });
    await stats.increment("a".repeat(MAX_NAME_LENGTH));
    await expect(stats.increment("a".repeat(MAX_NAME_LENGTH + 1))).rejects.toThrow(RangeError);
    await stats.increment("😀".repeat(MAX_NAME_LENGTH / 2));
    await expect(stats.increment(`😀${"😀".repeat(MAX_NAME_LENGTH / 2)}`)).rejects.toThrow(
      RangeError,
    );
    expect(Object.keys((await stats.getStats()).counters)).toHaveLength(2);
    expect(failures.map((failure) => failure.call)).toEqual(["increment", "increment"]);
  });

  it("names are kept as given: no normalisation, lone surrogates and NUL included", async () => {
    const stats = tracker();
    const names = [
      "caf\u00e9",
      "cafe\u0301",
      "\ud800",
      "\udfff",
      "a\u0000b",
      "\u202eevil",
      "__proto__",
      "constructor",
      "toString",
    ];
    for (const [i, name] of names.entries()) {
      await stats.increment(name, i + 1);
      await stats.setGauge(name, -i - 1);
      await stats.recordTiming(name, i);
    }
    const stats1 = JSON.parse(JSON.stringify(await stats.getStats()));
    for (const [i, name] of names.entries()) {
      expect(Object.getOwnPropertyDescriptor(stats1.counters, name)?.value).toBe(i + 1);
      expect(Object.getOwnPropertyDescriptor(stats1.gauges, name)?.value).toBe(-i - 1);
      expect(Object.getOwnPropertyDescriptor(stats1.performanceMetrics, name)?.value.count).toBe(1);
      expect(await stats.getCounter(name)).toBe(i + 1);
    }
  });

  it("any string of 1..256 code units is a name and survives JSON (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "binary", minLength: 1, maxLength: MAX_NAME_LENGTH }),
        fc.integer({ min: -1000, max: 1000 }),
        async (name, value) => {
          const stats = tracker();
          await stats.increment(name, value);
          const snapshot = JSON.parse(JSON.stringify(await stats.getStats()));
          expect(Object.getOwnPropertyDescriptor(snapshot.counters, name)?.value).toBe(value);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("regression: names and statuses do not keep the strings they were sliced from", async () => {
    const stats = new BaseStatisticsTracker("names", {
      clock: manualClock(0),
      maxMetricNames: 20,
    });
    const grown = await retainedBytes(async () => {
      for (let i = 0; i < 100; i++) {
        const huge = bigString(MB, i);
        const name = huge.slice(0, 40); // unique per i: the seed leads
        await stats.increment(name); // 20 kept, 80 folded (and remembered exactly)
        await stats.setGauge(name, i);
        await stats.recordTiming(name, i);
        await stats.setStatus(huge.slice(0, 30));
      }
      return stats;
    });
    expect(grown).toBeLessThan(2 * MB); // about 0.1 MB here; 100 MB before the fix
  });
});

function countValues(value: unknown): number {
  if (value === null || typeof value !== "object") return 1;
  let count = 1;
  for (const item of Object.values(value)) count += countValues(item);
  return count;
}

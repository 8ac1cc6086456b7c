import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileSummaryRecordCopy,
  SummaryCopy,
  SummaryRecordCopiers,
} from "../../src/tracker/summary-copy.js";
import type { TimingSummary } from "../../src/types.js";

const summary = (n: number): TimingSummary => ({
  count: n,
  avgMs: n + 0.5,
  minMs: n / 3,
  maxMs: n * 2.25,
  p50Ms: n + 0.1,
  p90Ms: n + 0.2,
  p95Ms: n + 0.3,
  p99Ms: n + 0.4,
});

describe("SummaryCopy", () => {
  it("makes a plain object equal to its source, with fields in order", () => {
    const source = summary(7);
    const copy = new SummaryCopy(source);
    expect(copy).not.toBe(source);
    expect(copy).toStrictEqual(source);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(Object.keys(source));
  });
});

describe("compileSummaryRecordCopy", () => {
  it("builds a record equal to the keys zipped with copies, for any key text", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.oneof(
            fc.string({ minLength: 1 }),
            fc.constantFrom(
              "__proto__",
              "constructor",
              'a"b',
              "a\\b",
              "line\nbreak",
              "\u2028",
              "\u{1F600}",
              "\uD800",
            ),
          ),
          { maxLength: 20 },
        ),
        (keys) => {
          const copy = compileSummaryRecordCopy(keys);
          expect(copy).toBeDefined();
          const summaries = keys.map((_, i) => summary(i));
          const record = (copy as NonNullable<typeof copy>)(summaries);
          expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
          expect(Object.keys(record)).toEqual(
            // Integer-like keys come first in any JavaScript object, whatever the order of creation.
            Object.keys(Object.fromEntries(keys.map((key) => [key, 0]))),
          );
          keys.forEach((key, i) => {
            expect(Object.hasOwn(record, key)).toBe(true);
            expect(record[key]).toStrictEqual(summaries[i]);
            expect(record[key]).not.toBe(summaries[i]);
          });
          expect(JSON.parse(JSON.stringify(record))).toEqual(record);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("declines more keys than a literal pays for", () => {
    const keys = Array.from({ length: 257 }, (_, i) => `op${i}`);
    expect(compileSummaryRecordCopy(keys)).toBeUndefined();
    expect(compileSummaryRecordCopy(keys.slice(0, 256))).toBeDefined();
  });
});

describe("SummaryRecordCopiers", () => {
  it("reuses the compiled copier while the keys stay the same and recompiles when they change", () => {
    const copiers = new SummaryRecordCopiers();
    const first = copiers.copierFor(["a", "b"]);
    expect(first).toBeDefined();
    expect(copiers.copierFor(["a", "b"])).toBe(first);
    const changed = copiers.copierFor(["a", "b", "c"]);
    expect(changed).not.toBe(first);
    expect(
      Object.keys((changed as NonNullable<typeof changed>)([summary(1), summary(2), summary(3)])),
    ).toEqual(["a", "b", "c"]);
    // Lists that a plain join would confuse are told apart.
    const joined = copiers.copierFor(["a\u0000b"]);
    expect(Object.keys((joined as NonNullable<typeof joined>)([summary(1)]))).toEqual(["a\u0000b"]);
  });

  it("has no copier for no operations", () => {
    expect(new SummaryRecordCopiers().copierFor([])).toBeUndefined();
  });
});

import type { TimingSummary } from "../types.js";

type SummaryCopier = new (s: TimingSummary) => TimingSummary;

/**
 * Copies a summary into a plain object (prototype `Object.prototype`, own fields in
 * the usual order, like an object literal), made with `new` rather than a literal
 * on purpose. V8 tracks each object literal's allocation site, and once it sees a
 * batch of a site's objects all survive a young-generation GC (a caller holding a
 * snapshot at that moment, typically around the first, uncached `getStats()`), it
 * allocates every later object of that site straight into the old generation. For
 * copies that live microseconds that made cache hits about 4x slower for the rest
 * of the process (bench workload 5: 4.5 µs became 17-19 µs in about a third of
 * runs). Objects made by `new` are not pretenured that way; a spread avoids it
 * too but copies boxed doubles about 30% slower.
 */
export const SummaryCopy = function SummaryCopy(this: TimingSummary, s: TimingSummary): void {
  this.count = s.count;
  this.avgMs = s.avgMs;
  this.minMs = s.minMs;
  this.maxMs = s.maxMs;
  this.p50Ms = s.p50Ms;
  this.p90Ms = s.p90Ms;
  this.p95Ms = s.p95Ms;
  this.p99Ms = s.p99Ms;
  // Lifetime figures: always there in a tracker's summaries, optional in the contract.
  if (s.sumMs !== undefined) this.sumMs = s.sumMs;
  if (s.lifetimeMinMs !== undefined) this.lifetimeMinMs = s.lifetimeMinMs;
  if (s.lifetimeMaxMs !== undefined) this.lifetimeMaxMs = s.lifetimeMaxMs;
  if (s.bucketCounts !== undefined) this.bucketCounts = s.bucketCounts.slice();
} as unknown as SummaryCopier;
SummaryCopy.prototype = Object.prototype;

/** Copies the summaries of a fixed list of operations into a new record, in that order. */
export type SummaryRecordCopy = (
  summaries: readonly TimingSummary[],
) => Record<string, TimingSummary>;

/** Above this many operations a compiled literal stops paying (V8 makes such objects dictionaries). */
const MAX_COMPILED_KEYS = 256;

/**
 * Compiles a copier that builds the record as one object literal with these keys.
 *
 * Storing 100 summaries into a fresh 100-key object one key at a time costs about
 * 20 ns a store (a megamorphic keyed store); a literal whose keys are known when it
 * is compiled builds the same object about twice as fast, which is what keeps a
 * cache hit of `getStats()` a lookup and a copy. Keys are written as JSON string
 * literals (valid JavaScript for any string), except `__proto__`, written as a
 * computed key so that it stays an own data property as in the original record.
 *
 * @param keys - the operation names, in record order.
 * @returns the copier, or `undefined` when there are too many keys or the runtime
 *   forbids code generation (`--disallow-code-generation-from-strings`).
 */
export function compileSummaryRecordCopy(keys: readonly string[]): SummaryRecordCopy | undefined {
  if (keys.length > MAX_COMPILED_KEYS) return undefined;
  const properties = keys.map(
    (key, i) => `${key === "__proto__" ? '["__proto__"]' : JSON.stringify(key)}: new S(s[${i}])`,
  );
  try {
    const factory = new Function("S", `"use strict"; return (s) => ({${properties.join(", ")}});`);
    return factory(SummaryCopy) as SummaryRecordCopy;
  } catch {
    return undefined;
  }
}

/**
 * One tracker's compiled copier, kept while its operations stay the same (they only
 * change when an operation is first recorded or the tracker is reset).
 */
export class SummaryRecordCopiers {
  #keys: readonly string[] = [];
  #joined = "[]";
  #copy: SummaryRecordCopy | undefined;

  /** The copier for `keys`, compiled on first use and reused while the keys stay the same. */
  copierFor(keys: readonly string[]): SummaryRecordCopy | undefined {
    if (keys !== this.#keys) {
      // JSON keeps lists apart that a plain join would not (names may hold any character).
      const joined = JSON.stringify(keys);
      if (joined !== this.#joined) {
        this.#joined = joined;
        this.#copy = compileSummaryRecordCopy(keys);
      }
      this.#keys = keys;
    }
    return this.#copy;
  }
}

/**
 * The engine of the merged view: merges objects field by field with a table of
 * rules, and the generic rules the tables use. Pure. The tables themselves are in
 * `merge.ts`.
 *
 * Each rule has a scope:
 * - `"lifetime"`: a quantity that only grows in a worker (counters, error counts,
 *   timing counts, lifetime sums, bucket counts). It is merged over the workers that
 *   answered now *and* the last values read from workers that did not answer this
 *   time or have exited ("carried" values), so the merged value does not drop when a
 *   worker dies or misses a scrape: Prometheus would read the drop as a counter
 *   reset and inflate `rate()`.
 * - `"live"`: a description of now (gauges, windows, status, health): merged over the
 *   workers that answered now only.
 *
 * Carried values never add a name: a field, counter or operation appears in the
 * merged view only while a worker that answered now reports it.
 */

import { add, sum } from "../compute/saturating.js";

/** Which workers a field is merged over; see the module comment. */
export type Scope = "lifetime" | "live";

/** What every rule gets besides the values. */
export interface MergeContext {
  /** The worker each value came from, aligned with the values. */
  readonly owners: readonly string[];
  /** How many of the values come from workers that answered now; they come first. */
  readonly fresh: number;
}

/** How one field merges. */
export interface FieldRule<V, C> {
  readonly scope: Scope;
  /** Merges the values (never empty, `undefined` left out), fresh ones first. */
  readonly merge: (values: readonly V[], context: MergeContext & C) => V;
}

/** A rule for every field of `S`: a field without a row is a compile error. */
export type MergeTable<S, C> = {
  readonly [K in keyof S]-?: FieldRule<Exclude<S[K], undefined>, C>;
};

/** A value and the worker it came from. */
export interface Owned<S> {
  /** The worker's key (see `WorkerInfo.worker`). */
  readonly owner: string;
  readonly value: S;
}

/**
 * Merges objects field by field with `table`. A field that no fresh value has is
 * left out (an optional field no worker reports now).
 *
 * @param table - a rule per field.
 * @param fresh - values from workers that answered now.
 * @param carried - last values of workers that did not answer or have exited; only
 *   `"lifetime"` rules read them.
 * @param context - what the table's rules need besides the values.
 * @returns the merged object.
 */
export function mergeFields<S extends object, C>(
  table: MergeTable<S, C>,
  fresh: readonly Owned<S>[],
  carried: readonly Owned<S>[],
  context: C,
): S {
  const merged: Partial<Record<keyof S, unknown>> = {};
  for (const field of Object.keys(table) as (keyof S)[]) {
    const rule = table[field] as FieldRule<unknown, C>;
    const values: unknown[] = [];
    const owners: string[] = [];
    const collect = (items: readonly Owned<S>[]): void => {
      for (const { owner, value } of items) {
        const item = value[field];
        if (item === undefined) continue;
        values.push(item);
        owners.push(owner);
      }
    };
    collect(fresh);
    const freshCount = values.length;
    if (freshCount === 0) continue;
    if (rule.scope === "lifetime") collect(carried);
    merged[field] = rule.merge(values, { ...context, owners, fresh: freshCount });
  }
  return merged as S;
}

/** A rule over the workers that answered now. */
export const live = <V, C>(merge: FieldRule<V, C>["merge"]): FieldRule<V, C> => ({
  scope: "live",
  merge,
});

/** A rule over the workers that answered now and the last values of the others. */
export const lifetime = <V, C>(merge: FieldRule<V, C>["merge"]): FieldRule<V, C> => ({
  scope: "lifetime",
  merge,
});

/** The first value (fields every worker has alike, such as a name). */
export const first = <V>(values: readonly V[]): V => values[0] as V;

/** Sums held within ±`Number.MAX_VALUE`, shared with the registry's totals. */
export { add, sum };

/** The smallest value. */
export function min(values: readonly number[]): number {
  let least = Number.POSITIVE_INFINITY;
  for (const value of values) if (value < least) least = value;
  return least;
}

/** The largest value. */
export function max(values: readonly number[]): number {
  let most = Number.NEGATIVE_INFINITY;
  for (const value of values) if (value > most) most = value;
  return most;
}

/** The latest of epoch-millisecond times; `null` when every value is `null`. */
export function latest(values: readonly (number | null)[]): number | null {
  let newest: number | null = null;
  for (const value of values) {
    if (value !== null && (newest === null || value > newest)) newest = value;
  }
  return newest;
}

/**
 * Arrays of counts (histogram buckets) summed element-wise. The arrays have one
 * length when every worker runs the same bucket bounds, as workers of one program
 * do; a value of another length than the first cannot be aligned and is left out.
 */
export function sumEach(values: readonly (readonly number[])[]): number[] {
  const total = [...(values[0] ?? [])];
  for (const value of values.slice(1)) {
    if (value.length !== total.length) continue;
    for (let i = 0; i < total.length; i++) total[i] = add(total[i] as number, value[i] as number);
  }
  return total;
}

/** The union of keys, in the order they are first met. */
export function keysOf(records: readonly object[]): string[] {
  const keys = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) keys.add(key);
  return [...keys];
}

/**
 * Records of numbers summed key by key, over the keys of the fresh values (carried
 * values add to them but never add a key). `Object.fromEntries` defines each key,
 * so a counter named `__proto__` stays data.
 */
export function sumRecords<R extends object>(values: readonly R[], context: MergeContext): R {
  const entries: [string, number][] = [];
  for (const key of keysOf(values.slice(0, context.fresh))) {
    let total = 0;
    for (const value of values) total = add(total, (value as Record<string, number>)[key] ?? 0);
    entries.push([key, total]);
  }
  return Object.fromEntries(entries) as R;
}

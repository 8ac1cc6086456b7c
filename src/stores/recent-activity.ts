import type { RecentActivity } from "../types.js";

/** Buckets a window is cut into unless it is shorter than this many milliseconds. */
export const RECENT_ACTIVITY_BUCKETS = 60;

/**
 * Calls and failures over a sliding time window, as partial aggregates: the window
 * is a ring of `buckets` time slices, each holding the calls and errors written
 * during it, plus running totals over the ring (resilience4j's time-based sliding
 * window).
 *
 * Cost model: a write adds to the newest bucket, held in a plain field, after one
 * comparison with the time the next bucket starts (the increment path is measured
 * against an empty async function, so it gets no typed-array store). Moving into a
 * later bucket stores the newest bucket in its ring slot, adds it to the totals,
 * and subtracts and zeroes each evicted bucket, so a read is O(1) plus the buckets
 * that expired since the last write or read (at most `buckets`, and at most once
 * per bucket of elapsed time). Nothing is stored per event.
 *
 * Bucket `k` covers `[k × bucketMs, (k + 1) × bucketMs)` on the writer's clock, and
 * a read at `nowMs` covers the `buckets` slices up to and including the one
 * `nowMs` falls in: an event counts for at least `windowMs - bucketMs` and at most
 * `windowMs` after it happened, never longer. The totals are exact for whole-number
 * counts (below 2^53); fractional call counts carry ordinary float rounding.
 *
 * A time earlier than the newest bucket (a clock stepped back) is counted in the
 * newest bucket: the window never moves back.
 */
export class RecentActivityWindow {
  /** The window's length, in milliseconds. */
  readonly windowMs: number;
  readonly #bucketMs: number;
  readonly #calls: Float64Array;
  readonly #errors: Float64Array;
  /** Ring slot of the newest bucket. */
  #head = 0;
  /** Number `k` of the newest bucket; -Infinity before the first write or read. */
  #headBucket = Number.NEGATIVE_INFINITY;
  /** Where the bucket after the newest one starts, in milliseconds: the only hot-path test. */
  #nextBucketAtMs = Number.NEGATIVE_INFINITY;
  /** The newest bucket's counts; its ring slot holds 0 until a later bucket starts. */
  #headCalls = 0;
  #headErrors = 0;
  /** Sums over the ring, the newest bucket excluded. */
  #totalCalls = 0;
  #totalErrors = 0;

  /**
   * @param windowMs - the window's length in milliseconds, finite and > 0 (checked by the caller).
   * @param buckets - slices the window is cut into, an integer >= 1.
   * @defaultValue `buckets` is {@link RECENT_ACTIVITY_BUCKETS}, or `windowMs` rounded up when shorter
   */
  constructor(windowMs: number, buckets = Math.min(RECENT_ACTIVITY_BUCKETS, Math.ceil(windowMs))) {
    this.windowMs = windowMs;
    this.#bucketMs = windowMs / buckets;
    this.#calls = new Float64Array(buckets);
    this.#errors = new Float64Array(buckets);
  }

  /** Bytes held by the two rings. */
  get byteLength(): number {
    return this.#calls.byteLength + this.#errors.byteLength;
  }

  /**
   * Adds `count` calls at `nowMs`.
   * @param nowMs - the writer's clock.
   * @param count - finite and > 0 (checked by the caller).
   */
  addCalls(nowMs: number, count: number): void {
    if (nowMs >= this.#nextBucketAtMs) this.#advance(nowMs);
    this.#headCalls += count;
  }

  /**
   * Adds one failure at `nowMs`.
   * @param nowMs - the writer's clock.
   */
  addError(nowMs: number): void {
    if (nowMs >= this.#nextBucketAtMs) this.#advance(nowMs);
    this.#headErrors += 1;
  }

  /**
   * The calls and failures in the window that ends at `nowMs`. Evicts the buckets
   * that expired, so it is not a pure read, but what it returns depends only on the
   * writes and `nowMs`.
   *
   * @param nowMs - the reader's clock (the same clock the writes were stamped with).
   * @returns plain data; `errorRate` is `errors / max(calls, errors)`, 0..1 and 0
   *   with neither (a tracked failure with no counted call counts as a failed call).
   */
  read(nowMs: number): RecentActivity {
    if (nowMs >= this.#nextBucketAtMs) this.#advance(nowMs);
    // Saturated, never Infinity: a counter may be incremented by values near Number.MAX_VALUE.
    const calls = Math.min(this.#totalCalls + this.#headCalls, Number.MAX_VALUE);
    const errors = this.#totalErrors + this.#headErrors;
    const attempts = Math.max(calls, errors);
    return {
      windowMs: this.windowMs,
      calls,
      errors,
      errorRate: attempts > 0 ? errors / attempts : 0,
    };
  }

  /** Forgets every call and failure. */
  clear(): void {
    this.#calls.fill(0);
    this.#errors.fill(0);
    this.#totalCalls = 0;
    this.#totalErrors = 0;
    this.#headCalls = 0;
    this.#headErrors = 0;
  }

  /** Makes the bucket `nowMs` falls in the newest, evicting the buckets that left the window. */
  #advance(nowMs: number): void {
    const bucket = bucketOf(nowMs, this.#bucketMs);
    const steps = bucket - this.#headBucket;
    const size = this.#calls.length;
    if (steps >= size) {
      this.clear();
      this.#head = 0;
    } else {
      // The newest bucket closes: into its slot and the totals.
      this.#calls[this.#head] = this.#headCalls;
      this.#errors[this.#head] = this.#headErrors;
      this.#totalCalls += this.#headCalls;
      this.#totalErrors += this.#headErrors;
      this.#headCalls = 0;
      this.#headErrors = 0;
      for (let step = 0; step < steps; step++) {
        const slot = (this.#head + 1) % size;
        this.#head = slot;
        this.#totalCalls = evict(this.#totalCalls, this.#calls, slot);
        this.#totalErrors = evict(this.#totalErrors, this.#errors, slot);
      }
    }
    this.#headBucket = bucket;
    this.#nextBucketAtMs = (bucket + 1) * this.#bucketMs;
  }
}

/**
 * The number `k` of the bucket holding `timeMs`: the largest `k` with
 * `k × bucketMs <= timeMs`, computed from the same products the hot path compares
 * with, so the two agree even where `timeMs / bucketMs` rounds across an integer.
 *
 * @param timeMs - a finite time.
 * @param bucketMs - the bucket width, > 0.
 * @returns an integer.
 */
export function bucketOf(timeMs: number, bucketMs: number): number {
  let bucket = Math.floor(timeMs / bucketMs);
  if (bucket * bucketMs > timeMs) bucket--;
  else if ((bucket + 1) * bucketMs <= timeMs) bucket++;
  return bucket;
}

/**
 * Subtracts a ring slot from its total and zeroes it. Whole numbers subtract
 * exactly; a total or slot that is not a safe integer (fractional counts, or sums
 * past 2^53 that absorbed smaller ones, or overflowed to Infinity, where
 * `Infinity - Infinity` would be NaN) is summed again from the ring instead, so
 * rounding never accumulates and the total never goes below 0.
 */
function evict(total: number, ring: Float64Array, slot: number): number {
  const evicted = ring[slot] as number;
  ring[slot] = 0;
  if (evicted === 0) return total;
  if (Number.isSafeInteger(total) && Number.isSafeInteger(evicted)) return total - evicted;
  let sum = 0;
  for (const value of ring) sum += value;
  return sum;
}

import { formatSeconds } from "../compute/seconds.js";
import { describeValue } from "../shared/validate.js";
import { DEFAULT_TIMING_BUCKETS_MS } from "../types.js";

/** Most bucket bounds a histogram accepts: beyond that, every series costs more than it tells. */
export const MAX_TIMING_BUCKETS = 64;

/**
 * Checks histogram bucket bounds: an array of 1 to {@link MAX_TIMING_BUCKETS} finite
 * numbers > 0 in strictly ascending order, each distinct from the previous one in the
 * first 15 significant digits of its value in seconds: the exporters write bounds so
 * ({@link formatSeconds}), and two bounds that agree there would be one `le` label
 * value twice.
 *
 * @param value - the bounds, in milliseconds.
 * @param option - the option's name, for the error message.
 * @returns a frozen copy, so that a caller changing its array later changes nothing.
 * @throws TypeError when it is not an array of numbers; RangeError naming the first
 *   bound that breaks the rule.
 */
export function checkTimingBuckets(value: unknown, option: string): readonly number[] {
  if (!Array.isArray(value)) {
    throw new TypeError(
      `Expected \`${option}\` to be an array of bucket upper bounds in milliseconds, got ${describeValue(value)}`,
    );
  }
  if (value.length === 0 || value.length > MAX_TIMING_BUCKETS) {
    throw new RangeError(
      `Expected \`${option}\` to hold 1 to ${MAX_TIMING_BUCKETS} bounds, got ${value.length}`,
    );
  }
  value.forEach((bound: unknown, i) => {
    if (typeof bound !== "number") {
      throw new TypeError(
        `Expected \`${option}[${i}]\` to be a number, got ${describeValue(bound)}`,
      );
    }
    if (!Number.isFinite(bound) || bound <= 0) {
      throw new RangeError(
        `Expected \`${option}[${i}]\` to be a finite number > 0, got ${describeValue(bound)}`,
      );
    }
    const previous = value[i - 1] as number | undefined;
    if (previous !== undefined && bound <= previous) {
      throw new RangeError(
        `Expected \`${option}\` to be strictly ascending, got ${bound} after ${previous} at index ${i}`,
      );
    }
    // Compared as the exporters write them: in seconds, where dividing by 1000 rounds
    // (and underflows a subnormal bound to 0). Formatting is dear and the registry
    // checks every component's bounds on every collection: only bounds within 1e-13
    // of each other in seconds can share 15 digits.
    if (
      previous !== undefined &&
      bound / 1000 - previous / 1000 <= (bound / 1000) * 1e-13 &&
      formatSeconds(bound) === formatSeconds(previous)
    ) {
      throw new RangeError(
        `Expected \`${option}\` to differ in their first 15 significant digits in seconds, got ${bound} after ${previous} at index ${i}`,
      );
    }
  });
  return Object.freeze([...(value as number[])]);
}

/** The default bounds as the typed array every histogram searches. */
export const DEFAULT_BOUNDS = Float64Array.from(DEFAULT_TIMING_BUCKETS_MS);

/**
 * One operation's lifetime figures: count, sum, extremes and a histogram over fixed
 * bucket bounds. Unlike the timing window they never forget a sample, so they only
 * grow until the tracker is reset: what Prometheus' `rate()` and OpenTelemetry's
 * cumulative sums need.
 *
 * Cost: a record is a binary search over the bounds (about 4 comparisons for the 16
 * default bounds) and a few additions; memory is one array of `bounds + 1` counts
 * (136 bytes with the defaults, counted as 8 a slot). Counts are numbers, exact to
 * 2^53, where 32-bit counters would wrap after 4.3 billion samples.
 */
export class TimingHistogram {
  /** Upper bounds (inclusive, as Prometheus' `le`), shared by every histogram of a store. */
  readonly #bounds: Float64Array;
  /**
   * Per-bucket counts; the last slot counts samples above the largest bound. A plain
   * array rather than a typed one: every snapshot copies it into one, and `slice()`
   * of an array is a single copy of exactly its size. Made at its exact length
   * (`push` would leave room for 40), small integers held unboxed: 92 bytes with
   * the default bounds, where a `Float64Array` takes about 280.
   */
  readonly #counts: number[];
  /** Lifetime sum, Neumaier-compensated: `#sum + #compensation`. */
  #sum = 0;
  #compensation = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;

  /** @param bounds - checked bounds, ascending; kept, not copied. */
  constructor(bounds: Float64Array) {
    this.#bounds = bounds;
    this.#counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** Records one duration (already validated as finite and >= 0). */
  record(durationMs: number): void {
    const bounds = this.#bounds;
    // The first bound >= durationMs: a sample equal to a bound belongs to that bucket.
    let low = 0;
    let high = bounds.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((bounds[mid] as number) < durationMs) low = mid + 1;
      else high = mid;
    }
    (this.#counts[low] as number)++;
    // Neumaier's variant of Kahan summation: a lifetime of small samples added to a
    // large sum loses nothing that a double can hold.
    const sum = this.#sum;
    const total = sum + durationMs;
    this.#compensation += sum >= durationMs ? sum - total + durationMs : durationMs - total + sum;
    this.#sum = total;
    if (durationMs < this.#min) this.#min = durationMs;
    if (durationMs > this.#max) this.#max = durationMs;
  }

  /** Lifetime sum in milliseconds; never more than `Number.MAX_VALUE`. */
  get sumMs(): number {
    const sum = this.#sum + this.#compensation;
    return Number.isFinite(sum) ? sum : Number.MAX_VALUE;
  }

  /** Smallest duration ever recorded; 0 when none. */
  get minMs(): number {
    return this.#min === Number.POSITIVE_INFINITY ? 0 : this.#min;
  }

  /** Largest duration ever recorded; 0 when none. */
  get maxMs(): number {
    return this.#max;
  }

  /** A copy of the per-bucket counts (not cumulative), `bounds + 1` of them. */
  bucketCounts(): number[] {
    return this.#counts.slice();
  }

  /** Bytes held by the counts, at 8 a count. */
  get byteLength(): number {
    return this.#counts.length * 8;
  }
}

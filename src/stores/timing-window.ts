import { percentileIndexed } from "../compute/percentile.js";
import type { TimingSummary } from "../types.js";

const INITIAL_CAPACITY = 16;

/**
 * The last `window` timings of one operation, with exact percentiles.
 *
 * Samples live in a `Float64Array` ring, so recording is O(1) and never copies the
 * window (the original trimmed a list by copying 1000 elements on every record).
 * Beside the ring, `order` holds the ring's slot indices sorted by value, two bytes
 * a slot for windows up to 65536: 10 bytes a sample in all, where a sorted copy of
 * the values would take 16.
 *
 * `order` is brought up to date lazily, when a summary is asked for: the k slots
 * written since the last summary are taken out of `order` (their old values are
 * gone, but their slot numbers are known) and put back by binary search on their
 * new values. That is work proportional to what changed, not a sort of the window;
 * when most of the window changed, one sort of `order` is cheaper and is used.
 */
export class TimingWindow {
  readonly #window: number;
  #values: Float64Array;
  #order: Uint16Array | Uint32Array;
  /** Lifetime count of samples. */
  #count = 0;
  /** Lifetime count when `order` was last brought up to date. */
  #synced = 0;
  /** Ring slot the next sample goes to. */
  #next = 0;
  /** Window sum, Neumaier-compensated: `#sum + #compensation`. */
  #sum = 0;
  #compensation = 0;
  /** Lifetime count when the sum was last recomputed from the ring. */
  #summedAt = 0;

  /** @param window - how many of the latest samples to keep (>= 1). */
  constructor(window: number) {
    this.#window = window;
    const capacity = Math.min(window, INITIAL_CAPACITY);
    this.#values = new Float64Array(capacity);
    this.#order = window <= 65536 ? new Uint16Array(capacity) : new Uint32Array(capacity);
  }

  /** Lifetime number of samples recorded. */
  get count(): number {
    return this.#count;
  }

  /** Number of samples in the window. */
  get length(): number {
    return Math.min(this.#count, this.#window);
  }

  /** Bytes held by the sample and order buffers. */
  get byteLength(): number {
    return this.#values.byteLength + this.#order.byteLength;
  }

  /** Records one sample (already validated as finite and >= 0). O(1), amortised over growth. */
  record(durationMs: number): void {
    const slot = this.#next;
    let values = this.#values;
    if (this.#count >= this.#window) {
      this.#add(-(values[slot] as number));
    } else if (slot === values.length) {
      values = this.#grow();
    }
    values[slot] = durationMs;
    this.#add(durationMs);
    this.#count++;
    this.#next = slot + 1 === this.#window ? 0 : slot + 1;
  }

  /** The mean over the window, 0 when empty. */
  average(): number {
    const length = this.length;
    if (length === 0) return 0;
    this.#refreshSum();
    return (this.#sum + this.#compensation) / length;
  }

  /** Count, mean, extremes and exact percentiles; zeros when nothing was recorded. */
  summary(): TimingSummary {
    const length = this.length;
    if (length === 0) {
      return { count: 0, avgMs: 0, minMs: 0, maxMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0 };
    }
    this.#sync();
    const values = this.#values;
    const order = this.#order;
    const minMs = values[order[0] as number] as number;
    const maxMs = values[order[length - 1] as number] as number;
    // Compensated summation keeps the mean within rounding of the exact one; the
    // clamp keeps that last rounding from putting it outside [min, max].
    const avgMs = Math.min(maxMs, Math.max(minMs, this.average()));
    return {
      count: this.#count,
      avgMs,
      minMs,
      maxMs,
      p50Ms: percentileIndexed(values, order, length, 50),
      p90Ms: percentileIndexed(values, order, length, 90),
      p95Ms: percentileIndexed(values, order, length, 95),
      p99Ms: percentileIndexed(values, order, length, 99),
    };
  }

  /**
   * A copy of the window's samples in ascending order, for merging windows exactly
   * (component-stats/cluster). Costs the same sync as {@link TimingWindow.summary}
   * plus one copy of the window.
   */
  sortedSamples(): Float64Array {
    const length = this.length;
    const sorted = new Float64Array(length);
    if (length === 0) return sorted;
    this.#sync();
    const values = this.#values;
    const order = this.#order;
    for (let i = 0; i < length; i++) sorted[i] = values[order[i] as number] as number;
    return sorted;
  }

  #add(value: number): void {
    // Neumaier's variant of Kahan summation: also exact when |value| > |sum|.
    const sum = this.#sum;
    const total = sum + value;
    this.#compensation +=
      Math.abs(sum) >= Math.abs(value) ? sum - total + value : value - total + sum;
    this.#sum = total;
  }

  /** Once the whole window has turned over, recompute the sum so rounding never accumulates. */
  #refreshSum(): void {
    if (this.#count - this.#summedAt < this.#window) return;
    this.#sum = 0;
    this.#compensation = 0;
    const values = this.#values;
    for (let i = 0; i < this.length; i++) this.#add(values[i] as number);
    this.#summedAt = this.#count;
  }

  #grow(): Float64Array {
    const capacity = Math.min(this.#window, this.#values.length * 2);
    const values = new Float64Array(capacity);
    values.set(this.#values);
    const order =
      this.#order instanceof Uint16Array ? new Uint16Array(capacity) : new Uint32Array(capacity);
    order.set(this.#order);
    this.#values = values;
    this.#order = order;
    return values;
  }

  #sync(): void {
    const changed = this.#count - this.#synced;
    if (changed === 0) return;
    const length = this.length;
    const values = this.#values;
    const order = this.#order;
    // Past about length/8 changes, k removals and insertions (each a memmove of up
    // to `length` slots) cost more than one comparator sort of `order`.
    if (changed * 8 > length) {
      for (let i = 0; i < length; i++) order[i] = i;
      order.subarray(0, length).sort((a, b) => (values[a] as number) - (values[b] as number));
      this.#synced = this.#count;
      return;
    }
    const window = this.#window;
    const sortedBefore = Math.min(this.#synced, window);
    const firstSlot = this.#synced % window;
    // Take the changed slots out first: until all are out, `order` is not sorted by
    // the ring's current values and a binary search on it would be wrong.
    let sorted = sortedBefore;
    for (let i = 0; i < changed; i++) {
      const slot = (firstSlot + i) % window;
      if (slot >= sortedBefore) continue; // filled for the first time: never in `order`
      // The first match is the live one: stale copies only lie past `sorted`.
      const at = order.indexOf(slot);
      order.copyWithin(at, at + 1, sorted);
      sorted--;
    }
    for (let i = 0; i < changed; i++) {
      const slot = (firstSlot + i) % window;
      const value = values[slot] as number;
      let low = 0;
      let high = sorted;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((values[order[mid] as number] as number) <= value) low = mid + 1;
        else high = mid;
      }
      order.copyWithin(low + 1, low, sorted);
      order[low] = slot;
      sorted++;
    }
    this.#synced = this.#count;
  }
}

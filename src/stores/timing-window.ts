import { percentileIndexed } from "../compute/percentile.js";
import type { TimingSummary } from "../types.js";

const INITIAL_CAPACITY = 16;

/** The lifetime figures a summary may carry beside the window's (a {@link TimingHistogram} has them). */
export interface LifetimeFigures {
  readonly sumMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  bucketCounts(): number[];
}

/** The figures of a summary as percentiles: min, max, p50, p90, p95 and p99. */
const PERCENTS = [0, 100, 50, 90, 95, 99] as const;

/** The figures of an empty window. */
const NO_FIGURES: readonly number[] = PERCENTS.map(() => 0);

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
  /** The last summary's min, max, p50, p90, p95 and p99, reused where `order` did not change. */
  // A plain array of doubles: 72 bytes, where a Float64Array of six takes about 124.
  readonly #figures: number[] = PERCENTS.map(() => 0);
  /** The window length `#figures` were read at; 0 when they are not to be reused. */
  #figuresLength = 0;
  /**
   * Ranks of `order` (inclusive) that may hold another slot than when `#figures`
   * were read; empty when `#changedLow > #changedHigh`.
   */
  #changedLow = 0;
  #changedHigh = -1;

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

  /**
   * Count, mean, extremes and exact percentiles (zeros when nothing was recorded),
   * with the lifetime figures beside them: one object, made whole at once.
   */
  summary(lifetime: LifetimeFigures): TimingSummary {
    const length = this.length;
    let figures: readonly number[] = NO_FIGURES;
    let avgMs = 0;
    if (length > 0) {
      this.#sync();
      figures = this.#readFigures(length);
      // Compensated summation keeps the mean within rounding of the exact one; the
      // clamp keeps that last rounding from putting it outside [min, max].
      avgMs = Math.min(figures[1] as number, Math.max(figures[0] as number, this.average()));
    }
    return {
      count: this.#count,
      avgMs,
      minMs: figures[0] as number,
      maxMs: figures[1] as number,
      p50Ms: figures[2] as number,
      p90Ms: figures[3] as number,
      p95Ms: figures[4] as number,
      p99Ms: figures[5] as number,
      sumMs: lifetime.sumMs,
      lifetimeMinMs: lifetime.minMs,
      lifetimeMaxMs: lifetime.maxMs,
      bucketCounts: lifetime.bucketCounts(),
    };
  }

  /**
   * Min, max and the percentiles, each read again only when a rank it reads may
   * have changed since the last summary.
   *
   * Why: reading a rank costs a cache miss (`values[order[rank]]` lands anywhere in
   * the ring), and a scrape of thousands of windows is bound by those misses. One
   * new sample moves only the ranks between where its predecessor left and where
   * it went in, so p99, min and max are nearly always reused, and p50 half the time.
   */
  #readFigures(length: number): number[] {
    const figures = this.#figures;
    const values = this.#values;
    const order = this.#order;
    const all = this.#figuresLength !== length;
    const low = this.#changedLow;
    const high = this.#changedHigh;
    for (let i = 0; i < PERCENTS.length; i++) {
      const percent = PERCENTS[i] as number;
      // The ranks percentileIndexed reads: `rank`, and `rank + 1` unless it falls on one.
      const scaled = (length - 1) * percent;
      const rank = Math.floor(scaled / 100);
      const last = scaled === rank * 100 ? rank : rank + 1;
      if (all || (rank <= high && last >= low)) {
        figures[i] = percentileIndexed(values, order, length, percent);
      }
    }
    this.#figuresLength = length;
    this.#changedLow = length;
    this.#changedHigh = -1;
    return figures;
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
      this.#figuresLength = 0;
      return;
    }
    const window = this.#window;
    const sortedBefore = Math.min(this.#synced, window);
    const firstSlot = this.#synced % window;
    // Take the changed slots out first: until all are out, `order` is not sorted by
    // the ring's current values and a binary search on it would be wrong.
    let sorted = sortedBefore;
    // The ranks touched: below the lowest, nothing moved; above the highest, each
    // removal moved a slot down one place and each insertion back up one, so nothing
    // moved past the highest + `changed` either (the window is full here, or its
    // length changed and every figure is read again anyway).
    let lowest = length;
    let highest = -1;
    for (let i = 0; i < changed; i++) {
      const slot = (firstSlot + i) % window;
      if (slot >= sortedBefore) continue; // filled for the first time: never in `order`
      // The first match is the live one: stale copies only lie past `sorted`.
      const at = order.indexOf(slot);
      order.copyWithin(at, at + 1, sorted);
      sorted--;
      if (at < lowest) lowest = at;
      if (at > highest) highest = at;
    }
    for (let i = 0; i < changed; i++) {
      const slot = (firstSlot + i) % window;
      const value = values[slot] as number;
      const low = insertionRank(values, order, sorted, value);
      order.copyWithin(low + 1, low, sorted);
      order[low] = slot;
      sorted++;
      if (low < lowest) lowest = low;
      if (low > highest) highest = low;
    }
    if (lowest < this.#changedLow) this.#changedLow = lowest;
    if (highest + changed > this.#changedHigh) this.#changedHigh = highest + changed;
    this.#synced = this.#count;
  }
}

/**
 * How many of the first `length` ranks hold a value <= `value`: where a new sample
 * goes, after its equals. A binary search without a branch on the comparison (it
 * picks the next base by a conditional expression), so that a misprediction does
 * not stall each of its ten steps over a 1000-sample window; on a window out of
 * cache the steps wait on memory anyway, so the saving is a third at most.
 */
function insertionRank(
  values: Float64Array,
  order: Uint16Array | Uint32Array,
  length: number,
  value: number,
): number {
  if (length === 0) return 0;
  let base = 0;
  let size = length;
  while (size > 1) {
    const half = size >>> 1;
    base = (values[order[base + half] as number] as number) <= value ? base + half : base;
    size -= half;
  }
  return (values[order[base] as number] as number) <= value ? base + 1 : base;
}

/**
 * One operation's latency history on the page: a ring of (time, one value per
 * series) that keeps the newest `capacity` polls. Typed arrays, so 1000 charts of
 * five minutes at one poll a second stay a few megabytes.
 */

import type { TimingSummary } from "../../types.js";
import { finiteOrZero } from "./format.js";
import { SERIES } from "./series.js";

/**
 * How many polls a history keeps: enough to span `historyMs`, plus two so the
 * window's left edge is always covered.
 *
 * @param historyMs - the span the charts show.
 * @param pollMs - the poll interval.
 * @returns the capacity, at least 2.
 */
export function historyCapacity(historyMs: number, pollMs: number): number {
  return Math.max(0, Math.ceil(historyMs / pollMs)) + 2;
}

/** A bounded ring of latency samples, oldest first. */
export class LatencyHistory {
  /** How many points it holds at most. */
  readonly capacity: number;
  readonly #times: Float64Array;
  // Float32 is enough for a chart and halves the memory of 1000 charts.
  readonly #values: Float32Array;
  #start = 0;
  #size = 0;

  /**
   * @param capacity - points kept; the oldest is overwritten once full.
   * @throws RangeError when `capacity` is not a positive integer.
   */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`Expected \`capacity\` to be an integer >= 1, got ${String(capacity)}`);
    }
    this.capacity = capacity;
    this.#times = new Float64Array(capacity);
    this.#values = new Float32Array(capacity * SERIES.length);
  }

  /** Points held. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends a point; once full, the oldest point is dropped.
   *
   * @param timeMs - when it was polled, epoch milliseconds.
   * @param summary - the operation's summary; missing or non-finite values count as 0.
   */
  push(timeMs: number, summary: Partial<TimingSummary>): void {
    let slot: number;
    if (this.#size < this.capacity) {
      slot = (this.#start + this.#size) % this.capacity;
      this.#size++;
    } else {
      slot = this.#start;
      this.#start = (this.#start + 1) % this.capacity;
    }
    this.#times[slot] = timeMs;
    for (let k = 0; k < SERIES.length; k++) {
      this.#values[slot * SERIES.length + k] = finiteOrZero(
        summary[(SERIES[k] as { key: keyof TimingSummary }).key],
      );
    }
  }

  /**
   * When a point was polled.
   *
   * @param index - 0 for the oldest point held, `size - 1` for the newest.
   * @returns epoch milliseconds.
   */
  timeAt(index: number): number {
    return this.#times[this.#slot(index)] as number;
  }

  /**
   * One series' value at a point.
   *
   * @param index - 0 for the oldest point held.
   * @param series - the index into {@link SERIES}.
   * @returns milliseconds (Float32 precision).
   */
  valueAt(index: number, series: number): number {
    return this.#values[this.#slot(index) * SERIES.length + series] as number;
  }

  #slot(index: number): number {
    if (!Number.isInteger(index) || index < 0 || index >= this.#size) {
      throw new RangeError(
        `Expected \`index\` to be an integer from 0 to ${this.#size - 1}, got ${String(index)}`,
      );
    }
    return (this.#start + index) % this.capacity;
  }
}

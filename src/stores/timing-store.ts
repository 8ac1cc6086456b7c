import { checkDuration, checkInteger, checkName } from "../shared/validate.js";
import type { TimingSummary } from "../types.js";
import { NameLimit } from "./name-limit.js";
import { TimingWindow } from "./timing-window.js";

/** Options of {@link TimingStore}. */
export interface TimingStoreOptions {
  /**
   * Samples kept per operation for averages, extremes and percentiles.
   * @defaultValue 1000
   */
  window?: number;
  /**
   * Distinct operation names kept before new ones fold into `"__overflow__"`.
   * @defaultValue 10000
   */
  maxOperations?: number;
}

/** Largest accepted `window`: 2^24 samples (192 MiB per operation). */
export const MAX_TIMING_WINDOW = 2 ** 24;

/**
 * The timing store: per operation, a lifetime count and a bounded window of the
 * latest durations with exact percentiles. Usable on its own; a tracker holds one.
 *
 * @example
 * ```ts
 * const timings = new TimingStore({ window: 500 });
 * timings.recordTiming("fill", 12.5);
 * timings.getAllMetrics().fill?.p99Ms;
 * ```
 */
export class TimingStore {
  readonly #window: number;
  readonly #operations = new Map<string, TimingWindow>();
  readonly #limit: NameLimit;

  /**
   * @param options - window size and name cap.
   * @throws TypeError or RangeError naming the option when an option is not a positive integer.
   */
  constructor(options: TimingStoreOptions = {}) {
    const { window = 1000, maxOperations = 10_000 } = options;
    checkInteger(window, "window", 1, MAX_TIMING_WINDOW);
    checkInteger(maxOperations, "maxOperations", 1);
    this.#window = window;
    this.#limit = new NameLimit(maxOperations);
  }

  /**
   * Records one duration of `operation`.
   * @param operation - a non-empty name.
   * @param durationMs - finite and >= 0.
   * @throws TypeError or RangeError naming the argument; nothing is recorded then.
   */
  recordTiming(operation: string, durationMs: number): void {
    checkName(operation, "operation");
    checkDuration(durationMs, "durationMs");
    let timings = this.#operations.get(operation);
    if (timings === undefined) {
      const key = this.#limit.admit(operation, this.#operations.size);
      timings = this.#operations.get(key);
      if (timings === undefined) {
        timings = new TimingWindow(this.#window);
        this.#operations.set(key, timings);
      }
    }
    timings.record(durationMs);
  }

  /** The mean duration of `operation` over the window in milliseconds; 0 when none. */
  getAvgTiming(operation: string): number {
    return this.#operations.get(operation)?.average() ?? 0;
  }

  /** The lifetime number of timings of `operation`; 0 when none. */
  getOperationCount(operation: string): number {
    return this.#operations.get(operation)?.count ?? 0;
  }

  /** A summary per operation, in the order operations were first recorded. */
  getAllMetrics(): Record<string, TimingSummary> {
    // fromEntries defines properties, so an operation named "__proto__" stays data.
    const entries: [string, TimingSummary][] = [];
    for (const [operation, timings] of this.#operations)
      entries.push([operation, timings.summary()]);
    return Object.fromEntries(entries);
  }

  /** Each operation's window samples, ascending, as copies; in the order of {@link TimingStore.getAllMetrics}. */
  sortedSamples(): Map<string, Float64Array> {
    const samples = new Map<string, Float64Array>();
    for (const [operation, timings] of this.#operations) {
      samples.set(operation, timings.sortedSamples());
    }
    return samples;
  }

  /** Number of operations held, the overflow entry included. */
  get size(): number {
    return this.#operations.size;
  }

  /** Distinct operation names folded into the overflow entry. */
  get foldedNames(): number {
    return this.#limit.foldedNames;
  }

  /** Bytes held by every operation's sample buffers. */
  get byteLength(): number {
    let bytes = 0;
    for (const timings of this.#operations.values()) bytes += timings.byteLength;
    return bytes;
  }

  /** Forgets every operation. */
  clear(): void {
    this.#operations.clear();
    this.#limit.clear();
  }
}

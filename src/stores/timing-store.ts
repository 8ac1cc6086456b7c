import { checkDuration, checkInteger, checkName } from "../shared/validate.js";
import type { DEFAULT_TIMING_BUCKETS_MS, TimingSummary } from "../types.js";
import { NameLimit } from "./name-limit.js";
import { checkTimingBuckets, DEFAULT_BOUNDS, TimingHistogram } from "./timing-histogram.js";
import { TimingWindow } from "./timing-window.js";

/** Options of {@link TimingStore}. */
export interface TimingStoreOptions {
  /**
   * Samples kept per operation for averages, extremes and percentiles.
   * @defaultValue 1000
   */
  window?: number | undefined;
  /**
   * Distinct operation names kept before new ones fold into `"__overflow__"`.
   * @defaultValue 10000
   */
  maxOperations?: number | undefined;
  /**
   * Upper bounds of the lifetime histogram's buckets, in milliseconds: 1 to 64 finite
   * numbers > 0, strictly ascending (a bucket above the largest follows implicitly).
   * @defaultValue {@link DEFAULT_TIMING_BUCKETS_MS}
   */
  bucketsMs?: readonly number[] | undefined;
}

/** What the store keeps per operation. */
interface OperationTimings {
  /** The latest samples, for percentiles. */
  readonly window: TimingWindow;
  /** Lifetime sum, extremes and histogram. */
  readonly lifetime: TimingHistogram;
}

/** Largest accepted `window`: 2^24 samples (192 MiB per operation). */
export const MAX_TIMING_WINDOW = 2 ** 24;

/**
 * The timing store: per operation, a bounded window of the latest durations with
 * exact percentiles, and lifetime figures (count, sum, extremes, a histogram over
 * fixed bounds) that only grow until {@link TimingStore.clear}. Usable on its own; a
 * tracker holds one.
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
  readonly #operations = new Map<string, OperationTimings>();
  readonly #limit: NameLimit;
  readonly #bounds: Float64Array;
  readonly #bucketsMs: readonly number[];
  /** Operations whose window may still grow; the bytes of all others are in `#settledBytes`. */
  readonly #filling = new Set<OperationTimings>();
  #settledBytes = 0;

  /**
   * @param options - window size, name cap and histogram bounds.
   * @throws TypeError or RangeError naming the option that is not valid.
   */
  constructor(options: TimingStoreOptions = {}) {
    const { window = 1000, maxOperations = 10_000, bucketsMs } = options;
    checkInteger(window, "window", 1, MAX_TIMING_WINDOW);
    checkInteger(maxOperations, "maxOperations", 1);
    this.#window = window;
    this.#limit = new NameLimit(maxOperations);
    if (bucketsMs === undefined) {
      this.#bounds = DEFAULT_BOUNDS;
      this.#bucketsMs = Array.from(DEFAULT_BOUNDS);
    } else {
      this.#bucketsMs = checkTimingBuckets(bucketsMs, "bucketsMs");
      this.#bounds = Float64Array.from(this.#bucketsMs);
    }
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
        timings = {
          window: new TimingWindow(this.#window),
          lifetime: new TimingHistogram(this.#bounds),
        };
        this.#operations.set(key, timings);
        this.#filling.add(timings);
      }
    }
    timings.window.record(durationMs);
    timings.lifetime.record(durationMs);
  }

  /** The mean duration of `operation` over the window in milliseconds; 0 when none. */
  getAvgTiming(operation: string): number {
    return this.#operations.get(operation)?.window.average() ?? 0;
  }

  /** The lifetime number of timings of `operation`; 0 when none. */
  getOperationCount(operation: string): number {
    return this.#operations.get(operation)?.window.count ?? 0;
  }

  /** The histogram's bucket upper bounds in milliseconds (a fresh array). */
  get bucketsMs(): number[] {
    return [...this.#bucketsMs];
  }

  /**
   * A summary per operation, in the order operations were first recorded: the
   * window's figures and the lifetime sum, extremes and bucket counts.
   */
  getAllMetrics(): Record<string, TimingSummary> {
    // fromEntries defines properties, so an operation named "__proto__" stays data;
    // forEach, not for…of: the iterator makes two objects per operation.
    const entries: [string, TimingSummary][] = [];
    this.#operations.forEach(({ window, lifetime }, operation) => {
      entries.push([operation, window.summary(lifetime)]);
    });
    return Object.fromEntries(entries);
  }

  /** Each operation's window samples, ascending, as copies; in the order of {@link TimingStore.getAllMetrics}. */
  sortedSamples(): Map<string, Float64Array> {
    const samples = new Map<string, Float64Array>();
    for (const [operation, timings] of this.#operations) {
      samples.set(operation, timings.window.sortedSamples());
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
    // A full window never grows again: its bytes are added up once, so a snapshot
    // need not visit every operation (each visit a likely cache miss).
    let bytes = 0;
    for (const timings of this.#filling) {
      const { window, lifetime } = timings;
      if (window.length === this.#window) {
        this.#settledBytes += window.byteLength + lifetime.byteLength;
        this.#filling.delete(timings);
      } else {
        bytes += window.byteLength + lifetime.byteLength;
      }
    }
    return this.#settledBytes + bytes;
  }

  /** Forgets every operation. */
  clear(): void {
    this.#operations.clear();
    this.#filling.clear();
    this.#settledBytes = 0;
    this.#limit.clear();
  }
}

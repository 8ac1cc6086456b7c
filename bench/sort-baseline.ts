import type { TimingSummary } from "../src/index.js";

/**
 * The *sort* baseline: plain 1000-slot rings, and a snapshot that copies and sorts
 * every window and reads the statistics from the sorted copy. This is the design
 * that work proportional to what changed has to beat.
 */
export class SortedSnapshotRings {
  readonly #window: number;
  readonly #rings = new Map<string, { values: Float64Array; count: number }>();

  constructor(window: number) {
    this.#window = window;
  }

  record(operation: string, durationMs: number): void {
    let ring = this.#rings.get(operation);
    if (ring === undefined) {
      ring = { values: new Float64Array(this.#window), count: 0 };
      this.#rings.set(operation, ring);
    }
    ring.values[ring.count % this.#window] = durationMs;
    ring.count++;
  }

  /** A summary per operation; the same statistics as the tracker's, from a sorted copy. */
  snapshot(): Record<string, TimingSummary> {
    const result: Record<string, TimingSummary> = {};
    for (const [operation, ring] of this.#rings) {
      const length = Math.min(ring.count, this.#window);
      // Typed-array sort without a comparator is V8's numeric sort, the fastest there is.
      const sorted = ring.values.slice(0, length).sort();
      let sum = 0;
      for (let i = 0; i < length; i++) sum += sorted[i] as number;
      result[operation] = {
        count: ring.count,
        avgMs: sum / length,
        minMs: sorted[0] as number,
        maxMs: sorted[length - 1] as number,
        p50Ms: percentile(sorted, 50),
        p90Ms: percentile(sorted, 90),
        p95Ms: percentile(sorted, 95),
        p99Ms: percentile(sorted, 99),
      };
    }
    return result;
  }
}

/** Linear interpolation between closest ranks, as the library defines it (numpy's default). */
export function percentile(sorted: Float64Array, percent: number): number {
  const scaled = (sorted.length - 1) * percent;
  const rank = Math.floor(scaled / 100);
  const remainder = scaled - rank * 100;
  const lower = sorted[rank] as number;
  if (remainder === 0) return lower;
  return lower + (((sorted[rank + 1] as number) - lower) * remainder) / 100;
}

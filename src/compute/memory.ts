/** The sizes a memory estimate is computed from. */
export interface MemoryFootprint {
  /** Counters held. */
  counters: number;
  /** Gauges held. */
  gauges: number;
  /** Error records held. */
  errors: number;
  /** Timed operations held. */
  operations: number;
  /** Bytes of the timing sample and order buffers. */
  timingBytes: number;
}

/** Approximate bytes of one Map entry with a short string key and a number (measured on V8). */
const BYTES_PER_ENTRY = 120;
/** Approximate bytes of one error record: a small object plus its bounded details. */
const BYTES_PER_ERROR = 1024;
/** Approximate bytes of one operation's bookkeeping besides its buffers. */
const BYTES_PER_OPERATION = 400;
/** The tracker's fixed overhead: its stores, mutex and cache. */
const BASE_BYTES = 8 * 1024;

/**
 * Estimates the memory a tracker's data takes, in MB (2^20 bytes). Pure: the
 * buffers are counted exactly, the rest from per-entry sizes measured on V8.
 *
 * @param footprint - the sizes of the tracker's stores.
 * @returns megabytes, rounded to 4 decimals.
 */
export function estimateMemoryMb(footprint: MemoryFootprint): number {
  const bytes =
    BASE_BYTES +
    (footprint.counters + footprint.gauges) * BYTES_PER_ENTRY +
    footprint.errors * BYTES_PER_ERROR +
    footprint.operations * BYTES_PER_OPERATION +
    footprint.timingBytes;
  return Math.round((bytes / 2 ** 20) * 10_000) / 10_000;
}

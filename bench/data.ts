/** Deterministic inputs shared by the workloads, so every case records the same samples. */

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` durations in milliseconds, log-normal around 5 ms with a long tail (the
 * shape of real request timings), rounded to microseconds so that ties occur as
 * they do with real clocks.
 */
export function durations(count: number, seed = 1): Float64Array {
  const next = random(seed);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const u = 1 - next();
    const v = next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    values[i] = Math.round(5 * Math.exp(0.8 * normal) * 1000) / 1000;
  }
  return values;
}

const POOL = durations(65_536);

/** An endless, repeatable stream of durations; two streams with the same start agree. */
export class SampleStream {
  #index = 0;

  /** The next duration in milliseconds. */
  next(): number {
    const value = POOL[this.#index] as number;
    this.#index = (this.#index + 1) & (POOL.length - 1);
    return value;
  }
}

/** `count` names `${prefix}0`, `${prefix}1`, … */
export function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
}

import { copyString } from "../shared/copy-string.js";

/**
 * Counts distinct strings in bounded memory: exactly up to {@link EXACT_LIMIT}
 * strings, then with a HyperLogLog sketch of 4096 one-byte registers (standard
 * error about 1.6%). The tracker uses it to report how many distinct names were
 * folded into the overflow entry without keeping every name it refused.
 */
export const EXACT_LIMIT = 1024;

const REGISTER_BITS = 12;
const REGISTERS = 1 << REGISTER_BITS;
const ALPHA = 0.7213 / (1 + 1.079 / REGISTERS);

/** A bounded distinct counter; memory at most 4 KiB past the exact phase. */
export class DistinctCounter {
  #exact: Set<string> | undefined = new Set();
  #registers: Uint8Array | undefined;

  /** Records `value`. */
  add(value: string): void {
    const exact = this.#exact;
    if (exact !== undefined) {
      if (exact.has(value)) return;
      if (exact.size < EXACT_LIMIT) {
        // A copy: the value may be a slice of a much larger string (see copyString).
        exact.add(copyString(value));
        return;
      }
      this.#registers = new Uint8Array(REGISTERS);
      for (const seen of exact) this.#observe(seen);
      this.#exact = undefined;
    }
    this.#observe(value);
  }

  /** Whether {@link DistinctCounter.count} is exact (true until more than 1024 distinct values). */
  get exact(): boolean {
    return this.#exact !== undefined;
  }

  /** The number of distinct values added: exact, or an estimate past {@link EXACT_LIMIT}. */
  count(): number {
    if (this.#exact !== undefined) return this.#exact.size;
    const registers = this.#registers as Uint8Array;
    let harmonic = 0;
    let zeros = 0;
    for (let i = 0; i < REGISTERS; i++) {
      const rank = registers[i] as number;
      harmonic += 2 ** -rank;
      if (rank === 0) zeros++;
    }
    let estimate = (ALPHA * REGISTERS * REGISTERS) / harmonic;
    if (estimate <= 2.5 * REGISTERS && zeros > 0) {
      estimate = REGISTERS * Math.log(REGISTERS / zeros);
    }
    // The exact phase saw EXACT_LIMIT distinct values; the estimate never reports fewer.
    return Math.max(EXACT_LIMIT + 1, Math.round(estimate));
  }

  /** Forgets everything added. */
  clear(): void {
    this.#exact = new Set();
    this.#registers = undefined;
  }

  #observe(value: string): void {
    const hash = hashString(value);
    const index = hash >>> (32 - REGISTER_BITS);
    const rest = (hash << REGISTER_BITS) | (1 << (REGISTER_BITS - 1));
    const rank = Math.clz32(rest) + 1;
    const registers = this.#registers as Uint8Array;
    if (rank > (registers[index] as number)) registers[index] = rank;
  }
}

/** FNV-1a over UTF-16 code units, finished with murmur3's fmix32 for avalanche. */
export function hashString(value: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

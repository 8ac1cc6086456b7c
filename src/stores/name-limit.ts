import { copyString } from "../shared/copy-string.js";
import { DistinctCounter } from "./distinct-count.js";

/**
 * The entry that receives values for new names once a store holds its maximum
 * number of distinct names, so totals stay right and nothing is silently dropped.
 */
export const OVERFLOW_NAME = "__overflow__";

/**
 * Caps the distinct names of one kind (counters, gauges or timed operations).
 * A store asks {@link NameLimit.admit} before it creates an entry for a new name.
 */
export class NameLimit {
  readonly #maxNames: number;
  readonly #folded = new DistinctCounter();

  /** @param maxNames - distinct names kept before new ones fold into {@link OVERFLOW_NAME}. */
  constructor(maxNames: number) {
    this.#maxNames = maxNames;
  }

  /**
   * The key under which a value for the new name `name` is stored: (a copy of) `name`
   * while fewer than `maxNames` names are held, {@link OVERFLOW_NAME} after.
   *
   * The copy (see {@link copyString}) keeps a name sliced out of a large string from
   * pinning that string for the store's lifetime; it is made once per new name.
   *
   * @param name - a name the store does not hold yet.
   * @param size - how many entries the store holds now.
   */
  admit(name: string, size: number): string {
    if (size < this.#maxNames) return copyString(name);
    this.#folded.add(name);
    return OVERFLOW_NAME;
  }

  /** Whether a store holding `size` entries folds the next new name into {@link OVERFLOW_NAME}. */
  isFull(size: number): boolean {
    return size >= this.#maxNames;
  }

  /** Distinct names folded into the overflow entry since the last clear. */
  get foldedNames(): number {
    return this.#folded.count();
  }

  /** Forgets the folded names. */
  clear(): void {
    this.#folded.clear();
  }
}

import { NameLimit } from "./name-limit.js";

/** Named gauges: the last finite value written wins; capped in distinct names. */
export class GaugeStore {
  readonly #values = new Map<string, number>();
  readonly #limit: NameLimit;

  /** @param maxNames - distinct gauge names before new ones fold into the overflow entry. */
  constructor(maxNames: number) {
    this.#limit = new NameLimit(maxNames);
  }

  /** Sets the gauge `name` to `value` (already validated). */
  set(name: string, value: number): void {
    const key = this.#values.has(name) ? name : this.#limit.admit(name, this.#values.size);
    this.#values.set(key, value);
  }

  /** The value of a gauge, `undefined` when absent. */
  get(name: string): number | undefined {
    return this.#values.get(name);
  }

  /** Number of distinct gauges held, the overflow entry included. */
  get size(): number {
    return this.#values.size;
  }

  /** Distinct names folded into the overflow entry. */
  get foldedNames(): number {
    return this.#limit.foldedNames;
  }

  /** A plain-object copy of every gauge. */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.#values);
  }

  /** Removes every gauge and forgets folded names. */
  clear(): void {
    this.#values.clear();
    this.#limit.clear();
  }
}

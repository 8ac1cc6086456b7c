import { NameLimit } from "./name-limit.js";

/**
 * Numbers by name, capped in distinct names: what counters and gauges share. The
 * subclasses decide how a write combines with the value already held.
 */
export abstract class NamedNumbers {
  /** The values, the overflow entry included. */
  protected readonly values = new Map<string, number>();
  /** The cap on distinct names. */
  protected readonly limit: NameLimit;

  /** @param maxNames - distinct names before new ones fold into the overflow entry. */
  constructor(maxNames: number) {
    this.limit = new NameLimit(maxNames);
  }

  /** Number of distinct names held, the overflow entry included. */
  get size(): number {
    return this.values.size;
  }

  /** Distinct names folded into the overflow entry. */
  get foldedNames(): number {
    return this.limit.foldedNames;
  }

  /** A plain-object copy of every value (a key named `__proto__` stays data). */
  toObject(): Record<string, number> {
    return Object.fromEntries(this.values);
  }

  /** Removes every value and forgets folded names. */
  clear(): void {
    this.values.clear();
    this.limit.clear();
  }
}

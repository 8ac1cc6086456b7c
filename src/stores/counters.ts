import { describeValue } from "../shared/validate.js";
import { OVERFLOW_NAME } from "./name-limit.js";
import { NamedNumbers } from "./named-numbers.js";

/**
 * Named counters: sums of finite numbers, capped in distinct names. A counter that
 * ever received a negative increment is remembered as an up-down counter, so that
 * exporters never type as a counter a series that can go down.
 */
export class CounterStore extends NamedNumbers {
  /** Keys (the overflow entry included) that ever received a negative increment. */
  readonly #upDown = new Set<string>();

  /**
   * Adds `value` to the counter `name` (already validated as a name and a finite number).
   * @throws RangeError when the sum would no longer be finite; nothing changes then.
   */
  add(name: string, value: number): void {
    const cell = this.cells.get(name);
    if (cell !== undefined) {
      cell.value = checkedSum(name, cell.value, value);
      if (value < 0) this.#upDown.add(name);
      return;
    }
    // A new name: the sum is checked before the name is admitted, because past the cap
    // admitting records the name as folded, and an add that throws must change nothing.
    const size = this.cells.size;
    const next = this.limit.isFull(size)
      ? checkedSum(OVERFLOW_NAME, this.get(OVERFLOW_NAME), value)
      : value;
    const key = this.limit.admit(name, size);
    this.store(key, next);
    if (value < 0) this.#upDown.add(key);
  }

  /** The counters that ever received a negative increment, in the order counters are held. */
  upDownNames(): string[] {
    if (this.#upDown.size === 0) return [];
    return [...this.cells.keys()].filter((key) => this.#upDown.has(key));
  }

  override clear(): void {
    super.clear();
    this.#upDown.clear();
  }

  /** The value of a counter, 0 when absent. */
  get(name: string): number {
    return this.cells.get(name)?.value ?? 0;
  }

  /**
   * The sum of the named counters, or of all counters when `names` is undefined,
   * always finite. Each counter is finite, but counters near `Number.MAX_VALUE` can
   * sum past it (to ±Infinity, or NaN once such a sum meets one of the other sign),
   * so such a sum is taken again on the values scaled down by 2^64, where it cannot
   * overflow and a power of two scales exactly, and saturates at ±`Number.MAX_VALUE`.
   */
  sum(names?: readonly string[]): number {
    const total = this.#total(names, 1);
    if (Number.isFinite(total)) return total;
    const scaled = this.#total(names, SCALE_DOWN) / SCALE_DOWN;
    return Math.min(Number.MAX_VALUE, Math.max(-Number.MAX_VALUE, scaled));
  }

  #total(names: readonly string[] | undefined, scale: number): number {
    let total = 0;
    if (names === undefined) {
      for (const cell of this.cells.values()) total += cell.value * scale;
    } else {
      for (const name of names) total += this.get(name) * scale;
    }
    return total;
  }
}

/** 2^-64: scales the largest double to about 9.7e288, so even 10^19 of them sum finitely. */
const SCALE_DOWN = 2 ** -64;

function checkedSum(key: string, current: number, value: number): number {
  const next = current + value;
  if (!Number.isFinite(next)) {
    throw new RangeError(
      `Expected \`value\` to keep the counter finite, got ${describeValue(value)}: counter ${JSON.stringify(key)} would be ${next}`,
    );
  }
  return next;
}

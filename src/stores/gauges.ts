import { NamedNumbers } from "./named-numbers.js";

/** Named gauges: the last finite value written wins; capped in distinct names. */
export class GaugeStore extends NamedNumbers {
  /** Sets the gauge `name` to `value` (already validated). */
  set(name: string, value: number): void {
    const key = this.values.has(name) ? name : this.limit.admit(name, this.values.size);
    this.values.set(key, value);
  }

  /** The value of a gauge, `undefined` when absent. */
  get(name: string): number | undefined {
    return this.values.get(name);
  }
}

import { NamedNumbers } from "./named-numbers.js";

/** Named gauges: the last finite value written wins; capped in distinct names. */
export class GaugeStore extends NamedNumbers {
  /** Sets the gauge `name` to `value` (already validated). */
  set(name: string, value: number): void {
    const cell = this.cells.get(name);
    if (cell !== undefined) cell.value = value;
    else this.store(this.limit.admit(name, this.cells.size), value);
  }

  /** The value of a gauge, `undefined` when absent. */
  get(name: string): number | undefined {
    return this.cells.get(name)?.value;
  }
}

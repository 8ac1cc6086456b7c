import { withDeadline } from "../shared/deadline.js";
import { describeValue } from "../shared/validate.js";

/**
 * Asks a subclass's `getMemoryUsage()` override for a snapshot's memory figure,
 * bounded in time and shared between the snapshots that want it at once.
 *
 * A measurement that throws, rejects, outlives `timeoutMs` or resolves to anything
 * but a finite number >= 0 is handed to `recover`, whose answer is used instead.
 *
 * One measurement runs at a time: reads made meanwhile get its answer. That also ends
 * a cycle: an override that calls `getStats()` reads this same probe and waits for
 * itself until the deadline cuts it off. Calling the override again instead would
 * recurse through microtasks without end, starving the event loop so that not even
 * the deadline could fire.
 */
export class MemoryProbe {
  readonly #measure: () => unknown;
  readonly #recover: (error: unknown) => Promise<number>;
  readonly #timeoutMs: number;
  #pending: Promise<number> | undefined;

  /**
   * @param measure - calls the override; may return a number or a promise of one.
   * @param recover - gives the figure to use when a measurement failed.
   * @param timeoutMs - how long a measurement may take, in milliseconds.
   */
  constructor(
    measure: () => unknown,
    recover: (error: unknown) => Promise<number>,
    timeoutMs: number,
  ) {
    this.#measure = measure;
    this.#recover = recover;
    this.#timeoutMs = timeoutMs;
  }

  /** The figure of the measurement in progress, or of a new one; in MB. */
  read(): Promise<number> {
    let pending = this.#pending;
    if (pending === undefined) {
      pending = this.#run();
      this.#pending = pending;
      const settled = (): void => {
        if (this.#pending === pending) this.#pending = undefined;
      };
      pending.then(settled, settled);
    }
    return pending;
  }

  async #run(): Promise<number> {
    try {
      const memoryMb: unknown = await withDeadline(
        this.#measure,
        this.#timeoutMs,
        `getMemoryUsage() did not settle within ${this.#timeoutMs} ms`,
      );
      if (typeof memoryMb !== "number" || !Number.isFinite(memoryMb) || memoryMb < 0) {
        throw new RangeError(
          `Expected getMemoryUsage() to resolve to a finite number >= 0, got ${describeValue(memoryMb)}`,
        );
      }
      return memoryMb;
    } catch (error) {
      return this.#recover(error);
    }
  }
}

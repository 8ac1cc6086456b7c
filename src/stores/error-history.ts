import type { ErrorInfo } from "./error-info.js";

/**
 * A ring buffer of the latest errors with a lifetime count that the buffer's
 * capacity does not cap. A capacity of 0 keeps no records but still counts.
 */
export class ErrorHistory {
  readonly #capacity: number;
  readonly #ring: (ErrorInfo | undefined)[];
  #next = 0;
  #size = 0;
  #total = 0;

  /** @param capacity - records kept (>= 0). */
  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#ring = new Array<ErrorInfo | undefined>(capacity).fill(undefined);
  }

  /** Appends a record, evicting the oldest when full. */
  push(info: ErrorInfo): void {
    this.#total++;
    if (this.#capacity === 0) return;
    this.#ring[this.#next] = info;
    this.#next = (this.#next + 1) % this.#capacity;
    if (this.#size < this.#capacity) this.#size++;
  }

  /** Lifetime count of errors pushed since the last clear. */
  get total(): number {
    return this.#total;
  }

  /** Records held. */
  get size(): number {
    return this.#size;
  }

  /**
   * The newest `limit` records, oldest first.
   * @param limit - an integer >= 0 (validated by the caller).
   */
  recent(limit: number): ErrorInfo[] {
    const count = Math.min(limit, this.#size);
    const result: ErrorInfo[] = [];
    const start = this.#next - count + this.#capacity;
    for (let i = 0; i < count; i++) {
      result.push(this.#ring[(start + i) % this.#capacity] as ErrorInfo);
    }
    return result;
  }

  /** Drops every record and resets the lifetime count. */
  clear(): void {
    this.#ring.fill(undefined);
    this.#next = 0;
    this.#size = 0;
    this.#total = 0;
  }
}

import { DeadlineError, withDeadline } from "../shared/deadline.js";

/** What one {@link CallSlot.ask} got: the component's answer, or when its call went unanswered. */
export type SlotAnswer<T> =
  | {
      readonly answered: true;
      readonly value: T;
      /** Whether the answer came from a call shared with the other asks that waited for it. */
      readonly shared: boolean;
    }
  | {
      readonly answered: false;
      /** When the unanswered call was made, on the slot's clock. */
      readonly pendingSinceMs: number;
      /** Whether this ask made or waited for that call (false: refused at once, the call being overdue). */
      readonly asked: boolean;
    };

interface Call<T> {
  readonly sinceMs: number;
  readonly answer: Promise<T>;
}

interface Queued<T> {
  readonly call: () => T | PromiseLike<T>;
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
  readonly reject: (reason: unknown) => void;
}

/** Rejects the asks queued behind a call that went overdue; never leaves this module. */
const OVERDUE = new DeadlineError("the call in flight went overdue");

/**
 * At most one call in flight to one component, so that a component that hangs costs
 * one pending call however often it is collected.
 *
 * An ask:
 * - with nothing in flight, makes the call;
 * - with a call in flight that is still within its deadline (a concurrent
 *   collection), waits for it to settle and then asks again, in one call shared by
 *   every ask that arrived meanwhile: an answer to a call made before the ask could
 *   predate a write its caller awaited, and an answer must never do that;
 * - with a call in flight that outlived a whole deadline (it is overdue), is answered
 *   at once with when that call was made, and the component is not asked again until
 *   the call settles. Then it is asked normally.
 *
 * Each ask waits at most `timeoutMs` (see {@link withDeadline}). When its deadline
 * passes while the call it found in flight, or made, is still running, that call has
 * run for at least `timeoutMs` and becomes overdue; the asks queued behind it are
 * answered as unanswered at once.
 */
export class CallSlot<T> {
  readonly #now: () => number;
  #running: Call<T> | undefined;
  #overdue = false;
  #queued: Queued<T> | undefined;

  /** @param now - the clock `pendingSinceMs` is read from (epoch milliseconds). */
  constructor(now: () => number) {
    this.#now = now;
  }

  /**
   * Asks through `call`, under the rules above.
   *
   * @param call - makes the call; a synchronous throw counts as a rejection.
   * @param timeoutMs - how long this ask waits, in milliseconds.
   * @returns the answer, or when the unanswered call was made.
   * @throws whatever the call rejected with, or the clock threw.
   */
  async ask(call: () => T | PromiseLike<T>, timeoutMs: number): Promise<SlotAnswer<T>> {
    const found = this.#running;
    if (found !== undefined && this.#overdue) {
      return { answered: false, pendingSinceMs: found.sinceMs, asked: false };
    }
    const first = found ?? this.#start(call);
    const answer = found === undefined ? first.answer : this.#enqueue(call);
    try {
      const value = await withDeadline(() => answer, timeoutMs, "");
      return { answered: true, value, shared: found !== undefined };
    } catch (error) {
      if (!(error instanceof DeadlineError)) throw error;
      if (this.#running === first) this.#markOverdue();
      return { answered: false, pendingSinceMs: (this.#running ?? first).sinceMs, asked: true };
    }
  }

  #start(call: () => T | PromiseLike<T>): Call<T> {
    const sinceMs = this.#now();
    let answer: Promise<T>;
    try {
      answer = Promise.resolve(call());
    } catch (error) {
      answer = Promise.reject(error);
    }
    const running: Call<T> = { sinceMs, answer };
    this.#running = running;
    // Registered before any ask awaits `answer`, so the slot is free again by the
    // time an ask resumes with the answer.
    const settled = (): void => this.#settled();
    answer.then(settled, settled);
    return running;
  }

  /** Frees the slot once the one call in flight settled, and makes the queued call. */
  #settled(): void {
    this.#running = undefined;
    this.#overdue = false;
    const queued = this.#queued;
    if (queued === undefined) return;
    this.#queued = undefined;
    try {
      this.#start(queued.call).answer.then(queued.resolve, queued.reject);
    } catch (error) {
      queued.reject(error); // the clock threw
    }
  }

  #enqueue(call: () => T | PromiseLike<T>): Promise<T> {
    if (this.#queued !== undefined) return this.#queued.promise;
    let resolve!: (value: T) => void;
    let reject!: (reason: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#queued = { call, promise, resolve, reject };
    return promise;
  }

  #markOverdue(): void {
    this.#overdue = true;
    const queued = this.#queued;
    this.#queued = undefined;
    queued?.reject(OVERDUE);
  }
}

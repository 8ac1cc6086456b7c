import { describeValue } from "./validate.js";

/**
 * A source of time in epoch milliseconds. Every time-dependent piece of a tracker
 * (uptime, last activity, error timestamps, cache expiry, health decay, `time()`)
 * reads one clock, so a test that injects a {@link ManualClock} controls all of them.
 */
export interface Clock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** A clock that moves only when told to; for deterministic tests. */
export interface ManualClock extends Clock {
  /**
   * Moves the clock forward (or back, with a negative value) by `ms`.
   * @throws RangeError when `ms` is not finite.
   */
  advance(ms: number): void;
  /**
   * Sets the clock to `ms` epoch milliseconds.
   * @throws RangeError when `ms` is not finite.
   */
  set(ms: number): void;
}

/**
 * Creates a manual clock for tests.
 *
 * @param startMs - the initial reading in epoch milliseconds.
 * @defaultValue `startMs` is 0
 * @returns a clock whose `now()` returns `startMs` until `advance` or `set` is called.
 * @throws RangeError when `startMs` is not finite.
 * @example
 * ```ts
 * const clock = manualClock(0);
 * const tracker = new BaseStatisticsTracker("feed", { clock });
 * clock.advance(60_000);
 * ```
 */
export function manualClock(startMs = 0): ManualClock {
  let nowMs = finiteOrThrow(startMs, "startMs");
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += finiteOrThrow(ms, "ms");
    },
    set(ms: number) {
      nowMs = finiteOrThrow(ms, "ms");
    },
  };
}

function finiteOrThrow(value: number, name: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`Expected \`${name}\` to be a finite number, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks a `clock` option: absent, or an object with a `now()` method.
 *
 * @param value - the option as passed.
 * @param name - the option's name in the message, e.g. `"clock"`.
 * @throws TypeError naming the option when it is neither.
 */
export function checkClockOption(value: unknown, name: string): asserts value is Clock | undefined {
  if (value === undefined) return;
  if (
    typeof value !== "object" ||
    value === null ||
    typeof (value as { now?: unknown }).now !== "function"
  ) {
    throw new TypeError(
      `Expected \`${name}\` to be an object with a now() method, got ${describeValue(value)}`,
    );
  }
}

/**
 * Reads a clock, rejecting a reading that is not finite before it reaches any state.
 *
 * @param clock - the clock to read.
 * @returns the reading in epoch milliseconds, with -0 as 0 (JSON writes -0 as 0, so a
 *   timestamp of -0 would not survive a round trip).
 * @throws RangeError naming `clock.now()` when the reading is not a finite number;
 *   whatever `now()` throws, unchanged.
 */
export function readClock(clock: Clock): number {
  const nowMs: unknown = clock.now();
  if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
    throw new RangeError(
      `Expected \`clock.now()\` to return a finite number, got ${describeValue(nowMs)}`,
    );
  }
  return nowMs + 0;
}

/**
 * Milliseconds from `startMs` to `endMs`, never negative (a clock stepped back counts
 * as no time) and never infinite: two finite readings more than `Number.MAX_VALUE`
 * apart would subtract to Infinity, and are reported as `Number.MAX_VALUE` instead.
 *
 * @param startMs - the earlier reading.
 * @param endMs - the later reading.
 * @returns a finite number >= 0.
 */
export function elapsedMs(startMs: number, endMs: number): number {
  return Math.min(Number.MAX_VALUE, Math.max(0, endMs - startMs));
}

const timeOriginMs = performance.timeOrigin;

/**
 * The default clock: monotonic within the process and epoch-aligned
 * (`performance.timeOrigin + performance.now()`), so stepping the wall clock
 * back never makes an uptime negative.
 */
export const systemClock: Clock = Object.freeze({
  now: () => timeOriginMs + performance.now(),
});

/**
 * Granularity of {@link coarseNow}: a reading is reused for at most this long
 * while the event loop turns.
 */
export const COARSE_RESOLUTION_MS = 1;

let coarseMs = 0;
const expireCoarse = (): void => {
  coarseMs = 0;
};
/**
 * `setTimeout` as it was when this module loaded. Test suites install fake timers
 * later (`vi.useFakeTimers()`, sinon) and may drop their pending timers when they
 * uninstall them; an expiry scheduled on a fake timer that is dropped would pin the
 * reading, and every tracker's stamps, for the rest of the process.
 */
const scheduleExpiry = globalThis.setTimeout;

/**
 * A reading of {@link systemClock} that is reused for up to
 * {@link COARSE_RESOLUTION_MS}, the technique lru-cache uses for its TTL clock.
 *
 * Reading `performance.now()` costs about 50 ns on Node 20, as much as an awaited
 * call itself, so stamping every write with it would double the cost of a write.
 * The tracker stamps `lastActivity` with this reading when it runs on the default
 * clock; everything that measures (uptime, `time()`, health decay) reads the
 * precise clock. The reading is refreshed by a timer (unref'd on Node), so it is at most
 * 1 ms behind while the event loop turns; code that blocks the loop between two
 * writes can make the second stamp older by as long as it blocked.
 *
 * @returns epoch milliseconds, never ahead of {@link systemClock}.
 */
export function coarseNow(): number {
  if (coarseMs !== 0) return coarseMs;
  coarseMs = systemClock.now();
  // Node returns a Timeout to unref; browsers and edge runtimes return a number.
  const timer = scheduleExpiry(expireCoarse, COARSE_RESOLUTION_MS) as { unref?(): void } | number;
  if (typeof timer === "object") timer.unref?.();
  return coarseMs;
}

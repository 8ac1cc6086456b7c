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
  const timer = setTimeout(expireCoarse, COARSE_RESOLUTION_MS) as { unref?(): void } | number;
  if (typeof timer === "object") timer.unref?.();
  return coarseMs;
}

import type { Clock } from "../shared/clock.js";

/**
 * Makes a value once for every caller that asks while it is being made, and hands
 * the last one made to callers for `reuseMs` after it was made.
 *
 * `produce` is told whether anyone still waits (`wanted()`), so it can skip costly
 * work for callers that have all gone away; it then resolves `undefined`, which is
 * never reused. A caller that went away (its signal aborted) gets `undefined` at once
 * and stops counting as waiting. A caller that joined a run already abandoned by
 * everyone else starts a new one.
 *
 * @param produce - makes the value; it must not reject (errors are values here).
 * @param reuseMs - how long a made value is handed out again; 0 shares only runs in progress.
 * @param clock - what "how long" is read from.
 * @returns `get(signal?)`: the shared value, or `undefined` when `signal` aborted first.
 */
export function coalesce<T>(
  produce: (wanted: () => boolean) => Promise<T | undefined>,
  reuseMs: number,
  clock: Clock,
): (signal?: AbortSignal) => Promise<T | undefined> {
  interface Run {
    waiting: number;
    result: Promise<T | undefined>;
  }
  let current: Run | undefined;
  let last: { value: T; madeAtMs: number } | undefined;

  const start = (): Run => {
    // The caller that starts a run waits for it: count it before `produce` can ask.
    const run: Run = { waiting: 1, result: Promise.resolve(undefined) };
    current = run;
    const settle = (): void => {
      if (current === run) current = undefined;
    };
    run.result = produce(() => run.waiting > 0).then(
      (value) => {
        settle();
        if (value !== undefined) last = { value, madeAtMs: clock.now() };
        return value;
      },
      (error: unknown) => {
        settle();
        throw error;
      },
    );
    return run;
  };

  return async (signal) => {
    for (;;) {
      if (signal?.aborted) return undefined;
      if (last !== undefined) {
        const ageMs = clock.now() - last.madeAtMs;
        // A clock that stepped back makes the age negative: make the value again.
        if (ageMs >= 0 && ageMs < reuseMs) return last.value;
      }
      let run = current;
      if (run === undefined) run = start();
      else run.waiting += 1;
      const value = await waitFor(run, signal);
      if (value !== undefined || signal?.aborted) return value;
    }
  };

  function waitFor(run: Run, signal: AbortSignal | undefined): Promise<T | undefined> {
    if (signal === undefined) return run.result;
    return new Promise<T | undefined>((resolve, reject) => {
      const leave = (): void => {
        run.waiting -= 1;
        resolve(undefined);
      };
      // `produce` may have run code that aborted the signal since the caller checked it.
      if (signal.aborted) return leave();
      signal.addEventListener("abort", leave, { once: true });
      run.result.then(
        (value) => {
          signal.removeEventListener("abort", leave);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", leave);
          reject(error);
        },
      );
    });
  }
}

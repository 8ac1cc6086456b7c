import type { Clock } from "../shared/clock.js";

/**
 * Makes a value once for every caller that asks while it is being made, and hands
 * the last one made to later callers for as long as it took to make, or `reuseMs`
 * if that is longer.
 *
 * Why "as long as it took": a server can only read the requests that arrived during a
 * synchronous render once the render is over (Node even accepts one new connection
 * per turn of the loop), so a burst of scrapes reaches the handler one after another,
 * just after the value is made. Handing them that value costs no more staleness than
 * the value already carries, and spares a render per request; a value made in 2 ms is
 * handed out for 2 ms, which no dashboard poll notices.
 *
 * `produce` is told whether anyone still waits (`wanted()`), so it can skip costly
 * work for callers that have all gone away; it then resolves `undefined`, which is
 * never reused. A caller that went away (its signal aborted) gets `undefined` at once
 * and stops counting as waiting. A caller that joined a run already abandoned by
 * everyone else starts a new one.
 *
 * @param produce - makes the value; it must not reject (errors are values here).
 * @param reuseMs - the least time a made value is handed out again.
 * @param clock - what times are read from.
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
  let last: { value: T; madeAtMs: number; reuseMs: number } | undefined;

  const start = (): Run => {
    // The caller that starts a run waits for it: count it before `produce` can ask.
    const run: Run = { waiting: 1, result: Promise.resolve(undefined) };
    const startedAtMs = clock.now();
    current = run;
    const settle = (): void => {
      if (current === run) current = undefined;
    };
    run.result = produce(() => run.waiting > 0).then(
      (value) => {
        settle();
        if (value !== undefined) {
          const madeAtMs = clock.now();
          last = { value, madeAtMs, reuseMs: Math.max(reuseMs, madeAtMs - startedAtMs) };
        }
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
        if (ageMs >= 0 && ageMs < last.reuseMs) return last.value;
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

/** Why a call under {@link withDeadline} was abandoned. */
export class DeadlineError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * Runs `run` and settles with it, or rejects with a {@link DeadlineError} once
 * `timeoutMs` of real time has passed, whichever comes first.
 *
 * The deadline is a real timer, not the registry's injected clock: a manual clock
 * never moves on its own, so a deadline on it would never fire. The timer holds the
 * process while the race is pending, so a call that never answers still settles
 * (with the timeout) in a process with nothing else to do, where an unref'd timer
 * let it exit mid-await with code 13. It is cleared as soon as the race settles, so
 * a fast call leaves no timer behind. A synchronous throw from `run` becomes a
 * rejection.
 *
 * @param run - the work; its result is awaited.
 * @param timeoutMs - the deadline in milliseconds (validated by the caller).
 * @param message - the message of the `DeadlineError`.
 * @returns `run`'s result.
 */
export async function withDeadline<T>(
  run: () => T | PromiseLike<T>,
  timeoutMs: number,
  message: string,
): Promise<Awaited<T>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(message)), timeoutMs);
  });
  try {
    return await Promise.race([
      new Promise<Awaited<T>>((resolve) => resolve(run() as Awaited<T>)),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

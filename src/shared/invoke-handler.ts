/**
 * Calling functions the user handed in (`onError`, `onChange`) from places that must
 * not fail because of them.
 */

const ignore = (): void => {};

/**
 * Calls `call`, a closure over a user's handler, so that nothing the handler does can
 * fail its caller: what it throws goes to `onFailure`, and so does the rejection of a
 * promise it returns. An `async` handler type-checks where a `=> void` one is asked
 * for, and without this its rejection would be an unhandled rejection, which ends a
 * Node process.
 *
 * @param call - calls the handler.
 * @param onFailure - receives what the handler threw or rejected with; must not throw.
 *   By default the failure is ignored.
 * @example
 * ```ts
 * invokeHandler(() => options.onError?.(error)); // an onError that fails is ignored
 * ```
 */
export function invokeHandler(
  call: () => unknown,
  onFailure: (error: unknown) => void = ignore,
): void {
  try {
    const result = call();
    // Reading `then` may throw too (a getter): that is the handler's failure as well.
    if (
      (typeof result === "object" || typeof result === "function") &&
      result !== null &&
      typeof (result as PromiseLike<unknown>).then === "function"
    ) {
      (result as PromiseLike<unknown>).then(undefined, onFailure);
    }
  } catch (error) {
    onFailure(error);
  }
}

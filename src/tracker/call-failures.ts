/**
 * What happens to a tracker call that fails for bad input or a broken clock.
 *
 * Statistics calls are naturally fire-and-forget (`tracker.increment("orders")`
 * without `await`), and in Node an unhandled rejection ends the process. So every
 * promise a tracker call returns that rejects for such a cause is marked handled,
 * which keeps the rejection for a caller who awaits it, and the failure is reported
 * here instead: to the tracker's `onError` option, or without one as a process
 * warning, once per distinct cause.
 */

import { invokeHandler } from "../shared/invoke-handler.js";

/** A tracker method whose failure is reported: the `call` argument of `onError`. */
export type TrackerCall =
  | "increment"
  | "setGauge"
  | "recordTiming"
  | "trackError"
  | "setStatus"
  | "time"
  | "getRecentErrors"
  | "getUptime"
  | "getCounter"
  | "getGauge"
  | "getHealthScore"
  | "getHealthBreakdown"
  | "getStats"
  | "cleanupCache";

/**
 * Receives every tracker call that rejected for bad input or a broken clock, whether
 * or not its caller awaits it (a promise cannot tell whether anyone will handle it).
 */
export type CallErrorHandler = (error: unknown, call: TrackerCall) => void;

/** Distinct causes warned about per process; past it, one last warning says so. */
export const MAX_WARNED_CAUSES = 100;

const warnedCauses = new Set<string>();

/**
 * Forgets the causes already warned about, as if the process had just started. Not
 * exported from the package: the test setup calls it before each test, so whether a
 * test's bad input warns does not depend on which tests ran before it.
 */
export function forgetWarnedCauses(): void {
  warnedCauses.clear();
}

/** The marker that makes a rejected promise handled; the rejection stays for its awaiters. */
const ignore = (): void => {};

/**
 * Marks `promise` handled: a rejection nobody awaits no longer becomes an unhandled
 * rejection, and a caller who awaits it still gets it.
 *
 * @param promise - a promise about to be returned to a caller.
 * @returns `promise` itself.
 */
export function markHandled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(ignore);
  return promise;
}

/**
 * Reports a failed call to `onError`, or when there is none, as a process warning the
 * first time its cause (the call and the error's message) is seen in this process.
 * Never throws: an `onError` that throws, or returns a promise that rejects, is ignored.
 *
 * @param error - what the call rejected with.
 * @param call - the tracker method.
 * @param componentName - the tracker's name, for the warning.
 * @param onError - the tracker's `onError` option.
 */
export function reportCallFailure(
  error: unknown,
  call: TrackerCall,
  componentName: string,
  onError: CallErrorHandler | undefined,
): void {
  if (onError !== undefined) {
    // The handler is the caller's; a failing one (thrown or rejected) must not fail the call.
    invokeHandler(() => onError(error, call));
    return;
  }
  const message = messageOf(error);
  const cause = causeOf(message);
  if (warnedCauses.has(cause) || warnedCauses.size > MAX_WARNED_CAUSES) return;
  warnedCauses.add(cause);
  const text =
    warnedCauses.size > MAX_WARNED_CAUSES
      ? `component-stats: more than ${MAX_WARNED_CAUSES} distinct causes of failed calls; no more are reported (pass \`onError\` to see them all)`
      : `component-stats: ${JSON.stringify(componentName)}.${call}() rejected: ${message} (reported once per cause; pass \`onError\` to handle these)`;
  emitWarning(text);
}

/**
 * The cause of a failure: its message up to the value that arrived, so that
 * `increment("")` and `increment(" ".repeat(300))` are one cause, and a value passed
 * in a loop warns once.
 */
function causeOf(message: string): string {
  const got = message.indexOf(", got ");
  return got === -1 ? message : message.slice(0, got);
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? String(error.message) : String(error);
  } catch {
    return "[unprintable error]";
  }
}

/**
 * `process.emitWarning` where there is one (Node, Bun, Deno), `console.warn`
 * elsewhere; looked up at call time so the core imports nothing from Node.
 */
function emitWarning(text: string): void {
  try {
    const host = globalThis as {
      process?: { emitWarning?: (warning: string, options: object) => void };
      console?: { warn?: (text: string) => void };
    };
    if (typeof host.process?.emitWarning === "function") {
      host.process.emitWarning(text, {
        type: "ComponentStatsWarning",
        code: "COMPONENT_STATS_CALL_FAILED",
      });
    } else {
      host.console?.warn?.(text);
    }
  } catch {
    // A warning that cannot be shown must not fail the call it reports.
  }
}

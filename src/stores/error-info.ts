import { systemClock } from "../shared/clock.js";
import { sanitizeDetails, truncate } from "../shared/sanitize.js";
import { checkFinite, checkString } from "../shared/validate.js";
import type { ErrorRecord } from "../types.js";

/** The plain-data form of an {@link ErrorInfo}, as `getRecentErrors()` returns it. */

/** Longest error message or context kept, in characters. */
export const MAX_MESSAGE_LENGTH = 1024;

/**
 * One tracked error. Reading the value never throws, whatever was thrown: a
 * throwing `message` getter, `null`, a Symbol or a revoked Proxy all give a record.
 *
 * @example
 * ```ts
 * const info = new ErrorInfo(new TypeError("bad tick"), "feed.parse", { symbol: "ES" });
 * info.toJSON(); // { error: "bad tick", errorType: "TypeError", context: "feed.parse", … }
 * ```
 */
export class ErrorInfo {
  /** The error's message, at most {@link MAX_MESSAGE_LENGTH} characters. */
  readonly error: string;
  /** The error's class name (or its `name` where the class is plain `Error`); `"Unknown"` for non-Errors. */
  readonly errorType: string;
  /** Where the error happened. */
  readonly context: string;
  /** A bounded, JSON-safe copy of the details: later changes to the caller's object do not show. */
  readonly details: Record<string, unknown>;
  /** Epoch milliseconds. */
  readonly timestamp: number;

  /**
   * @param error - anything that was thrown or reported.
   * @param context - where it happened.
   * @param details - extra facts; copied and bounded (see {@link sanitizeDetails}).
   * @param timestamp - epoch milliseconds; an explicit 0 is kept.
   * @throws TypeError when `context` is not a string; TypeError or RangeError when
   *   `timestamp` is given and is not a finite number.
   */
  constructor(
    error: unknown,
    context: string,
    details?: Record<string, unknown>,
    timestamp?: number,
  ) {
    checkString(context, "context");
    if (timestamp !== undefined) checkFinite(timestamp, "timestamp");
    this.error = truncate(errorMessage(error), MAX_MESSAGE_LENGTH);
    this.errorType = errorType(error);
    this.context = truncate(context, MAX_MESSAGE_LENGTH);
    this.details = sanitizeDetails(details);
    this.timestamp = timestamp ?? systemClock.now();
  }

  /** A plain copy for serialisation. */
  toJSON(): ErrorRecord {
    return {
      error: this.error,
      errorType: this.errorType,
      context: this.context,
      details: structuredClone(this.details),
      timestamp: this.timestamp,
    };
  }
}

/**
 * The message of anything thrown: an Error's `message` (with the inner messages of
 * an `AggregateError`), an error-like object's string `message`, else `String(value)`.
 */
export function errorMessage(error: unknown): string {
  return messageOf(error, 0);
}

/**
 * How deep inner errors of nested `AggregateError`s are listed. An AggregateError may
 * list itself (or a cycle of them); without a limit each level's three inner messages
 * made 3^depth calls, and the recursion only ended at a stack overflow.
 */
const MAX_AGGREGATE_DEPTH = 2;

function messageOf(error: unknown, depth: number): string {
  try {
    if (error instanceof Error) {
      let message = String(error.message);
      if (error instanceof AggregateError && depth < MAX_AGGREGATE_DEPTH) {
        message += innerMessages(error, depth);
      }
      return message;
    }
    if (typeof error === "object" && error !== null) {
      const message = (error as { message?: unknown }).message;
      if (typeof message === "string") return message;
      const text = String(error);
      if (text === "[object Object]") return JSON.stringify(sanitizeDetails(error));
      return text;
    }
    return String(error);
  } catch {
    return "[unprintable error]";
  }
}

/** `" [n errors: a; b; c, … k more]"` for an AggregateError; `""` when its list cannot be read. */
function innerMessages(error: AggregateError, depth: number): string {
  try {
    const errors: unknown = error.errors;
    if (!Array.isArray(errors)) return "";
    const inner = errors.slice(0, 3).map((item) => messageOf(item, depth + 1));
    const more = errors.length > 3 ? `, … ${errors.length - 3} more` : "";
    return ` [${errors.length} errors: ${inner.join("; ")}${more}]`;
  } catch {
    return "";
  }
}

/** The class name of an Error; `"Unknown"` for anything else. */
export function errorType(error: unknown): string {
  try {
    // `instanceof` runs a Proxy's getPrototypeOf trap, and throws for a revoked Proxy.
    if (!(error instanceof Error)) return "Unknown";
  } catch {
    return "Unknown";
  }
  // Each property is read on its own, so a throwing `name` getter still leaves the class name.
  const className = readSafely(() => error.constructor?.name);
  if (typeof className === "string" && className !== "" && className !== "Error") {
    return truncate(className, 200);
  }
  // A plain Error renamed at the throw site (`err.name = "TimeoutError"`) says more by its name.
  const name = readSafely(() => error.name);
  return typeof name === "string" && name !== "" ? truncate(name, 200) : "Error";
}

function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return undefined;
  }
}

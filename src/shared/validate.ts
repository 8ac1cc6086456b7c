/**
 * Argument checks shared by every public call. Each throws a `TypeError` or
 * `RangeError` whose message names the argument, what was expected and what arrived,
 * in the style of p-queue: ``Expected `metric` to be …, got "…" (string)``.
 */

/** Longest metric or operation name accepted, in UTF-16 code units. */
export const MAX_NAME_LENGTH = 256;

const PREVIEW_LENGTH = 40;

/**
 * Renders any value for an error message without ever throwing and without
 * copying a huge string into the message.
 */
export function describeValue(value: unknown): string {
  const type = value === null ? "null" : typeof value;
  if (typeof value === "string") {
    const shown =
      value.length > PREVIEW_LENGTH
        ? `${value.slice(0, PREVIEW_LENGTH)}… (${value.length} characters)`
        : value;
    return `${JSON.stringify(shown)} (string)`;
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "undefined") {
    return `${String(value)} (${type})`;
  }
  if (typeof value === "bigint") return `${String(value)}n (bigint)`;
  if (typeof value === "symbol") return `${safeString(value)} (symbol)`;
  try {
    // A Proxy can throw from `name` or `length`, and a revoked one from Array.isArray.
    if (typeof value === "function") return `function ${value.name || "anonymous"} (function)`;
    if (Array.isArray(value)) return `array of length ${value.length} (object)`;
  } catch {
    return `an unreadable ${type} (${type})`;
  }
  return `${type === "null" ? "null" : "an object"} (${type})`;
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "[unprintable]";
  }
}

/**
 * Checks a metric or operation name: a non-empty string of at most
 * {@link MAX_NAME_LENGTH} code units. Any Unicode is allowed; exporters map names
 * to their own alphabets.
 */
export function checkName(value: unknown, argument: string): asserts value is string {
  if (typeof value === "string" && value.length > 0 && value.length <= MAX_NAME_LENGTH) return;
  // A string that is empty or too long is out of range; anything else is of the wrong type.
  const isString = typeof value === "string";
  const Failure = isString ? RangeError : TypeError;
  const bound = isString ? ` of at most ${MAX_NAME_LENGTH} characters` : "";
  throw new Failure(
    `Expected \`${argument}\` to be a non-empty string${bound}, got ${describeValue(value)}`,
  );
}

/** Checks that a value is a finite number. */
export function checkFinite(value: unknown, argument: string): asserts value is number {
  if (typeof value === "number" && Number.isFinite(value)) return;
  // A number that is not finite is out of range; anything else is of the wrong type.
  const Failure = typeof value === "number" ? RangeError : TypeError;
  throw new Failure(`Expected \`${argument}\` to be a finite number, got ${describeValue(value)}`);
}

/**
 * Largest duration accepted, in milliseconds: 2^53 - 1 (`Number.MAX_SAFE_INTEGER`),
 * about 285,000 years. Past it a double no longer holds whole milliseconds, and up to
 * it no sum a tracker keeps can overflow: a window of 2^24 such samples sums to about
 * 1.5e23, and a lifetime of 2^53 samples to about 8.1e31, both far below
 * `Number.MAX_VALUE` (about 1.8e308).
 */
export const MAX_DURATION_MS = Number.MAX_SAFE_INTEGER;

/** Checks that a value is a duration: a number from 0 to {@link MAX_DURATION_MS}. */
export function checkDuration(value: unknown, argument: string): asserts value is number {
  checkFinite(value, argument);
  if (value < 0) {
    throw new RangeError(
      `Expected \`${argument}\` to be a finite number >= 0, got ${describeValue(value)}`,
    );
  }
  if (value > MAX_DURATION_MS) {
    throw new RangeError(
      `Expected \`${argument}\` to be at most MAX_DURATION_MS (${MAX_DURATION_MS} ms), got ${describeValue(value)}`,
    );
  }
}

/** Checks that a value is a string (possibly empty). */
export function checkString(value: unknown, argument: string): asserts value is string {
  if (typeof value !== "string") {
    throw new TypeError(`Expected \`${argument}\` to be a string, got ${describeValue(value)}`);
  }
}

/** Checks that a value is an integer within `[min, max]`. */
export function checkInteger(
  value: unknown,
  argument: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): asserts value is number {
  if (typeof value !== "number") {
    throw new TypeError(`Expected \`${argument}\` to be an integer, got ${describeValue(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
    throw new RangeError(
      `Expected \`${argument}\` to be an integer ${range}, got ${describeValue(value)}`,
    );
  }
}

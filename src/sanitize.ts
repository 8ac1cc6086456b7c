/**
 * Copies arbitrary error details into bounded, JSON-safe plain data.
 *
 * Error details come from the caller's failure path, where anything can arrive:
 * circular graphs, a 10 MB response body, getters that throw, BigInts, Symbols,
 * functions, proxies. A tracker keeps up to `maxErrors` of them, so each copy must
 * be bounded in size, must never throw, and must survive `JSON.stringify`.
 */

/** The bounds of one sanitised value. */
export interface SanitizeLimits {
  /** Nesting depth kept; deeper values become `"[Truncated: depth]"`. */
  readonly maxDepth: number;
  /** Entries kept per object, array, Map or Set; the rest are counted in a `"…"` entry. */
  readonly maxEntries: number;
  /** Characters kept per string. */
  readonly maxStringLength: number;
  /** Characters of strings kept across the whole value; past it strings become `"[Truncated]"`. */
  readonly maxTotalChars: number;
}

/**
 * Default bounds: at most about 16 KiB of text per record, so 100 records hold
 * at most a few MiB whatever the caller passed.
 */
export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = Object.freeze({
  maxDepth: 6,
  maxEntries: 50,
  maxStringLength: 1024,
  maxTotalChars: 8192,
});

/** Truncates `text` to `max` characters, saying how long it was. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** Runs `read`, turning anything it throws into a short description. */
function attempt<T>(read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    return `[Thrown: ${safeMessage(error)}]`;
  }
}

function safeMessage(error: unknown): string {
  try {
    return truncate(error instanceof Error ? String(error.message) : String(error), 200);
  } catch {
    return "unprintable";
  }
}

/**
 * Copies an error's `details` record into bounded plain data.
 *
 * @param details - anything; non-objects give `{}`.
 * @param limits - the bounds.
 * @returns a fresh object that `JSON.stringify` round-trips.
 */
export function sanitizeDetails(
  details: unknown,
  limits: SanitizeLimits = DEFAULT_SANITIZE_LIMITS,
): Record<string, unknown> {
  if (details === undefined || details === null) return {};
  const copied = new Sanitizer(limits).copy(details, 0);
  if (copied !== null && typeof copied === "object" && !Array.isArray(copied)) {
    return copied as Record<string, unknown>;
  }
  return { value: copied };
}

class Sanitizer {
  readonly #limits: SanitizeLimits;
  readonly #ancestors = new Set<object>();
  #charsLeft: number;

  constructor(limits: SanitizeLimits) {
    this.#limits = limits;
    this.#charsLeft = limits.maxTotalChars;
  }

  copy(value: unknown, depth: number): unknown {
    switch (typeof value) {
      case "string":
        return this.#string(value);
      case "number":
        return Number.isFinite(value) ? value : String(value);
      case "boolean":
        return value;
      case "bigint":
        return `${value}n`;
      case "symbol":
        return this.#string(value.toString());
      case "function":
        return `[Function ${this.#string(attemptString(() => value.name) || "anonymous")}]`;
      case "undefined":
        return null;
    }
    if (value === null) return null;
    return this.#object(value as object, depth);
  }

  #string(text: string): string {
    if (this.#charsLeft <= 0) return "[Truncated]";
    const kept = truncate(text, Math.min(this.#limits.maxStringLength, this.#charsLeft));
    this.#charsLeft -= Math.min(text.length, this.#limits.maxStringLength);
    return kept;
  }

  #object(value: object, depth: number): unknown {
    if (this.#ancestors.has(value)) return "[Circular]";
    if (depth >= this.#limits.maxDepth) return "[Truncated: depth]";
    this.#ancestors.add(value);
    try {
      return attempt(() => this.#objectBody(value, depth));
    } finally {
      this.#ancestors.delete(value);
    }
  }

  #objectBody(value: object, depth: number): unknown {
    if (value instanceof Date) {
      const time = value.getTime();
      return Number.isNaN(time) ? "Invalid Date" : value.toISOString();
    }
    if (value instanceof Error) {
      return {
        name: this.copy(
          attempt(() => value.name),
          depth + 1,
        ),
        message: this.copy(
          attempt(() => value.message),
          depth + 1,
        ),
      };
    }
    if (ArrayBuffer.isView(value)) {
      return `[${value.constructor.name}(${value.byteLength} bytes)]`;
    }
    if (Array.isArray(value) || value instanceof Set) {
      return this.#list(Array.isArray(value) ? value : [...value], depth);
    }
    if (value instanceof Map) return this.#list([...value.entries()], depth);
    const keys = Object.keys(value);
    const entries: [string, unknown][] = [];
    const kept = Math.min(keys.length, this.#limits.maxEntries);
    for (let i = 0; i < kept; i++) {
      const key = keys[i] as string;
      const item = attempt(() => (value as Record<string, unknown>)[key]);
      entries.push([truncate(key, this.#limits.maxStringLength), this.copy(item, depth + 1)]);
    }
    if (keys.length > kept) entries.push(["…", `${keys.length - kept} more keys`]);
    return Object.fromEntries(entries);
  }

  #list(items: readonly unknown[], depth: number): unknown[] {
    const kept = Math.min(items.length, this.#limits.maxEntries);
    const copy: unknown[] = [];
    for (let i = 0; i < kept; i++) copy.push(this.copy(items[i], depth + 1));
    if (items.length > kept) copy.push(`… ${items.length - kept} more items`);
    return copy;
  }
}

function attemptString(read: () => string): string {
  const result = attempt(read);
  return typeof result === "string" ? result : "";
}

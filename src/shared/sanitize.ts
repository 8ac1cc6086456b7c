import { copyString } from "./copy-string.js";

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
  /**
   * Characters of strings and keys kept across the whole value; past it strings become
   * `"[Truncated]"` and keys are cut to 16 characters. A key that is cut (here or at
   * `maxStringLength`) keeps `"[Truncated]"` as its value.
   */
  readonly maxTotalChars: number;
  /**
   * Values (objects, lists and primitives) copied across the whole value; past it
   * objects and lists end with their `"…"` entry. Without it, a few small objects that each hold the
   * next one many times would unfold into an exponentially large tree.
   * @defaultValue 1000
   */
  readonly maxValues?: number | undefined;
}

const DEFAULT_MAX_VALUES = 1000;
/** Characters a key keeps once the text budget is spent. */
const MIN_KEY_LENGTH = 16;

/**
 * Default bounds: at most 8192 characters of text (strings and keys) and 1000 values
 * per record, so 100 records hold at most a few MiB whatever the caller passed.
 */
export const DEFAULT_SANITIZE_LIMITS: SanitizeLimits = Object.freeze({
  maxDepth: 6,
  maxEntries: 50,
  maxStringLength: 1024,
  maxTotalChars: 8192,
  maxValues: DEFAULT_MAX_VALUES,
});

/**
 * Truncates `text` to `max` characters, saying how long it was. The result is a
 * fresh string (see {@link copyString}): it never keeps a long `text` alive.
 */
export function truncate(text: string, max: number): string {
  return copyString(
    text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`,
  );
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
  #valuesLeft: number;

  constructor(limits: SanitizeLimits) {
    this.#limits = limits;
    this.#charsLeft = limits.maxTotalChars;
    this.#valuesLeft = limits.maxValues ?? DEFAULT_MAX_VALUES;
  }

  copy(value: unknown, depth: number): unknown {
    if (this.#valuesLeft <= 0) return "[Truncated]";
    this.#valuesLeft--;
    switch (typeof value) {
      case "string":
        return this.#string(value);
      case "number":
        // `+ 0` turns -0 into 0: JSON writes -0 as 0, so the copy would not round-trip.
        return Number.isFinite(value) ? value + 0 : String(value);
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

  /**
   * Keys are text too: fifty 1000-character keys per object would otherwise pass every
   * bound, so they draw on the same budget as strings, and past it are cut short
   * (not dropped, so an object keeps its shape).
   */
  #key(key: string): string {
    const max = Math.min(this.#limits.maxStringLength, Math.max(this.#charsLeft, MIN_KEY_LENGTH));
    this.#charsLeft -= Math.min(key.length, max);
    return truncate(key, max);
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
    if (Array.isArray(value)) return this.#list(arrayItems(value), value.length, depth);
    // Sets and Maps are read through the built-in iterators, never spread: a copy of a
    // million-entry Map to keep 50 of them would cost what the bounds are there to avoid.
    if (value instanceof Set) return this.#list(setValues.call(value), value.size, depth);
    if (value instanceof Map) return this.#list(mapEntries.call(value), value.size, depth, true);
    const keys = Object.keys(value);
    const entries: [string, unknown][] = [];
    const kept = Math.min(keys.length, this.#limits.maxEntries);
    let i = 0;
    for (; i < kept && this.#valuesLeft > 0; i++) {
      const key = keys[i] as string;
      entries.push(this.#entry(key, () => (value as Record<string, unknown>)[key], depth + 1));
    }
    if (keys.length > i) entries.push(["…", `${keys.length - i} more keys`]);
    return Object.fromEntries(entries);
  }

  /**
   * A key and its value, unless the key had to be cut: redaction runs at export and
   * judges the key it is given, and a cut key can hide that it named a secret
   * (`stripe_refresh_t… (20 characters)`), so nothing is kept under one.
   */
  #entry(key: string, read: () => unknown, depth: number): [string, unknown] {
    const kept = this.#key(key);
    return [kept, kept === key ? this.copy(attempt(read), depth) : "[Truncated]"];
  }

  /**
   * A Map entry, kept as its `[key, value]` pair. A string key is a key, bounded as an
   * object's is (see `#entry`): copied as a string, it would become
   * `"[Truncated]"` past the budget and leave its value for redaction to miss.
   */
  #pair(pair: [unknown, unknown], depth: number): unknown {
    const key = pair[0];
    if (typeof key !== "string" || depth >= this.#limits.maxDepth) return this.copy(pair, depth);
    this.#valuesLeft--;
    return this.#entry(key, () => pair[1], depth + 1);
  }

  /** `pairs`: the items are a Map's entries (see `#pair`). */
  #list(items: Iterable<unknown>, length: number, depth: number, pairs = false): unknown[] {
    const kept = Math.min(length, this.#limits.maxEntries);
    const copy: unknown[] = [];
    for (const item of items) {
      if (copy.length === kept || this.#valuesLeft <= 0) break;
      copy.push(
        pairs ? this.#pair(item as [unknown, unknown], depth + 1) : this.copy(item, depth + 1),
      );
    }
    if (length > copy.length) copy.push(`… ${length - copy.length} more items`);
    return copy;
  }
}

const setValues = Set.prototype.values;
const mapEntries = Map.prototype.entries;

/** An array's items by index (holes as `undefined`), whatever its own iterator does. */
function* arrayItems(array: readonly unknown[]): Generator<unknown> {
  for (let i = 0; i < array.length; i++) yield array[i];
}

function attemptString(read: () => string): string {
  const result = attempt(read);
  return typeof result === "string" ? result : "";
}

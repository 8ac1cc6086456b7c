import type { ComponentReport, RegistrySnapshot } from "../registry/types.js";
import { describeValue } from "../shared/validate.js";
import { redactSensitive } from "./redact.js";

/** Options of {@link exportJson}. */
export interface JsonExportOptions {
  /**
   * Replace the values of sensitive keys in error details with `"[REDACTED]"`
   * (see {@link isSensitiveKey}).
   * @defaultValue true
   */
  redact?: boolean | undefined;
  /**
   * Indentation, as `JSON.stringify`'s `space`: an integer from 0 (one line) to 10.
   * @defaultValue 0
   */
  space?: number | undefined;
}

/**
 * Writes a registry snapshot as JSON for logs, files or an HTTP endpoint.
 *
 * - Keys are sorted (by UTF-16 code units) at every depth, so two exports of the
 *   same data are byte-identical and diff cleanly.
 * - The snapshot's `timestamp` is written as an ISO 8601 string
 *   (`"2024-05-01T12:00:00.000Z"`); the other times (`lastActivity`, error
 *   timestamps) stay epoch milliseconds, as in the snapshot.
 * - Unless `redact` is false, the values of sensitive keys inside each error
 *   record's `details`, at any depth and in Maps too, become `"[REDACTED]"` (see
 *   {@link redactSensitive}).
 *
 * @param snapshot - what {@link StatisticsRegistry.collect} returned.
 * @param options - redaction and indentation.
 * @returns the JSON text.
 * @throws TypeError or RangeError for bad options, or when the timestamp is not a
 *   representable date.
 * @example
 * ```ts
 * console.log(exportJson(await registry.collect(), { space: 2 }));
 * ```
 */
export function exportJson(snapshot: RegistrySnapshot, options: JsonExportOptions = {}): string {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { redact = true, space = 0 } = options;
  if (typeof redact !== "boolean") {
    throw new TypeError(`Expected \`redact\` to be a boolean, got ${describeValue(redact)}`);
  }
  if (typeof space !== "number" || !Number.isInteger(space) || space < 0 || space > 10) {
    const ErrorType = typeof space === "number" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected \`space\` to be an integer from 0 to 10, got ${describeValue(space)}`,
    );
  }
  const date = new Date(snapshot.timestamp);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(
      `Expected \`snapshot.timestamp\` to be epoch milliseconds of a valid date, got ${describeValue(snapshot.timestamp)}`,
    );
  }
  const document = {
    ...snapshot,
    timestamp: date.toISOString(),
    components: redact ? snapshot.components.map(redactReport) : snapshot.components,
  };
  return stableStringify(document, " ".repeat(space));
}

function redactReport(report: ComponentReport): ComponentReport {
  if (report.recentErrors === undefined) return report;
  return {
    ...report,
    recentErrors: report.recentErrors.map((record) => ({
      ...record,
      details: redactSensitive(record.details) as Record<string, unknown>,
    })),
  };
}

/**
 * `JSON.stringify` with keys sorted at every depth. Objects cannot hold keys in
 * sorted order (integer-like keys always come first), so the text is written here
 * rather than by sorting copies. Values follow `JSON.stringify`: `undefined`,
 * functions and symbols are left out of objects and are `null` in arrays, non-finite
 * numbers are `null`; a BigInt is written as a string (`"12n"`) instead of throwing,
 * and a cycle as `"[Circular]"`.
 */
export function stableStringify(value: unknown, indent = ""): string {
  return new StableWriter(indent).write(value) ?? "null";
}

/**
 * Writes one document as a list of pieces, joined a thousand at a time: a scrape's
 * 1.4 MB of JSON is some 150,000 pieces. Joining per object, as a recursive function
 * returning strings does, copied each piece once per depth; appending every piece
 * to one string kept each alive until the end, for every garbage collection to copy.
 */
class StableWriter {
  #pieces: string[] = [];
  readonly #chunks: string[] = [];
  readonly #indent: string;
  readonly #ancestors = new Set<object>();

  constructor(indent: string) {
    this.#indent = indent;
  }

  /** The text of `value`, or `undefined` for what JSON leaves out. */
  write(value: unknown): string | undefined {
    const resolved = this.#resolve(value);
    if (!isWritten(resolved)) return undefined;
    this.#value(resolved, "");
    this.#chunks.push(this.#pieces.join(""));
    return this.#chunks.join("");
  }

  #add(piece: string): void {
    const pieces = this.#pieces;
    pieces.push(piece);
    if (pieces.length === 1024) {
      this.#chunks.push(pieces.join(""));
      this.#pieces = [];
    }
  }

  /** `value` after its `toJSON()`, unless it is an object being written already. */
  #resolve(value: unknown): unknown {
    let resolved = value;
    while (typeof resolved === "object" && resolved !== null && !this.#ancestors.has(resolved)) {
      const toJSON = (resolved as { toJSON?: unknown }).toJSON;
      if (typeof toJSON !== "function") break;
      resolved = toJSON.call(resolved);
    }
    return resolved;
  }

  /** Appends a resolved value that JSON writes (see {@link isWritten}). */
  #value(value: unknown, margin: string): void {
    switch (typeof value) {
      case "string":
        this.#add(quote(value));
        return;
      case "number":
        // What JSON.stringify writes for a number.
        this.#add(Number.isFinite(value) ? String(value) : "null");
        return;
      case "boolean":
        this.#add(value ? "true" : "false");
        return;
      case "bigint":
        this.#add(quote(`${value}n`));
        return;
    }
    if (value === null) {
      this.#add("null");
      return;
    }
    const object = value as object;
    if (this.#ancestors.has(object)) {
      this.#add('"[Circular]"');
      return;
    }
    this.#ancestors.add(object);
    const indent = this.#indent;
    const inner = margin + indent;
    const open = indent === "" ? "" : `\n${inner}`;
    const separator = indent === "" ? "," : `,\n${inner}`;
    if (Array.isArray(object)) {
      if (object.length === 0) {
        this.#add("[]");
      } else if (allFinite(object)) {
        // Bucket counts: 17 numbers, joined natively into one piece.
        this.#add(`[${open}${object.join(separator)}${indent === "" ? "" : `\n${margin}`}]`);
      } else {
        this.#add(`[${open}`);
        for (let i = 0; i < object.length; i++) {
          if (i > 0) this.#add(separator);
          const item = this.#resolve(object[i]);
          if (isWritten(item)) this.#value(item, inner);
          else this.#add("null");
        }
        this.#add(indent === "" ? "]" : `\n${margin}]`);
      }
    } else {
      const record = object as Record<string, unknown>;
      const colon = indent === "" ? ":" : ": ";
      let written = 0;
      for (const key of sortedKeys(record)) {
        const member = this.#resolve(record[key]);
        if (!isWritten(member)) continue;
        const head = `${written === 0 ? `{${open}` : separator}${quoteKey(key)}${colon}`;
        written++;
        // A number, the most common member, goes with its key as one piece.
        if (typeof member === "number") {
          this.#add(head + (Number.isFinite(member) ? String(member) : "null"));
        } else {
          this.#add(head);
          this.#value(member, inner);
        }
      }
      if (written === 0) this.#add("{}");
      else this.#add(indent === "" ? "}" : `\n${margin}}`);
    }
    this.#ancestors.delete(object);
  }
}

/** Whether every item is a finite number (what `join` writes as JSON does). */
function allFinite(items: readonly unknown[]): boolean {
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (typeof item !== "number" || !Number.isFinite(item) || !(i in items)) return false;
  }
  return true;
}

/** Whether JSON writes a resolved value: `undefined`, functions and symbols it leaves out. */
function isWritten(value: unknown): boolean {
  const type = typeof value;
  return type !== "undefined" && type !== "function" && type !== "symbol";
}

/** A record's keys, sorted; those of a small record already in order are not sorted again. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    if ((keys[i - 1] as string) > (keys[i] as string)) return keys.sort();
  }
  return keys;
}

/** Strings JSON writes between quotes as they are: no quote, backslash, control character or surrogate. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON escapes
const PLAIN = /^[^"\\\u0000-\u001f\ud800-\udfff]*$/;

function quote(text: string): string {
  return PLAIN.test(text) ? `"${text}"` : JSON.stringify(text);
}

/** Quoted keys, which repeat in every summary and every scrape; bounded. */
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size >= 4096) quotedKeys.clear();
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

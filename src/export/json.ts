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
 *   record's `details`, at any depth, become `"[REDACTED]"`.
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
  return write(value, indent, "", new Set()) ?? "null";
}

function write(
  value: unknown,
  indent: string,
  margin: string,
  ancestors: Set<object>,
): string | undefined {
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return JSON.stringify(value);
    case "bigint":
      return JSON.stringify(`${value}n`);
    case "undefined":
    case "function":
    case "symbol":
      return undefined;
  }
  if (value === null) return "null";
  const object = value as object;
  if (ancestors.has(object)) return JSON.stringify("[Circular]");
  const toJSON = (object as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return write(toJSON.call(object), indent, margin, ancestors);
  ancestors.add(object);
  try {
    const inner = margin + indent;
    const open = indent === "" ? "" : `\n${inner}`;
    const close = indent === "" ? "" : `\n${margin}`;
    const separator = indent === "" ? "," : `,\n${inner}`;
    if (Array.isArray(object)) {
      if (object.length === 0) return "[]";
      const items = object.map((item) => write(item, indent, inner, ancestors) ?? "null");
      return `[${open}${items.join(separator)}${close}]`;
    }
    const record = object as Record<string, unknown>;
    const members: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const text = write(record[key], indent, inner, ancestors);
      if (text !== undefined)
        members.push(`${JSON.stringify(key)}:${indent === "" ? "" : " "}${text}`);
    }
    if (members.length === 0) return "{}";
    return `{${open}${members.join(separator)}${close}}`;
  } finally {
    ancestors.delete(object);
  }
}

/**
 * How a card lists a component's recent errors. Pure; the page writes these strings
 * with `textContent`, never as HTML, whatever an error message contains.
 */

import type { ErrorRecord } from "../../types.js";
import { formatTime } from "./format.js";

/** Errors listed per card, newest first. */
export const MAX_ERRORS_SHOWN = 10;
/** Characters of an error's details shown before they are cut with "…". */
export const MAX_DETAILS_SHOWN = 200;

/** One error as a list item shows it. */
export interface ErrorLine {
  /** When, as a time of day, followed by a space. */
  when: string;
  /** The error's class. */
  type: string;
  /** `" @ context "`. */
  where: string;
  /** The message. */
  message: string;
  /** Its details as JSON (cut), or `""` when it has none. */
  details: string;
}

/**
 * The line above the list: the newest error in one sentence.
 *
 * @param record - the newest error.
 * @returns the text.
 */
export function lastErrorText(record: Partial<ErrorRecord>): string {
  return `Last error: ${record.errorType || "Error"} in ${String(record.context)}: ${String(record.error)}`;
}

/**
 * An error's details as shown: compact JSON, cut after {@link MAX_DETAILS_SHOWN}
 * characters.
 *
 * @param details - the record's details.
 * @returns the text, or `""` for none.
 */
export function detailsText(details: unknown): string {
  if (typeof details !== "object" || details === null || Object.keys(details).length === 0) {
    return "";
  }
  const json = JSON.stringify(details);
  return json.length > MAX_DETAILS_SHOWN ? `${json.slice(0, MAX_DETAILS_SHOWN)}\u2026` : json;
}

/**
 * The list's items: the newest {@link MAX_ERRORS_SHOWN} errors, newest first.
 *
 * @param records - the component's recent errors, oldest first (as served).
 * @returns one line per error shown.
 */
export function errorLines(records: readonly Partial<ErrorRecord>[]): ErrorLine[] {
  return records
    .slice(-MAX_ERRORS_SHOWN)
    .reverse()
    .map((record) => ({
      when: `${formatTime(record.timestamp)} `,
      type: String(record.errorType || "Error"),
      where: ` @ ${String(record.context)} `,
      message: String(record.error),
      details: detailsText(record.details),
    }));
}

/**
 * A key that changes when the list would: the list is rebuilt only then, so an open
 * list keeps its scroll position across polls.
 *
 * @param records - the component's recent errors.
 * @returns the key.
 */
export function errorsKey(records: readonly Partial<ErrorRecord>[]): string {
  const newest = records[records.length - 1];
  return newest === undefined
    ? "0"
    : `${records.length}:${String(newest.timestamp)}:${String(newest.error)}`;
}

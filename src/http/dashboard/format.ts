/**
 * How the dashboard writes numbers, durations and times. Every function accepts
 * whatever a snapshot holds and never returns "NaN" or "Infinity".
 */

/** The dash shown where a number is missing. */
export const MISSING = "\u2013";

/**
 * A finite number, or 0 for anything else (missing fields, NaN, strings).
 *
 * @param value - a field of a snapshot.
 * @returns `value` when it is a finite number, else 0.
 */
export function finiteOrZero(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/**
 * Milliseconds with three significant-ish digits: 0.123, 1.23, 12.3, 123.
 *
 * @param value - milliseconds.
 * @returns the text, or {@link MISSING} when `value` is not a finite number.
 */
export function formatMs(value: unknown): string {
  if (typeof value !== "number" || !Number.isFinite(value)) return MISSING;
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  return value.toFixed(abs < 1 ? 3 : abs < 10 ? 2 : abs < 100 ? 1 : 0);
}

/**
 * A count, shortened from 10 000 on: 9999, 12.3k, 4.5M, 1.2G.
 *
 * @param value - the count (non-finite counts as 0).
 * @returns the text.
 */
export function formatCount(value: unknown): string {
  const count = finiteOrZero(value);
  const abs = Math.abs(count);
  if (abs >= 1e9) return `${(count / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(count / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(count / 1e3).toFixed(1)}k`;
  return String(Math.round(count * 100) / 100);
}

/**
 * A health score with one decimal, as the tracker rounds it.
 *
 * @param value - the score (non-finite counts as 0).
 * @returns the text, such as `"54.0"`.
 */
export function formatScore(value: unknown): string {
  return finiteOrZero(value).toFixed(1);
}

/**
 * An uptime: `"42s"`, `"3m 07s"`, `"5h 02m"`.
 *
 * @param seconds - whole or fractional seconds; negative or non-finite counts as 0.
 * @returns the text.
 */
export function formatDuration(seconds: unknown): string {
  const total = Math.max(0, Math.floor(finiteOrZero(seconds)));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  if (hours > 0) return `${hours}h ${pad2(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${pad2(rest)}s`;
  return `${rest}s`;
}

/**
 * A time of day in the browser's locale.
 *
 * @param time - epoch milliseconds, or an ISO 8601 string (the snapshot's timestamp).
 * @returns the text, or {@link MISSING} when `time` is no valid date.
 */
export function formatTime(time: unknown): string {
  const epochMs = typeof time === "string" ? Date.parse(time) : time;
  if (typeof epochMs !== "number" || !Number.isFinite(epochMs)) return MISSING;
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? MISSING : date.toLocaleTimeString();
}

/**
 * A chart's time span: whole minutes from one minute on, else whole seconds.
 *
 * @param spanMs - the span in milliseconds.
 * @returns the text, such as `"5 min"` or `"30 s"`.
 */
export function formatSpan(spanMs: number): string {
  const ms = finiteOrZero(spanMs);
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/**
 * A ratio as a percentage with one decimal: 0.075 → `"7.5%"`.
 *
 * @param ratio - 0..1 (non-finite counts as 0).
 * @returns the text.
 */
export function formatPercent(ratio: unknown): string {
  return `${(finiteOrZero(ratio) * 100).toFixed(1)}%`;
}

/**
 * Megabytes with two decimals.
 *
 * @param value - megabytes (non-finite counts as 0).
 * @returns the text, such as `"0.01 MB"`.
 */
export function formatMb(value: unknown): string {
  return `${finiteOrZero(value).toFixed(2)} MB`;
}

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

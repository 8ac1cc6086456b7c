/**
 * The dashboard's colour bands: which tone a score, a status or a verdict shows in.
 * The CSS classes `good`, `warn` and `bad` and {@link TONE_COLOURS} are the same three.
 */
import type { Verdict } from "../../types.js";

/** A tone; `""` is neutral (a status the page does not know). */
export type Tone = "good" | "warn" | "bad" | "";

/** The colour of each tone where the page needs it outside CSS (SVG strokes, canvas). */
export const TONE_COLOURS = {
  good: "#1a7f37",
  warn: "#bf8700",
  bad: "#cf222e",
} as const satisfies Record<Exclude<Tone, "">, string>;

/** Scores below this (or below the threshold, if lower) are in the bad band. */
export const WARN_FLOOR = 40;

/**
 * The band a health score falls in: good from the registry's threshold up, warn from
 * 40 (or the threshold, if lower), bad below.
 *
 * @param score - 0..100.
 * @param threshold - the registry's healthy threshold.
 * @returns the band.
 */
export function scoreBand(score: number, threshold: number): Exclude<Tone, ""> {
  if (score >= threshold) return "good";
  return score >= warnFrom(threshold) ? "warn" : "bad";
}

/**
 * Where the warn band starts on the gauge.
 *
 * @param threshold - the registry's healthy threshold.
 * @returns `min(40, threshold)`.
 */
export function warnFrom(threshold: number): number {
  return Math.min(WARN_FLOOR, threshold);
}

const STATUS_TONES: Readonly<Record<string, Tone>> = {
  connected: "good",
  active: "good",
  ok: "good",
  running: "good",
  error: "bad",
  timeout: "bad",
  disconnected: "bad",
  failed: "bad",
  initializing: "warn",
  reconnecting: "warn",
  degraded: "warn",
  connecting: "warn",
};

/**
 * The tone of a component's status pill.
 *
 * @param status - the status as reported.
 * @returns its tone; `""` for a status the page does not know.
 */
export function statusTone(status: string): Tone {
  return Object.hasOwn(STATUS_TONES, status) ? (STATUS_TONES[status] as Tone) : "";
}

const VERDICT_TONES: Readonly<Record<Verdict, Exclude<Tone, "">>> = {
  healthy: "good",
  degraded: "warn",
  unhealthy: "bad",
};

/**
 * The tone of a verdict.
 *
 * @param verdict - healthy, degraded or unhealthy.
 * @returns good, warn or bad.
 */
export function verdictTone(verdict: Verdict): Exclude<Tone, ""> {
  return VERDICT_TONES[verdict];
}

/**
 * Whether a served value is one of the three verdicts (a snapshot may lack it).
 *
 * @param value - `verdict` from a snapshot.
 * @returns true for `"healthy"`, `"degraded"` or `"unhealthy"`.
 */
export function isVerdict(value: unknown): value is Verdict {
  return typeof value === "string" && Object.hasOwn(VERDICT_TONES, value);
}

/**
 * The colour of a tone; neutral draws as bad, as the gauge did for an unknown band.
 *
 * @param tone - a tone.
 * @returns a CSS colour.
 */
export function toneColour(tone: Tone): string {
  return tone === "good"
    ? TONE_COLOURS.good
    : tone === "warn"
      ? TONE_COLOURS.warn
      : TONE_COLOURS.bad;
}

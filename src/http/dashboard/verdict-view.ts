/**
 * What the page says about health: the header's overall score and verdict, and each
 * card's verdict, reasons and recent failure ratio. Pure; a snapshot without the
 * verdict fields (an older server, a component that could not be collected) still
 * renders, with the score's healthy/unhealthy as before.
 */

import type { RecentActivity, Verdict } from "../../types.js";
import {
  finiteOrZero,
  formatCount,
  formatMb,
  formatPercent,
  formatScore,
  formatSpan,
  formatTime,
} from "./format.js";
import { isVerdict, scoreBand, type Tone, toneColour, verdictTone } from "./tone.js";
import type { ShownHealth, ShownReport, ShownSnapshot } from "./wire.js";

/** The threshold assumed when a snapshot does not carry one (the registry's default). */
export const DEFAULT_THRESHOLD = 70;

/** The header. */
export interface OverallView {
  /** The overall score. */
  score: number;
  /** The score as shown. */
  scoreText: string;
  /** The score's colour. */
  scoreColour: string;
  /** The verdict's text: the served verdict, else healthy/unhealthy from `healthy`. */
  verdictText: string;
  /** The verdict's tone. */
  verdictTone: Exclude<Tone, "">;
  /** The served verdict, when there is one. */
  verdict?: Verdict;
  /** Whether the registry counts as healthy. */
  healthy: boolean;
  /** Why the registry is not healthy, as served. */
  reasons: string[];
  /** Lowest score, weighted mean and threshold. */
  scoresText: string;
  /** The totals. */
  totalsText: string;
  /** When the snapshot was collected. */
  updatedText: string;
  /** The document's title. */
  documentTitle: string;
}

/**
 * The registry's healthy threshold as served, or {@link DEFAULT_THRESHOLD}.
 *
 * @param health - the snapshot's `health`, possibly missing.
 * @returns the threshold.
 */
export function thresholdOf(health: Partial<ShownHealth> | undefined): number {
  const threshold = health?.threshold;
  return typeof threshold === "number" && Number.isFinite(threshold)
    ? threshold
    : DEFAULT_THRESHOLD;
}

/**
 * The header for a snapshot.
 *
 * @param snapshot - the served snapshot (fields may be missing).
 * @param pageTitle - the dashboard's configured title.
 * @returns what the header shows.
 */
export function overallView(snapshot: Partial<ShownSnapshot>, pageTitle: string): OverallView {
  const health: Partial<ShownHealth> = snapshot.health ?? {};
  const totals = snapshot.totals;
  const score = finiteOrZero(health.score);
  const healthy = health.healthy === true;
  const verdict = isVerdict(health.verdict) ? health.verdict : undefined;
  const verdictText = verdict ?? (healthy ? "healthy" : "unhealthy");
  const tone = verdict === undefined ? (healthy ? "good" : "bad") : verdictTone(verdict);
  const view: OverallView = {
    score,
    scoreText: formatScore(score),
    scoreColour: toneColour(scoreBand(score, thresholdOf(health))),
    verdictText,
    verdictTone: tone,
    healthy,
    reasons: reasonsOf(health.reasons),
    scoresText: `lowest ${formatScore(health.lowest)} \u00b7 weighted mean ${formatScore(health.weightedMean)} \u00b7 threshold ${formatScore(health.threshold)}`,
    totalsText: `${formatCount(totals?.components)} components \u00b7 ${formatCount(totals?.failed)} failed \u00b7 ${formatCount(totals?.errors)} errors \u00b7 ${formatCount(totals?.operations)} operations \u00b7 ${formatMb(totals?.memoryUsageMb)}`,
    updatedText: `updated ${formatTime(snapshot.timestamp)}`,
    documentTitle: `${formatScore(score)} ${verdictText === "unhealthy" ? "UNHEALTHY" : verdictText} \u2013 ${pageTitle}`,
  };
  if (verdict !== undefined) view.verdict = verdict;
  return view;
}

/** A card's verdict, when its report carries one. */
export interface ComponentVerdictView {
  /** The verdict. */
  verdict: Verdict;
  /** Its tone. */
  tone: Exclude<Tone, "">;
  /** Why, as served (empty for healthy). */
  reasons: string[];
}

/**
 * A card's verdict.
 *
 * @param report - the component's report.
 * @returns the verdict and reasons, or `undefined` when the report has no verdict.
 */
export function componentVerdictView(
  report: Pick<ShownReport, "verdict" | "reasons">,
): ComponentVerdictView | undefined {
  if (!isVerdict(report.verdict)) return undefined;
  return {
    verdict: report.verdict,
    tone: verdictTone(report.verdict),
    reasons: reasonsOf(report.reasons),
  };
}

/** A card's recent failure ratio. */
export interface RecentView {
  /** The ratio as shown, such as `"7.5%"`. */
  ratioText: string;
  /** Errors and calls over the window, such as `"3 errors / 40 calls in 60 s"`. */
  detailText: string;
  /** The ratio, 0..1. */
  ratio: number;
}

/**
 * A card's recent failure ratio.
 *
 * @param recent - the component's `stats.recent`, possibly missing.
 * @returns what the card shows, or `undefined` when the tracker reports no recent activity.
 */
export function recentView(recent: Partial<RecentActivity> | undefined): RecentView | undefined {
  if (recent === undefined || recent === null || typeof recent !== "object") return undefined;
  const calls = finiteOrZero(recent.calls);
  const errors = finiteOrZero(recent.errors);
  const served = recent.errorRate;
  // The tracker's own rate when it is a ratio; recomputed (capped at 1) otherwise.
  const ratio =
    typeof served === "number" && served >= 0 && served <= 1
      ? served
      : calls > 0
        ? Math.min(1, errors / calls)
        : 0;
  const window = formatSpan(finiteOrZero(recent.windowMs));
  return {
    ratio,
    ratioText: formatPercent(ratio),
    detailText: `${formatCount(errors)} ${errors === 1 ? "error" : "errors"} / ${formatCount(calls)} ${calls === 1 ? "call" : "calls"} in ${window}`,
  };
}

function reasonsOf(reasons: unknown): string[] {
  return Array.isArray(reasons) ? reasons.map((reason) => String(reason)) : [];
}

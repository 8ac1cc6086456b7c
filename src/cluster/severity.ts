import type { Verdict } from "../types.js";

/**
 * Statuses from worst to best. The merged status of a component is the worst of its
 * workers' (one disconnected worker makes the component `"disconnected"`); a status
 * not listed here ranks after `"disconnected"` and before `"initializing"`, and
 * unlisted statuses rank among themselves in code-unit order, so the rule is total
 * and does not depend on the order of the workers.
 */
export const STATUS_ORDER: readonly string[] = Object.freeze([
  "error",
  "timeout",
  "disconnected",
  "initializing",
  "active",
  "connected",
]);

const UNLISTED_RANK = STATUS_ORDER.indexOf("initializing") - 0.5;

function statusRank(status: string): number {
  const rank = STATUS_ORDER.indexOf(status);
  return rank === -1 ? UNLISTED_RANK : rank;
}

/**
 * The worst status by {@link STATUS_ORDER}. Pure.
 *
 * @param values - at least one status.
 * @returns the worst of them.
 */
export function worstStatus(values: readonly string[]): string {
  let worst = values[0] as string;
  for (const status of values.slice(1)) {
    const difference = statusRank(status) - statusRank(worst);
    if (difference < 0 || (difference === 0 && status < worst)) worst = status;
  }
  return worst;
}

const VERDICT_ORDER: readonly Verdict[] = ["unhealthy", "degraded", "healthy"];

/**
 * The worst verdict: `"unhealthy"`, then `"degraded"`, then `"healthy"`. Pure.
 *
 * @param values - verdicts; `"healthy"` when there are none.
 * @returns the worst of them.
 */
export function worstVerdict(values: readonly Verdict[]): Verdict {
  let worst = VERDICT_ORDER.length - 1;
  for (const verdict of values) {
    // Anything unknown counts as the worst: a verdict that cannot be read is not healthy.
    const rank = VERDICT_ORDER.indexOf(verdict);
    worst = Math.min(worst, rank === -1 ? 0 : rank);
  }
  return VERDICT_ORDER[worst] as Verdict;
}

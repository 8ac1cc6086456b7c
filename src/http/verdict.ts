import type { CollectionOutcome, RegistrySnapshot } from "../registry/types.js";
import type { RecentActivity, Verdict } from "../types.js";

/** One component in the `/health` answer. */
export interface ComponentVerdict {
  /** The name it is registered under. */
  name: string;
  /** What it is doing now, by the registry's rules. */
  verdict: Verdict;
  /** Why it is not healthy, one finding each; empty when healthy. */
  reasons: string[];
  /** Whether it could be collected. */
  outcome: CollectionOutcome;
  /** Its status. */
  status: string;
  /** Its health score, 0..100, reported beside the verdict. */
  healthScore: number;
  /** Its recent calls and failures, when it reports them. */
  recent?: RecentActivity;
  /** Why it could not be collected, when it could not. */
  reason?: string;
}

/** The body of `GET /health` and `GET /health/ready`. */
export interface HealthVerdict {
  /** The registry's verdict: `"healthy"`, `"degraded"` or `"unhealthy"`. */
  status: Verdict;
  /** Whether the registry can serve (`status !== "unhealthy"`); the HTTP status is 200 exactly when this is true. */
  healthy: boolean;
  /** One line per component that is not healthy, naming it and why. */
  reasons: string[];
  /** The overall score (the lowest component score), reported beside the verdict. */
  score: number;
  /** The lowest component score. */
  lowest: number;
  /** The weighted mean of component scores. */
  weightedMean: number;
  /** The score threshold; it decides the verdict only when set as a minimum score. */
  threshold: number;
  /** Components that failed or timed out. */
  failed: number;
  /** When the snapshot was collected, as an ISO 8601 string; `null` when the clock gave no valid date. */
  timestamp: string | null;
  /** Every component, in registration order, with its verdict and reasons. */
  components: ComponentVerdict[];
}

/**
 * The `/health` answer for a snapshot. Pure. The registry judges; this only
 * reshapes its verdict, so the endpoint and `collect()` can never disagree:
 * `healthy` is `verdict !== "unhealthy"`, so a degraded registry still answers 200.
 *
 * @param snapshot - one registry collection.
 * @returns the verdict, plain data.
 */
export function healthVerdict(snapshot: RegistrySnapshot): HealthVerdict {
  const { health, totals } = snapshot;
  return {
    status: health.verdict,
    healthy: health.verdict !== "unhealthy",
    reasons: [...health.reasons],
    score: health.score,
    lowest: health.lowest,
    weightedMean: health.weightedMean,
    threshold: health.threshold,
    failed: totals.failed,
    timestamp: isoTime(snapshot.timestamp),
    components: snapshot.components.map((report) => {
      const verdict: ComponentVerdict = {
        name: report.name,
        verdict: report.verdict,
        reasons: [...report.reasons],
        outcome: report.outcome,
        status: report.status,
        healthScore: report.healthScore,
      };
      const recent = report.stats?.recent;
      if (recent !== undefined) verdict.recent = { ...recent };
      if (report.reason !== undefined) verdict.reason = report.reason;
      return verdict;
    }),
  };
}

/** An epoch-ms reading as ISO 8601; `null` for a reading no Date can hold. */
function isoTime(epochMs: number): string | null {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

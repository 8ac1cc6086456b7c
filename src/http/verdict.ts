import type { CollectionOutcome, RegistrySnapshot } from "../registry/types.js";

/** One component in the `/health` answer. */
export interface ComponentVerdict {
  /** The name it is registered under. */
  name: string;
  /** Whether it could be collected. */
  outcome: CollectionOutcome;
  /** Its status. */
  status: string;
  /** Its health score, 0..100. */
  healthScore: number;
  /** Why it could not be collected, when it could not. */
  reason?: string;
}

/** The body of `GET /health`. */
export interface HealthVerdict {
  /** `"healthy"` or `"unhealthy"`, for humans and simple probes. */
  status: "healthy" | "unhealthy";
  /** The registry's verdict; the HTTP status is 200 exactly when this is true. */
  healthy: boolean;
  /** The overall score. */
  score: number;
  /** The lowest component score. */
  lowest: number;
  /** The weighted mean of component scores. */
  weightedMean: number;
  /** The score at or above which the registry counts as healthy. */
  threshold: number;
  /** Components that failed or timed out. */
  failed: number;
  /** When the snapshot was collected, as an ISO 8601 string; `null` when the clock gave no valid date. */
  timestamp: string | null;
  /** Every component, in registration order. */
  components: ComponentVerdict[];
}

/**
 * The `/health` answer for a snapshot. Pure. The registry decides `healthy`; this
 * only reshapes it, so the endpoint and `collect()` can never disagree.
 *
 * @param snapshot - one registry collection.
 * @returns the verdict, plain data.
 */
export function healthVerdict(snapshot: RegistrySnapshot): HealthVerdict {
  const { health, totals } = snapshot;
  return {
    status: health.healthy ? "healthy" : "unhealthy",
    healthy: health.healthy,
    score: health.score,
    lowest: health.lowest,
    weightedMean: health.weightedMean,
    threshold: health.threshold,
    failed: totals.failed,
    timestamp: isoTime(snapshot.timestamp),
    components: snapshot.components.map((report) => {
      const verdict: ComponentVerdict = {
        name: report.name,
        outcome: report.outcome,
        status: report.status,
        healthScore: report.healthScore,
      };
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

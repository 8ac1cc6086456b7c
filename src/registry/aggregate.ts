import { roundToTenth } from "../compute/health.js";
import { add, roundMb } from "../compute/saturating.js";
import { judgeComponent, judgeRegistry, type VerdictRules } from "../compute/verdict.js";
import type { ComponentReport, RegistryHealth, RegistryTotals } from "./types.js";

/** A component's report as collected, before it is judged. */
export type CollectedReport = Omit<ComponentReport, "verdict" | "reasons">;

/**
 * Judges a collection and sums it up. Pure: the result depends only on the reports
 * and the rules, never on earlier collections.
 *
 * - Each component gets its verdict and reasons by the rules (see {@link VerdictRules}).
 * - The registry's verdict is its worst component's, softened for non-critical
 *   ones; `healthy` is `verdict !== "unhealthy"`, the answer probes read.
 * - Totals sum over the components that were collected; failed ones are counted
 *   in `failed` and add nothing else.
 * - The score is reported beside the verdict: `score` and `lowest` are the lowest
 *   component score (0 for a component that failed), `weightedMean` the weighted
 *   mean; with no components both are 100.
 *
 * @param reports - one report per registered component, in registration order.
 * @param threshold - the score threshold to report (it decides only through `rules.minScore`).
 * @param rules - resolved verdict rules.
 * @returns the judged reports, the totals and the registry's health.
 */
export function aggregateReports(
  reports: readonly CollectedReport[],
  threshold: number,
  rules: Readonly<VerdictRules>,
): { components: ComponentReport[]; totals: RegistryTotals; health: RegistryHealth } {
  const components = reports.map((report): ComponentReport => {
    const { verdict, reasons } = judgeComponent(
      {
        outcome: report.outcome,
        status: report.status,
        healthScore: report.healthScore,
        recent: report.stats?.recent,
        reason: report.reason,
      },
      rules,
    );
    return { ...report, verdict, reasons };
  });
  return { components, ...summarizeReports(components, threshold, rules) };
}

/**
 * The totals and health of reports already judged: the second half of
 * {@link aggregateReports}, for a view whose components come with their verdicts
 * (component-stats/cluster's merged view, whose verdicts are its workers'). Pure.
 *
 * @param components - judged reports, in registration order.
 * @param threshold - the score threshold to report.
 * @param rules - resolved verdict rules (the registry's verdict reads `nonCritical`).
 * @returns the totals and the registry's health.
 */
export function summarizeReports(
  components: readonly ComponentReport[],
  threshold: number,
  rules: Readonly<VerdictRules>,
): { totals: RegistryTotals; health: RegistryHealth } {
  let failed = 0;
  let errors = 0;
  let operations = 0;
  let memoryUsageMb = 0;
  let lowest = 100;
  // Every figure is finite, but their sums need not be (two counters near
  // Number.MAX_VALUE): the sums saturate, as the tracker's own counter sum does.
  for (const report of components) {
    const { stats } = report;
    if (report.outcome !== "ok" || stats === undefined) failed++;
    else {
      errors = add(errors, stats.errorCount);
      for (const value of Object.values(stats.counters)) operations = add(operations, value);
      memoryUsageMb = add(memoryUsageMb, stats.memoryUsageMb);
    }
    lowest = Math.min(lowest, report.healthScore);
  }
  const { verdict, reasons } = judgeRegistry(components, rules);
  return {
    totals: {
      components: components.length,
      failed,
      errors,
      operations,
      memoryUsageMb: roundMb(memoryUsageMb),
    },
    health: {
      score: lowest,
      lowest,
      weightedMean: weightedMean(components),
      threshold,
      healthy: verdict !== "unhealthy",
      verdict,
      reasons,
    },
  };
}

/**
 * The mean health score weighted by each component's `weight`, to a tenth; 100 with
 * no components. Weights near `Number.MAX_VALUE` (any finite weight > 0 is accepted)
 * overflow the plain sums, and are then taken as shares of the largest weight.
 */
function weightedMean(components: readonly ComponentReport[]): number {
  let weighted = 0;
  let weights = 0;
  for (const { healthScore, weight } of components) {
    weighted += healthScore * weight;
    weights += weight;
  }
  if (!Number.isFinite(weighted) || !Number.isFinite(weights)) {
    const largest = Math.max(...components.map((report) => report.weight));
    weighted = 0;
    weights = 0;
    for (const { healthScore, weight } of components) {
      weighted += healthScore * (weight / largest);
      weights += weight / largest;
    }
  }
  return weights > 0 ? roundToTenth(weighted / weights) : 100;
}

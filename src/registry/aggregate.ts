import { roundToTenth } from "../compute/health.js";
import type { ComponentReport, RegistryHealth, RegistryTotals } from "./types.js";

/**
 * The totals and the overall health of a collection. Pure.
 *
 * - Totals sum over the components that were collected; failed ones are counted
 *   in `failed` and add nothing else.
 * - Each component scores its `healthScore`, 0 when it failed.
 * - `score` is the lowest component score: one broken component should make the
 *   whole verdict bad, which a mean would hide behind nine healthy ones. The
 *   weighted mean is reported beside it for dashboards. With no components both
 *   are 100.
 * - `healthy` is `score >= threshold` and no component failed.
 *
 * @param reports - one report per registered component.
 * @param threshold - the healthy threshold, 0..100.
 * @returns the totals and the verdict.
 */
export function aggregateReports(
  reports: readonly ComponentReport[],
  threshold: number,
): { totals: RegistryTotals; health: RegistryHealth } {
  let failed = 0;
  let errors = 0;
  let operations = 0;
  let memoryUsageMb = 0;
  let lowest = 100;
  let weighted = 0;
  let weights = 0;
  for (const report of reports) {
    const { stats } = report;
    if (report.outcome !== "ok" || stats === undefined) failed++;
    else {
      errors += stats.errorCount;
      for (const value of Object.values(stats.counters)) operations += value;
      memoryUsageMb += stats.memoryUsageMb;
    }
    lowest = Math.min(lowest, report.healthScore);
    weighted += report.healthScore * report.weight;
    weights += report.weight;
  }
  const weightedMean = weights > 0 ? roundToTenth(weighted / weights) : 100;
  return {
    totals: {
      components: reports.length,
      failed,
      errors,
      operations,
      // Summing MB figures that carry 4 decimals would show float noise (0.30000000000000004).
      memoryUsageMb: Math.round(memoryUsageMb * 10_000) / 10_000,
    },
    health: {
      score: lowest,
      lowest,
      weightedMean,
      threshold,
      healthy: lowest >= threshold && failed === 0,
    },
  };
}

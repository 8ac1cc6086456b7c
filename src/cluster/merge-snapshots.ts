import { judgeComponent, type VerdictRules } from "../compute/verdict.js";
import { summarizeReports } from "../registry/aggregate.js";
import type { ComponentReport } from "../registry/types.js";
import type { ComponentStats } from "../types.js";
import { type GaugeRule, REPORT_RULES } from "./merge.js";
import { mergeFields, type Owned } from "./merge-fields.js";
import type { DecodedReply } from "./protocol.js";
import type { ClusterSnapshot, WorkerInfo, WorkerOutcome, WorkerReport } from "./types.js";

/** How asking one worker went, with its decoded answer when it answered. */
export interface WorkerAnswer {
  readonly info: WorkerInfo;
  readonly outcome: WorkerOutcome;
  readonly reason?: string;
  readonly durationMs?: number;
  /** Present exactly when `outcome` is `"ok"`. */
  readonly reply?: DecodedReply;
}

/** What a merge needs besides the answers. */
export interface MergeOptions {
  readonly timestamp: number;
  readonly healthyThreshold: number;
  /** The rules of the merged view's own verdicts: failed workers and the registry's (`nonCritical`). */
  readonly verdictRules: Readonly<VerdictRules>;
  readonly gaugeRule: (name: string) => GaugeRule;
}

/**
 * One snapshot from every worker's answer. Pure.
 *
 * - Components of one name in several workers become one report (see `merge.ts`),
 *   in the order they are first met (workers in order, each in registration order).
 * - Each worker that timed out or answered with an error adds a report named
 *   `worker:<key>` with that outcome and status, health 0 and the reason: it shows
 *   in `/metrics` (`…_status{component="worker:cluster-2",status="timeout"} 1`) and
 *   makes `/health` unhealthy, as a component that cannot be collected does. A
 *   worker that exited adds none: a restarted worker is not a failure of the view.
 * - A merged component's verdict is the worst of its workers' (see `REPORT_RULES`);
 *   a failed `worker:<key>` report is judged like a component that could not be
 *   collected: unhealthy.
 * - Totals and health are computed as a registry computes them, over these reports;
 *   the registry's verdict is the worst component's, softened for the names in
 *   `verdictRules.nonCritical`.
 *
 * @param answers - one per worker asked, in worker order.
 * @param departed - workers that left since the last collection, reported once.
 * @param carried - by component, the last stats of workers that did not collect it now.
 * @param options - timestamp, threshold, verdict rules and gauge rules.
 * @returns the merged snapshot.
 */
export function mergeAnswers(
  answers: readonly WorkerAnswer[],
  departed: readonly WorkerReport[],
  carried: ReadonlyMap<string, readonly Owned<ComponentStats>[]>,
  options: MergeOptions,
): ClusterSnapshot {
  const groups = new Map<string, Owned<ComponentReport>[]>();
  const windows = new Map<string, Map<string, ReadonlyMap<string, Float64Array>>>();
  for (const { info, reply } of answers) {
    if (reply === undefined) continue;
    for (const report of reply.snapshot.components) {
      const group = groups.get(report.name) ?? [];
      if (group.length === 0) groups.set(report.name, group);
      group.push({ owner: info.worker, value: report });
      const byOperation = reply.windows.get(report.name);
      if (byOperation === undefined) continue;
      const byOwner = windows.get(report.name) ?? new Map();
      if (byOwner.size === 0) windows.set(report.name, byOwner);
      byOwner.set(info.worker, byOperation);
    }
  }
  const components: ComponentReport[] = [];
  for (const [name, reports] of groups) {
    components.push(
      mergeFields(REPORT_RULES, reports, [], {
        carried: carried.get(name) ?? [],
        windows: windows.get(name) ?? new Map(),
        gaugeRule: options.gaugeRule,
      }),
    );
  }
  const names = new Set(groups.keys());
  for (const answer of answers) {
    const { outcome } = answer;
    if (outcome !== "timeout" && outcome !== "error") continue;
    const failed = {
      name: uniqueName(`worker:${answer.info.worker}`, names),
      outcome,
      status: outcome,
      healthScore: 0,
      weight: 1,
      reason: answer.reason ?? outcome,
    };
    components.push({ ...failed, ...judgeComponent(failed, options.verdictRules) });
  }
  return {
    timestamp: options.timestamp,
    components,
    ...summarizeReports(components, options.healthyThreshold, options.verdictRules),
    workers: [...answers.map(workerReport), ...departed],
  };
}

/** The `workers` entry of an answer. */
export function workerReport(answer: WorkerAnswer): WorkerReport {
  const report: WorkerReport = { ...answer.info, outcome: answer.outcome };
  if (answer.reason !== undefined) report.reason = answer.reason;
  if (answer.durationMs !== undefined) report.durationMs = answer.durationMs;
  if (answer.reply !== undefined) report.components = answer.reply.snapshot.components.length;
  return report;
}

/** `name`, or `name#2`, `name#3`, … when a component already has it. */
function uniqueName(name: string, taken: Set<string>): string {
  let unique = name;
  for (let n = 2; taken.has(unique); n++) unique = `${name}#${n}`;
  taken.add(unique);
  return unique;
}

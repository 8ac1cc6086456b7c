import { checkFinite, checkString, describeValue } from "../shared/validate.js";
import type { RecentActivity, Verdict } from "../types.js";

/**
 * The rules that turn what a component is doing now into a {@link Verdict}. One
 * table, configurable on the registry (`new StatisticsRegistry({ verdict: {...} })`):
 *
 * | rule | unhealthy | degraded |
 * | --- | --- | --- |
 * | collection | `getStats()` failed or timed out | |
 * | status (`statuses`, `unknownStatus`) | `error`, `disconnected` | `initializing`, `lagging`, any status not in the table |
 * | recent failures (`unhealthyErrorRate`, `degradedErrorRate`, `minCalls`) | >= 50% of the calls in the window failed | >= 5% failed |
 * | score (`minScore`) | below `minScore`, when set | |
 *
 * The failure rules apply once the window holds at least `minCalls` calls (or
 * failures); the window is the tracker's `recentWindowMs` (60 s by default). Otherwise a
 * component is healthy: age and idleness never count against it, and the score
 * decides nothing unless `minScore` is set. The registry takes its worst component,
 * an unhealthy one listed in `nonCritical` counting as degraded.
 */
export interface VerdictRules {
  /** Verdict per status; a status listed here takes this verdict. */
  statuses: Record<string, Verdict>;
  /** Verdict of a status missing from `statuses`. */
  unknownStatus: Verdict;
  /** Share of recent calls failed (0..1) at or above which a component is unhealthy. */
  unhealthyErrorRate: number;
  /** Share of recent calls failed (0..1) at or above which a component is degraded. */
  degradedErrorRate: number;
  /** Recent calls (or failures, if more) a component needs before its failure share counts. */
  minCalls: number;
  /** A component whose health score is below this is unhealthy; `null` lets the score decide nothing. */
  minScore: number | null;
  /** Registered names whose unhealthy verdict makes the registry only degraded. */
  nonCritical: readonly string[];
}

/** Options of the verdict: any {@link VerdictRules} to change; `statuses` merges key by key. */
export type VerdictOptions = { [K in keyof VerdictRules]?: VerdictRules[K] | undefined };

/** The defaults of the table in {@link VerdictRules}. */
export const DEFAULT_VERDICT_RULES: Readonly<VerdictRules> = Object.freeze({
  statuses: Object.freeze({
    connected: "healthy",
    active: "healthy",
    initializing: "degraded",
    lagging: "degraded",
    disconnected: "unhealthy",
    error: "unhealthy",
  }) as Record<string, Verdict>,
  unknownStatus: "degraded",
  unhealthyErrorRate: 0.5,
  degradedErrorRate: 0.05,
  minCalls: 10,
  minScore: null,
  nonCritical: Object.freeze([]) as readonly string[],
});

/** A verdict and why: one reason per rule that found something; none when healthy. */
export interface VerdictResult {
  /** The verdict. */
  verdict: Verdict;
  /** Each finding that made it worse than healthy, in the table's order. */
  reasons: string[];
}

/** What a component is judged on: a registry report's fields. */
export interface VerdictInput {
  /** Whether it could be collected. */
  outcome: "ok" | "error" | "timeout";
  /** Its status. */
  status: string;
  /** Its health score, 0..100. */
  healthScore: number;
  /** Its recent calls and failures, when it reports them. */
  recent?: RecentActivity | undefined;
  /** Why it could not be collected. */
  reason?: string | undefined;
}

const VERDICTS: readonly Verdict[] = ["healthy", "degraded", "unhealthy"];
const SEVERITY: Readonly<Record<Verdict, number>> = { healthy: 0, degraded: 1, unhealthy: 2 };

/** The worse of two verdicts. */
export function worseVerdict(a: Verdict, b: Verdict): Verdict {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** Whether `a` is better (less severe) than `b`. */
export function isBetterVerdict(a: Verdict, b: Verdict): boolean {
  return SEVERITY[a] < SEVERITY[b];
}

/**
 * Judges one component by the rules. Pure: the same report and rules give the same
 * verdict, whenever and however often it is asked.
 *
 * @param input - the component's report.
 * @param rules - resolved rules ({@link resolveVerdictRules}).
 * @returns the verdict and its reasons.
 * @example
 * ```ts
 * judgeComponent({ outcome: "ok", status: "connected", healthScore: 62 }).verdict; // "healthy"
 * ```
 */
export function judgeComponent(
  input: VerdictInput,
  rules: Readonly<VerdictRules> = DEFAULT_VERDICT_RULES,
): VerdictResult {
  if (input.outcome !== "ok") {
    const why = input.reason === undefined ? "" : `: ${input.reason}`;
    return { verdict: "unhealthy", reasons: [`not collected (${input.outcome})${why}`] };
  }
  let verdict: Verdict = "healthy";
  const reasons: string[] = [];
  const find = (found: Verdict, reason: string): void => {
    if (found === "healthy") return;
    verdict = worseVerdict(verdict, found);
    reasons.push(reason);
  };

  const { status } = input;
  if (Object.hasOwn(rules.statuses, status)) {
    find(rules.statuses[status] as Verdict, `status ${JSON.stringify(status)}`);
  } else {
    find(rules.unknownStatus, `status ${JSON.stringify(status)} (not in the status table)`);
  }

  const { recent } = input;
  if (recent !== undefined) {
    const attempts = Math.max(recent.calls, recent.errors);
    if (attempts >= rules.minCalls && attempts > 0) {
      const share = recent.errors / attempts;
      const found =
        share >= rules.unhealthyErrorRate
          ? "unhealthy"
          : share >= rules.degradedErrorRate
            ? "degraded"
            : "healthy";
      find(
        found,
        `${formatCount(recent.errors)} of ${formatCount(attempts)} calls failed in the last ${formatCount(recent.windowMs / 1000)} s (${formatCount(Math.round(share * 1000) / 10)}%)`,
      );
    }
  }

  if (rules.minScore !== null && input.healthScore < rules.minScore) {
    find("unhealthy", `health score ${input.healthScore} is below the minimum ${rules.minScore}`);
  }
  return { verdict, reasons };
}

/**
 * Judges the registry: as bad as its worst component, except that a component
 * listed in `rules.nonCritical` makes it at most degraded. Pure.
 *
 * @param components - each component's name and verdict.
 * @param rules - resolved rules.
 * @returns the verdict (healthy with no components) and one reason per component
 *   that is not healthy, naming it.
 */
export function judgeRegistry(
  components: readonly ({ name: string } & VerdictResult)[],
  rules: Readonly<VerdictRules> = DEFAULT_VERDICT_RULES,
): VerdictResult {
  let verdict: Verdict = "healthy";
  const reasons: string[] = [];
  for (const component of components) {
    if (component.verdict === "healthy") continue;
    const softened =
      component.verdict === "unhealthy" && rules.nonCritical.includes(component.name);
    verdict = worseVerdict(verdict, softened ? "degraded" : component.verdict);
    const label = softened ? "unhealthy (not critical)" : component.verdict;
    const why = component.reasons.length > 0 ? `: ${component.reasons.join("; ")}` : "";
    reasons.push(`${component.name} is ${label}${why}`);
  }
  return { verdict, reasons };
}

/**
 * Merges options over {@link DEFAULT_VERDICT_RULES} and checks them.
 *
 * @param options - the rules to change; `statuses` merges key by key. Only an
 *   absent (or `undefined`) option takes its default: `null` is bad input like any
 *   other, except for `minScore`, where it means none.
 * @param defaults - what an absent option takes.
 * @returns frozen, complete rules.
 * @throws TypeError or RangeError naming the option (`verdict.minCalls`, …) that is not valid.
 */
export function resolveVerdictRules(
  options: VerdictOptions = {},
  defaults: Readonly<VerdictRules> = DEFAULT_VERDICT_RULES,
): Readonly<VerdictRules> {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`verdict\` to be an object, got ${describeValue(options)}`);
  }
  const pick = <K extends keyof VerdictRules>(key: K): VerdictRules[K] =>
    options[key] === undefined ? defaults[key] : (options[key] as VerdictRules[K]);
  const { statuses } = options;
  if (
    statuses !== undefined &&
    (typeof statuses !== "object" || statuses === null || Array.isArray(statuses))
  ) {
    throw new TypeError(
      `Expected \`verdict.statuses\` to be an object, got ${describeValue(statuses)}`,
    );
  }
  const table: Record<string, Verdict> = { ...defaults.statuses };
  for (const [status, verdict] of Object.entries(statuses ?? {})) {
    checkVerdict(verdict, `verdict.statuses.${status}`);
    // defineProperty: a status named "__proto__" is data, not the prototype.
    Object.defineProperty(table, status, { value: verdict, enumerable: true, writable: false });
  }
  const unknownStatus = pick("unknownStatus");
  checkVerdict(unknownStatus, "verdict.unknownStatus");
  const unhealthyErrorRate = pick("unhealthyErrorRate");
  const degradedErrorRate = pick("degradedErrorRate");
  checkShare(unhealthyErrorRate, "verdict.unhealthyErrorRate");
  checkShare(degradedErrorRate, "verdict.degradedErrorRate");
  if (degradedErrorRate > unhealthyErrorRate) {
    throw new RangeError(
      `Expected \`verdict.degradedErrorRate\` (${degradedErrorRate}) to be <= \`verdict.unhealthyErrorRate\` (${unhealthyErrorRate})`,
    );
  }
  const minCalls = pick("minCalls");
  checkFinite(minCalls, "verdict.minCalls");
  if (minCalls < 0) {
    throw new RangeError(
      `Expected \`verdict.minCalls\` to be >= 0, got ${describeValue(minCalls)}`,
    );
  }
  const minScore = pick("minScore");
  if (minScore !== null) {
    checkFinite(minScore, "verdict.minScore");
    if (minScore < 0 || minScore > 100) {
      throw new RangeError(
        `Expected \`verdict.minScore\` to be null or a number from 0 to 100, got ${describeValue(minScore)}`,
      );
    }
  }
  const nonCritical = pick("nonCritical");
  if (!Array.isArray(nonCritical)) {
    throw new TypeError(
      `Expected \`verdict.nonCritical\` to be an array of component names, got ${describeValue(nonCritical)}`,
    );
  }
  nonCritical.forEach((name, i) => {
    checkString(name, `verdict.nonCritical[${i}]`);
  });
  return Object.freeze({
    statuses: Object.freeze(table),
    unknownStatus,
    unhealthyErrorRate,
    degradedErrorRate,
    minCalls,
    minScore,
    nonCritical: Object.freeze([...nonCritical]),
  });
}

function checkVerdict(value: unknown, option: string): asserts value is Verdict {
  if (!VERDICTS.includes(value as Verdict)) {
    throw new TypeError(
      `Expected \`${option}\` to be "healthy", "degraded" or "unhealthy", got ${describeValue(value)}`,
    );
  }
}

function checkShare(value: unknown, option: string): asserts value is number {
  checkFinite(value, option);
  if (value <= 0 || value > 1) {
    throw new RangeError(
      `Expected \`${option}\` to be a share > 0 and <= 1, got ${describeValue(value)}`,
    );
  }
}

/** A count as people read it: whole numbers as they are, others to two decimals. */
function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

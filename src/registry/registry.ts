import {
  DEFAULT_VERDICT_RULES,
  resolveVerdictRules,
  type VerdictRules,
} from "../compute/verdict.js";
import { type Clock, checkClockOption, readClock, systemClock } from "../shared/clock.js";
import { OWNED_STATS, REGISTERED_SOURCES } from "../shared/internal-keys.js";
import { truncate } from "../shared/sanitize.js";
import { checkFinite, checkInteger, checkName, describeValue } from "../shared/validate.js";
import { errorMessage, errorType } from "../stores/error-info.js";
import { BaseStatisticsTracker } from "../tracker/tracker.js";
import type { ComponentStats, ErrorRecord } from "../types.js";
import { aggregateReports, type CollectedReport } from "./aggregate.js";
import { CallSlot, type SlotAnswer } from "./call-slot.js";
import { checkHealthScore, checkRecentErrors, checkStats } from "./check-report.js";
import { isStatsSource, type StatsSource } from "./source.js";
import type { RegisterOptions, RegistryOptions, RegistrySnapshot } from "./types.js";

/** Records asked of a source that offers `getRecentErrors()`. */
export const REGISTRY_RECENT_ERRORS = 10;

/** The longest timeout `setTimeout` honours; longer ones fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const MAX_REASON_LENGTH = 1024;

/** What one call to a component gathers. */
interface Reading {
  readonly stats: ComponentStats;
  readonly recentErrors: ErrorRecord[] | undefined;
}

interface Registration {
  readonly name: string;
  readonly source: StatsSource;
  readonly weight: number;
  readonly slot: CallSlot<Reading>;
}

/**
 * Many components, one view: collects the snapshot and health of every registered
 * {@link StatsSource} in parallel, each under a timeout, into one
 * {@link RegistrySnapshot} with totals and an overall health verdict.
 *
 * A component that throws, returns something malformed or does not answer within
 * `componentTimeoutMs` never fails the collection: it is reported with outcome and
 * status `"error"` or `"timeout"`, health 0 and the reason. A component is asked
 * once at a time: one whose call has not answered within a whole timeout is not
 * asked again until it does, and is reported as timed out since that call
 * (`pendingSinceMs`), so a hung component costs one pending call, not one per
 * collection.
 *
 * Nothing is cached here: every collection asks every component, so a collection
 * that starts after an awaited write sees it. A {@link BaseStatisticsTracker} serves
 * repeated reads from its own cache.
 *
 * @example
 * ```ts
 * const registry = new StatisticsRegistry();
 * registry.register(new BaseStatisticsTracker("order_manager"));
 * registry.register(feedTracker, { name: "feed", weight: 2 });
 * const snapshot = await registry.collect();
 * if (!snapshot.health.healthy) console.warn(snapshot.health.score);
 * ```
 */
export class StatisticsRegistry {
  readonly #entries = new Map<string, Registration>();
  readonly #clock: Clock;
  readonly #componentTimeoutMs: number;
  readonly #healthyThreshold: number;
  readonly #verdictRules: Readonly<VerdictRules>;
  /**
   * Each registered source by the name it is listed under, in registration order:
   * component-stats/cluster reads the trackers' raw timing windows through it. Set on
   * each instance by the constructor (see there why it is not a method).
   *
   * @internal
   */
  declare readonly [REGISTERED_SOURCES]: () => Map<string, object>;

  /**
   * @param options - timeout, healthy threshold and clock.
   * @throws TypeError or RangeError naming the option that is not valid.
   */
  constructor(options: RegistryOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const {
      componentTimeoutMs = 1000,
      healthyThreshold = 70,
      cacheTtlMs = 0,
      clock,
      verdict = {},
    } = options;
    checkFinite(componentTimeoutMs, "componentTimeoutMs");
    if (componentTimeoutMs <= 0 || componentTimeoutMs > MAX_TIMEOUT_MS) {
      throw new RangeError(
        `Expected \`componentTimeoutMs\` to be a number > 0 and <= ${MAX_TIMEOUT_MS}, got ${describeValue(componentTimeoutMs)}`,
      );
    }
    checkFinite(healthyThreshold, "healthyThreshold");
    if (healthyThreshold < 0 || healthyThreshold > 100) {
      throw new RangeError(
        `Expected \`healthyThreshold\` to be a number from 0 to 100, got ${describeValue(healthyThreshold)}`,
      );
    }
    // Deprecated and without effect, but still checked as in 0.1.
    checkInteger(cacheTtlMs, "cacheTtlMs", 0);
    checkClockOption(clock, "clock");
    this.#clock = clock ?? systemClock;
    this.#componentTimeoutMs = componentTimeoutMs;
    // A healthyThreshold given explicitly keeps deciding, as in 0.1, unless verdict.minScore is set.
    const minScore = options.healthyThreshold === undefined ? null : healthyThreshold;
    this.#verdictRules = resolveVerdictRules(verdict, { ...DEFAULT_VERDICT_RULES, minScore });
    this.#healthyThreshold = this.#verdictRules.minScore ?? healthyThreshold;
    // Not a method: a class with a computed member key stays in every bundle that imports
    // the package, used or not (a bundler cannot tell that evaluating the key is free),
    // which put the whole registry into tracker-only browser bundles.
    Object.defineProperty(this, REGISTERED_SOURCES, {
      value: () => {
        const sources = new Map<string, object>();
        for (const [name, entry] of this.#entries) sources.set(name, entry.source);
        return sources;
      },
    });
  }

  /**
   * Adds a component. It is listed under `options.name`, else under the source's
   * `componentName` (which every {@link BaseStatisticsTracker} has).
   *
   * @param source - any {@link StatsSource}: a tracker, a {@link StatisticsProvider},
   *   or an object with a `getStats()` method.
   * @param options - the name to list it under and its weight in the mean health.
   * @throws TypeError when `source` is not a stats source, or no name is given and it
   *   has no string `componentName`; TypeError or RangeError naming a bad option;
   *   Error when a component of that name is already registered.
   */
  register(source: StatsSource, options: RegisterOptions = {}): void {
    if (!isStatsSource(source)) {
      throw new TypeError(
        `Expected \`source\` to be a StatsSource (an object with a getStats() method, and getHealthScore and getRecentErrors methods if any), got ${describeValue(source)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const { weight = 1 } = options;
    let name: unknown = options.name;
    if (name === undefined) {
      name = source.componentName;
      if (typeof name !== "string") {
        throw new TypeError(
          `Expected \`options.name\` or the source's \`componentName\` to be a non-empty string, got ${describeValue(name)}`,
        );
      }
      checkName(name, "componentName");
    } else {
      checkName(name, "options.name");
    }
    checkFinite(weight, "options.weight");
    if (weight <= 0) {
      throw new RangeError(
        `Expected \`options.weight\` to be a number > 0, got ${describeValue(weight)}`,
      );
    }
    if (this.#entries.has(name)) {
      throw new Error(`A component named ${JSON.stringify(name)} is already registered`);
    }
    const slot = new CallSlot<Reading>(() => this.#now());
    this.#entries.set(name, { name, source, weight, slot });
  }

  /**
   * Removes a component.
   *
   * @param name - the name it was registered under.
   * @returns true when a component of that name was registered.
   */
  unregister(name: string): boolean {
    return this.#entries.delete(name);
  }

  /** The names of the registered components, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Collects every component's `getStats()` and, when it has one,
   * `getRecentErrors()`, all components in parallel, each under
   * `componentTimeoutMs`. The health score is the snapshot's `healthScore`;
   * `getHealthScore()` is asked only of a source whose snapshot has none. Never
   * rejects because of a component.
   *
   * Each component's snapshot is copied at most once: a tracker whose `getStats()` is
   * the base one hands over a fresh snapshot taken for the registry alone (a cached
   * one is copied), kept unchecked; what any other source returns is copied while it
   * is checked, so later changes to its objects do not show.
   *
   * @returns a new snapshot; components in registration order.
   * @throws RangeError when the registry's clock returns something not finite.
   */
  async collect(): Promise<RegistrySnapshot> {
    const timestamp = this.#now();
    const entries = [...this.#entries.values()];
    const collected = await Promise.all(entries.map((entry) => this.#collectOne(entry)));
    return {
      timestamp,
      ...aggregateReports(collected, this.#healthyThreshold, this.#verdictRules),
    };
  }

  async #collectOne(entry: Registration): Promise<CollectedReport> {
    let answer: SlotAnswer<Reading>;
    try {
      answer = await entry.slot.ask(() => read(entry.source), this.#componentTimeoutMs);
    } catch (error) {
      return failedReport(entry, "error", `${errorType(error)}: ${errorMessage(error)}`);
    }
    if (!answer.answered) {
      const reason = answer.asked
        ? `${JSON.stringify(entry.name)} did not answer within ${this.#componentTimeoutMs} ms`
        : `${JSON.stringify(entry.name)} has not answered a call made at ${describeTime(answer.pendingSinceMs)}; it is not asked again until that call settles`;
      return { ...failedReport(entry, "timeout", reason), pendingSinceMs: answer.pendingSinceMs };
    }
    // Collections that waited for the same call got the same objects: each takes a copy.
    const { stats, recentErrors } = answer.shared ? copyReading(answer.value) : answer.value;
    const report: CollectedReport = {
      name: entry.name,
      outcome: "ok",
      status: stats.status,
      healthScore: stats.healthScore,
      weight: entry.weight,
      stats,
    };
    if (recentErrors !== undefined) report.recentErrors = recentErrors;
    return report;
  }

  /** Reads the clock, rejecting a reading that is not finite. */
  #now(): number {
    return readClock(this.#clock);
  }
}

/**
 * One call to a component: its snapshot and recent errors in parallel, then its
 * health score if the snapshot has none. A tracker's own `getStats()` and
 * `getRecentErrors()` return objects nothing else holds, kept as they are; anything
 * else is copied.
 */
async function read(source: StatsSource): Promise<Reading> {
  // Each method is read once: a getter or a Proxy cannot answer two reads differently.
  const { getStats, getRecentErrors, getHealthScore } = source;
  const owned = getStats === BASE_GET_STATS;
  const [rawStats, rawErrors] = await Promise.all([
    owned ? ownedStats(source) : getStats.call(source),
    getRecentErrors?.call(source, REGISTRY_RECENT_ERRORS),
  ]);
  // A snapshot the tracker built itself, for the registry alone, needs no check: its
  // numbers are finite by construction (the tracker's tests hold it to that).
  const stats = owned
    ? (rawStats as ComponentStats)
    : checkStats(rawStats, getStats !== BaseStatisticsTracker.prototype.getStats);
  const recentErrors =
    getRecentErrors === undefined
      ? undefined
      : checkRecentErrors(
          rawErrors,
          getRecentErrors !== BaseStatisticsTracker.prototype.getRecentErrors,
        );
  if (stats.healthScore === undefined) {
    if (getHealthScore === undefined) {
      throw new TypeError(
        "Expected getStats().healthScore to be a number from 0 to 100, or the source to have a getHealthScore() method, got undefined",
      );
    }
    // `stats` is a copy here (a tracker's snapshot always has its score).
    stats.healthScore = checkHealthScore(await getHealthScore.call(source));
  }
  return { stats: stats as ComponentStats, recentErrors };
}

/** The tracker's own getStats(), as this copy of the package loaded it (a spy put on the prototype later is not it). */
const BASE_GET_STATS = BaseStatisticsTracker.prototype.getStats;

/**
 * What a tracker whose getStats() is the base one returns from it, without the copy
 * a caller that may share the object needs: the registry keeps it.
 */
function ownedStats(source: StatsSource): Promise<ComponentStats> {
  const owned = (source as Partial<Pick<BaseStatisticsTracker, typeof OWNED_STATS>>)[OWNED_STATS];
  return typeof owned === "function" ? owned.call(source) : BASE_GET_STATS.call(source);
}

function copyReading({ stats, recentErrors }: Reading): Reading {
  return {
    stats: checkStats(stats, true) as ComponentStats,
    recentErrors: recentErrors === undefined ? undefined : checkRecentErrors(recentErrors, true),
  };
}

function failedReport(
  entry: Registration,
  outcome: "error" | "timeout",
  reason: string,
): CollectedReport {
  return {
    name: entry.name,
    outcome,
    status: outcome,
    healthScore: 0,
    weight: entry.weight,
    reason: truncate(reason, MAX_REASON_LENGTH),
  };
}

/** An epoch-milliseconds reading as ISO 8601, or as a number when no date can show it. */
function describeTime(epochMs: number): string {
  const date = new Date(epochMs);
  return Number.isNaN(date.getTime()) ? `${epochMs} ms` : date.toISOString();
}

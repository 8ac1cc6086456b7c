import { type Clock, systemClock } from "../shared/clock.js";
import { DeadlineError, withDeadline } from "../shared/deadline.js";
import { REGISTERED_SOURCES } from "../shared/internal-keys.js";
import { truncate } from "../shared/sanitize.js";
import { checkFinite, checkInteger, checkName, describeValue } from "../shared/validate.js";
import { errorMessage, errorType } from "../stores/error-info.js";
import { TtlCache } from "../stores/ttl-cache.js";
import { isStatisticsProvider, type StatisticsProvider } from "../tracker/provider.js";
import { copyStats } from "../tracker/stats.js";
import type { ComponentStats, ErrorRecord } from "../types.js";
import { aggregateReports } from "./aggregate.js";
import { checkHealthScore, checkRecentErrors, checkStats } from "./check-report.js";
import { sameData } from "./same-data.js";
import type {
  ComponentReport,
  RegisterOptions,
  RegistryOptions,
  RegistrySnapshot,
} from "./types.js";

/** Records asked of a provider that offers `getRecentErrors()`. */
export const REGISTRY_RECENT_ERRORS = 10;

/** The longest timeout `setTimeout` honours; longer ones fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const SNAPSHOT_KEY = "snapshot";
const MAX_REASON_LENGTH = 1024;

interface Registration {
  readonly name: string;
  readonly provider: StatisticsProvider;
  readonly weight: number;
}

type RecentErrorsReader = { getRecentErrors(limit?: number): Promise<unknown> };

/**
 * Many components, one view: collects the snapshot and health of every registered
 * {@link StatisticsProvider} in parallel, each under a timeout, into one
 * {@link RegistrySnapshot} with totals and an overall health verdict.
 *
 * A component that throws, returns something malformed or does not answer within
 * `componentTimeoutMs` never fails the collection: it is reported with outcome and
 * status `"error"` or `"timeout"`, health 0 and the reason.
 *
 * Snapshots are cached for `cacheTtlMs` on the registry's clock, and invalidated by
 * `register()`, `unregister()` and by any write to a registered component (see
 * {@link StatisticsRegistry.collect}). Every snapshot returned is a copy.
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
  readonly #cache: TtlCache;
  /** Bumped by register and unregister: a cached snapshot of another generation lists other components. */
  #generation = 0;

  /**
   * @param options - timeout, healthy threshold, cache TTL and clock.
   * @throws TypeError or RangeError naming the option that is not valid.
   */
  constructor(options: RegistryOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const { componentTimeoutMs = 1000, healthyThreshold = 70, cacheTtlMs = 5000, clock } = options;
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
    // Whole milliseconds, as for a tracker: lru-cache rejects a fractional TTL naming no option.
    checkInteger(cacheTtlMs, "cacheTtlMs", 0);
    if (
      clock !== undefined &&
      (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
    ) {
      throw new TypeError(
        `Expected \`clock\` to be an object with a now() method, got ${describeValue(clock)}`,
      );
    }
    this.#clock = clock ?? systemClock;
    this.#componentTimeoutMs = componentTimeoutMs;
    this.#healthyThreshold = healthyThreshold;
    this.#cache = new TtlCache(cacheTtlMs, { now: () => this.#now() });
  }

  /**
   * Adds a component. It is listed under `options.name`, else under the provider's
   * `componentName` (which every {@link BaseStatisticsTracker} has).
   *
   * @param provider - any {@link StatisticsProvider}.
   * @param options - the name to list it under and its weight in the mean health.
   * @throws TypeError when `provider` is not a provider, or no name is given and it
   *   has no string `componentName`; TypeError or RangeError naming a bad option;
   *   Error when a component of that name is already registered.
   */
  register(provider: StatisticsProvider, options: RegisterOptions = {}): void {
    if (!isStatisticsProvider(provider)) {
      throw new TypeError(
        `Expected \`provider\` to be a StatisticsProvider (an object with increment, setGauge, recordTiming, trackError, getStats and getHealthScore methods), got ${describeValue(provider)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const { weight = 1 } = options;
    let name: unknown = options.name;
    if (name === undefined) {
      name = (provider as { componentName?: unknown }).componentName;
      if (typeof name !== "string") {
        throw new TypeError(
          `Expected \`options.name\` or the provider's \`componentName\` to be a non-empty string, got ${describeValue(name)}`,
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
    this.#entries.set(name, { name, provider, weight });
    this.#generation++;
  }

  /**
   * Removes a component.
   *
   * @param name - the name it was registered under.
   * @returns true when a component of that name was registered.
   */
  unregister(name: string): boolean {
    const removed = this.#entries.delete(name);
    if (removed) this.#generation++;
    return removed;
  }

  /** The names of the registered components, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Each registered source by the name it is listed under, in registration order:
   * component-stats/cluster reads the trackers' raw timing windows through it.
   *
   * @internal
   */
  [REGISTERED_SOURCES](): Map<string, object> {
    const sources = new Map<string, object>();
    for (const [name, entry] of this.#entries) sources.set(name, entry.provider);
    return sources;
  }

  /**
   * Collects every component's `getStats()`, `getHealthScore()` and, when it has
   * one, `getRecentErrors()`, all components in parallel, each under
   * `componentTimeoutMs`. Never rejects because of a component.
   *
   * Caching. A registry cannot see writes to its components, so it cannot drop its
   * cache on a write the way a tracker does. It asks them instead: while a cached
   * snapshot is younger than `cacheTtlMs` and no component was registered or
   * unregistered since, each component is asked only for `getStats()` (and its
   * recent errors), which a tracker serves from its own cache for the cost of a copy.
   * A component whose answers equal, field by field, those its cached report was
   * built from keeps that report without being asked for its health; when every
   * component does, the cached snapshot itself (with its timestamp) is returned.
   *
   * Why that is sound: a tracker invalidates its own cache on every write, and a
   * write that changes its state shows in what it returns (a counter, gauge, timing
   * count, error count, status or `lastActivity`; a reset followed by the same
   * number of errors in the same millisecond still shows in the recent errors). A
   * write that changes nothing it reports (the same gauge value in the same
   * millisecond) leaves nothing to refresh. Its health score is part of
   * `getStats()`, computed with the same cache, so equal stats mean an equal score;
   * any other provider is held to the same contract, as `ComponentStats` carries
   * `healthScore`. Hence a collection that starts after an awaited write sees it,
   * as with a tracker, and a reused report differs from a fresh one in nothing.
   * Concurrent calls are not merged, for the same reason: a call must not be
   * answered by a collection that began before the write it awaited.
   *
   * @returns a fresh copy of the snapshot; components in registration order.
   */
  async collect(): Promise<RegistrySnapshot> {
    const generation = this.#generation;
    const entries = [...this.#entries.values()];
    const cached = this.#cache.get<RegistrySnapshot>(SNAPSHOT_KEY, generation);
    const previous = new Map<string, ComponentReport>();
    for (const report of cached?.components ?? []) {
      if (report.outcome === "ok") previous.set(report.name, report);
    }
    const timestamp = this.#now();
    const results = await Promise.all(
      entries.map((entry) => this.#collectOne(entry, previous.get(entry.name))),
    );
    if (cached !== undefined && results.every((result) => result.reused)) {
      return copySnapshot(cached);
    }
    const components = results.map((result) => result.report);
    const snapshot: RegistrySnapshot = {
      timestamp,
      components,
      ...aggregateReports(components, this.#healthyThreshold),
    };
    // A register or unregister during the collection makes this snapshot list the
    // wrong components: return it, but do not serve it to later calls.
    if (generation === this.#generation) this.#cache.set(SNAPSHOT_KEY, snapshot, generation);
    return copySnapshot(snapshot);
  }

  async #collectOne(
    entry: Registration,
    previous: ComponentReport | undefined,
  ): Promise<{ report: ComponentReport; reused: boolean }> {
    const { provider } = entry;
    const readErrors = hasRecentErrors(provider)
      ? async () => checkRecentErrors(await provider.getRecentErrors(REGISTRY_RECENT_ERRORS))
      : async () => undefined;
    const readStats = async () => checkStats(await provider.getStats());
    const readHealth = async () => checkHealthScore(await provider.getHealthScore());
    try {
      return await withDeadline(
        async () => {
          if (previous !== undefined) {
            const [stats, recentErrors] = await Promise.all([readStats(), readErrors()]);
            if (sameData(stats, previous.stats) && sameData(recentErrors, previous.recentErrors)) {
              return { report: previous, reused: true };
            }
            return {
              report: okReport(entry, stats, await readHealth(), recentErrors),
              reused: false,
            };
          }
          const [stats, healthScore, recentErrors] = await Promise.all([
            readStats(),
            readHealth(),
            readErrors(),
          ]);
          return { report: okReport(entry, stats, healthScore, recentErrors), reused: false };
        },
        this.#componentTimeoutMs,
        `${JSON.stringify(entry.name)} did not answer within ${this.#componentTimeoutMs} ms`,
      );
    } catch (error) {
      const outcome = error instanceof DeadlineError ? "timeout" : "error";
      const reason =
        error instanceof DeadlineError
          ? error.message
          : `${errorType(error)}: ${errorMessage(error)}`;
      return {
        report: {
          name: entry.name,
          outcome,
          status: outcome,
          healthScore: 0,
          weight: entry.weight,
          reason: truncate(reason, MAX_REASON_LENGTH),
        },
        reused: false,
      };
    }
  }

  /** Reads the clock, rejecting a reading that is not finite. */
  #now(): number {
    const nowMs = this.#clock.now();
    if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
      throw new RangeError(
        `Expected \`clock.now()\` to return a finite number, got ${describeValue(nowMs)}`,
      );
    }
    return nowMs;
  }
}

function hasRecentErrors(
  provider: StatisticsProvider,
): provider is StatisticsProvider & RecentErrorsReader {
  return typeof (provider as Partial<RecentErrorsReader>).getRecentErrors === "function";
}

function okReport(
  entry: Registration,
  stats: ComponentStats,
  healthScore: number,
  recentErrors: ErrorRecord[] | undefined,
): ComponentReport {
  const report: ComponentReport = {
    name: entry.name,
    outcome: "ok",
    status: stats.status,
    healthScore,
    weight: entry.weight,
    stats,
  };
  if (recentErrors !== undefined) report.recentErrors = recentErrors;
  return report;
}

function copyReport(report: ComponentReport): ComponentReport {
  const copy: ComponentReport = { ...report };
  if (report.stats !== undefined) copy.stats = copyStats(report.stats);
  if (report.recentErrors !== undefined) copy.recentErrors = structuredClone(report.recentErrors);
  return copy;
}

/** A deep copy of a snapshot: what the caller gets, so its changes never reach the cache. */
function copySnapshot(snapshot: RegistrySnapshot): RegistrySnapshot {
  return {
    timestamp: snapshot.timestamp,
    components: snapshot.components.map(copyReport),
    totals: { ...snapshot.totals },
    health: { ...snapshot.health },
  };
}

import { Mutex } from "async-mutex";
import {
  type HealthBreakdown,
  type HealthConfig,
  resolveHealthConfig,
  scoreHealth,
} from "../compute/health.js";
import { estimateMemoryMb } from "../compute/memory.js";
import { type Clock, coarseNow, systemClock } from "../shared/clock.js";
import { copyString } from "../shared/copy-string.js";
import { TIMING_WINDOWS } from "../shared/internal-keys.js";
import {
  checkDuration,
  checkFinite,
  checkInteger,
  checkName,
  checkString,
  describeValue,
} from "../shared/validate.js";
import { CounterStore } from "../stores/counters.js";
import { ErrorHistory } from "../stores/error-history.js";
import { ErrorInfo } from "../stores/error-info.js";
import { GaugeStore } from "../stores/gauges.js";
import { MAX_TIMING_WINDOW, TimingStore } from "../stores/timing-store.js";
import { TtlCache } from "../stores/ttl-cache.js";
import type { ComponentStats, ErrorRecord } from "../types.js";
import type { StatisticsProvider } from "./provider.js";
import { StatsSnapshot } from "./stats.js";
import { SummaryRecordCopiers } from "./summary-copy.js";

/** Options of {@link BaseStatisticsTracker}. */
export interface TrackerOptions {
  /**
   * Error records kept; 0 keeps none but still counts errors.
   * @defaultValue 100
   */
  maxErrors?: number;
  /**
   * Lifetime of a cached snapshot or health score, in whole milliseconds; 0 disables caching.
   * @defaultValue 5000
   */
  cacheTtlMs?: number;
  /**
   * Timings kept per operation for averages, extremes and percentiles.
   * @defaultValue 1000
   */
  timingWindow?: number;
  /**
   * Distinct names per kind (counters, gauges, operations) before new ones fold into `"__overflow__"`.
   * @defaultValue 10000
   */
  maxMetricNames?: number;
  /**
   * The clock every time-dependent piece reads; inject {@link manualClock} in tests.
   * @defaultValue {@link systemClock}
   */
  clock?: Clock;
  /** Changes to {@link DEFAULT_HEALTH_CONFIG}. */
  health?: Partial<HealthConfig>;
}

/**
 * Synchronous writes for use inside {@link BaseStatisticsTracker.withLock}, where the
 * public (awaited) writes would wait for the lock the section holds. Each validates
 * like its public counterpart and throws instead of rejecting.
 */
export interface LockedWriter {
  /** Adds `value` (default 1) to a counter. */
  increment(metric: string, value?: number): void;
  /** Sets a gauge. */
  setGauge(metric: string, value: number): void;
  /** Records one duration of an operation. */
  recordTiming(operation: string, durationMs: number): void;
  /** Records an error. */
  trackError(error: unknown, context: string, details?: Record<string, unknown>): void;
  /** Sets the status. */
  setStatus(status: string): void;
  /** A counter's value, 0 when absent. */
  getCounter(metric: string): number;
  /** A gauge's value, `undefined` when absent. */
  getGauge(metric: string): number | undefined;
}

/** How long `getStats()` waits for an overridden `getMemoryUsage()`, in milliseconds. */
export const MEMORY_USAGE_TIMEOUT_MS = 1000;

const RESOLVED: Promise<void> = Promise.resolve();
const STATS_KEY = "\u0000stats";
const HEALTH_KEY = "\u0000health";
const USER_KEY_PREFIX = "user:";

/** `value` with -0 as 0: JSON writes -0 as 0, so a snapshot holding -0 would not round-trip. */
const withoutNegativeZero = (value: number): number => value + 0;

/**
 * Statistics of one component: counters, gauges, per-operation timings with exact
 * percentiles, a ring buffer of recent errors, a status and a 0..100 health score.
 * Subclass it (or hold one) in an SDK component.
 *
 * All state is guarded by one async-mutex. Writes apply in call order; a read after
 * an awaited write always sees it; snapshots are cached for `cacheTtlMs` on the
 * tracker's clock and invalidated by every write; every returned object is a copy.
 *
 * @example
 * ```ts
 * class OrderManagerStats extends BaseStatisticsTracker {
 *   constructor() {
 *     super("order_manager");
 *   }
 *   trackOrderPlaced() {
 *     return this.increment("orders_placed");
 *   }
 * }
 * const stats = await new OrderManagerStats().getStats();
 * ```
 */
export class BaseStatisticsTracker implements StatisticsProvider {
  /** The component's name. */
  readonly componentName: string;
  /** When the tracker was created, in epoch milliseconds on its clock. */
  readonly createdAt: number;

  readonly #clock: Clock;
  /** Reads the time a write is stamped with: the coarse reading on the default clock. */
  readonly #stampNow: () => number;
  readonly #health: Readonly<HealthConfig>;
  readonly #counters: CounterStore;
  readonly #gauges: GaugeStore;
  readonly #timings: TimingStore;
  readonly #errors: ErrorHistory;
  readonly #cache: TtlCache;
  readonly #mutex = new Mutex();
  readonly #copiers = new SummaryRecordCopiers();
  readonly #writer: LockedWriter;
  /** Calls holding or waiting for the mutex; the fast path is taken only at 0. */
  #holders = 0;
  /** Bumped by every write; cache entries of another generation are stale. */
  #generation = 0;
  #lastActivity: number | null = null;
  #status = "initializing";
  /** The overridden getMemoryUsage() call in progress, shared by concurrent snapshots. */
  #memoryProbe: Promise<number> | undefined;

  /**
   * @param componentName - a non-empty name (at most 256 characters).
   * @param options - capacities, cache TTL, clock and health config.
   * @throws TypeError or RangeError naming the argument or option that is not valid.
   */
  constructor(componentName: string, options: TrackerOptions = {}) {
    checkName(componentName, "componentName");
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const {
      maxErrors = 100,
      cacheTtlMs = 5000,
      timingWindow = 1000,
      maxMetricNames = 10_000,
      clock,
      health,
    } = options;
    checkInteger(maxErrors, "maxErrors", 0, 1_000_000);
    // Whole milliseconds: lru-cache rejects a fractional TTL with a message naming no option.
    checkInteger(cacheTtlMs, "cacheTtlMs", 0);
    checkInteger(timingWindow, "timingWindow", 1, MAX_TIMING_WINDOW);
    checkInteger(maxMetricNames, "maxMetricNames", 1);
    if (
      clock !== undefined &&
      (typeof clock !== "object" || clock === null || typeof clock.now !== "function")
    ) {
      throw new TypeError(
        `Expected \`clock\` to be an object with a now() method, got ${describeValue(clock)}`,
      );
    }
    this.#health = resolveHealthConfig(health);
    this.componentName = componentName;
    this.#clock = clock ?? systemClock;
    this.createdAt = this.#now();
    this.#stampNow = clock === undefined ? this.#coarseStamp : () => this.#now();
    this.#counters = new CounterStore(maxMetricNames);
    this.#gauges = new GaugeStore(maxMetricNames);
    this.#timings = new TimingStore({ window: timingWindow, maxOperations: maxMetricNames });
    this.#errors = new ErrorHistory(maxErrors);
    this.#cache = new TtlCache(cacheTtlMs, { now: () => this.#now() });
    this.#writer = Object.freeze({
      increment: (metric: string, value = 1) => this.#checkedIncrement(metric, value),
      setGauge: (metric: string, value: number) => this.#checkedSetGauge(metric, value),
      recordTiming: (operation: string, durationMs: number) =>
        this.#checkedRecordTiming(operation, durationMs),
      trackError: (error: unknown, context: string, details?: Record<string, unknown>) =>
        this.#applyTrackError(this.#errorInfo(error, context, details)),
      setStatus: (status: string) => {
        checkName(status, "status");
        this.#applySetStatus(status);
      },
      getCounter: (metric: string) => this.#counters.get(metric),
      getGauge: (metric: string) => this.#gauges.get(metric),
    });
    // A subclass's getStats() runs its own code around super's snapshot, where the
    // tracker cannot see a failure; an own property on the instance wraps it so that it
    // can (see getStats). A tracker that does not override getStats gets no wrapper.
    const override = this.getStats;
    if (override !== BaseStatisticsTracker.prototype.getStats) {
      Object.defineProperty(this, "getStats", {
        value: () => this.#guardedStats(override),
        configurable: true,
        writable: true,
      });
    }
  }

  /** Epoch milliseconds of the last write; `null` when none since creation or reset. */
  get lastActivity(): number | null {
    return this.#lastActivity;
  }

  // ---- writes ---------------------------------------------------------------

  /**
   * Adds `value` to the counter `metric`.
   * @param metric - a non-empty name.
   * @param value - any finite number.
   * @defaultValue `value` is 1
   * @returns a promise that rejects with a TypeError or RangeError for bad input, changing nothing.
   */
  increment(metric: string, value = 1): Promise<void> {
    try {
      checkName(metric, "metric");
      checkFinite(value, "value");
      if (this.#holders === 0) {
        this.#applyIncrement(metric, value);
        return RESOLVED;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => this.#applyIncrement(metric, value));
  }

  /**
   * Sets the gauge `metric` to `value`; the last write wins.
   * @param metric - a non-empty name.
   * @param value - any finite number.
   * @returns a promise that rejects with a TypeError or RangeError for bad input, changing nothing.
   */
  setGauge(metric: string, value: number): Promise<void> {
    try {
      checkName(metric, "metric");
      checkFinite(value, "value");
      if (this.#holders === 0) {
        this.#applySetGauge(metric, value);
        return RESOLVED;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => this.#applySetGauge(metric, value));
  }

  /**
   * Records one duration of `operation`.
   * @param operation - a non-empty name.
   * @param durationMs - finite and >= 0.
   * @returns a promise that rejects with a TypeError or RangeError for bad input, changing nothing.
   */
  recordTiming(operation: string, durationMs: number): Promise<void> {
    try {
      checkName(operation, "operation");
      checkDuration(durationMs, "durationMs");
      if (this.#holders === 0) {
        this.#applyRecordTiming(operation, durationMs);
        return RESOLVED;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => this.#applyRecordTiming(operation, durationMs));
  }

  /**
   * Appends an error to the history and adds one to the lifetime error count.
   * Touches no counter.
   * @param error - anything thrown or reported; never throws while being read.
   * @param context - where it happened.
   * @param details - extra facts, copied and bounded.
   * @returns a promise that rejects with a TypeError when `context` is not a string.
   */
  trackError(error: unknown, context: string, details?: Record<string, unknown>): Promise<void> {
    let info: ErrorInfo;
    try {
      info = this.#errorInfo(error, context, details);
      if (this.#holders === 0) {
        this.#applyTrackError(info);
        return RESOLVED;
      }
    } catch (failure) {
      return Promise.reject(failure);
    }
    // Queued: the record keeps the time it was tracked, but lastActivity takes the time
    // the write applies, like the writes queued before it (else it could move back).
    return this.#exclusive(() => this.#applyTrackError(info, this.#stampNow()));
  }

  /**
   * Sets the component's status (`"connected"`, `"disconnected"`, `"error"`, …).
   * @param status - a non-empty string.
   * @returns a promise that rejects with a TypeError or RangeError for bad input.
   */
  setStatus(status: string): Promise<void> {
    try {
      checkName(status, "status");
      if (this.#holders === 0) {
        this.#applySetStatus(status);
        return RESOLVED;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#exclusive(() => this.#applySetStatus(status));
  }

  /**
   * Clears counters, gauges, timings, error history (and its lifetime count) and the
   * cache; `lastActivity` becomes `null` and the status `"initializing"`. `createdAt`
   * is kept. Ordered with writes like a write.
   */
  resetMetrics(): Promise<void> {
    if (this.#holders === 0) {
      this.#applyReset();
      return RESOLVED;
    }
    return this.#exclusive(() => this.#applyReset());
  }

  /**
   * Runs `fn`, records its duration under `operation` (also when it throws), and
   * when it throws tracks the error with context `operation` and rethrows. The
   * mutex is not held while `fn` runs, so `fn` may use the tracker.
   *
   * @param operation - a non-empty name.
   * @param fn - a synchronous or asynchronous function.
   * @returns `fn`'s result.
   */
  async time<T>(operation: string, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    checkName(operation, "operation");
    if (typeof fn !== "function") {
      throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
    }
    const startMs = this.#now();
    let result: Awaited<T>;
    try {
      result = await fn();
    } catch (error) {
      await this.recordTiming(operation, Math.max(0, this.#now() - startMs));
      await this.trackError(error, operation);
      throw error;
    }
    // Outside the try: a clock failing here is the clock's error, not fn's, and must
    // not be tracked as a failure of `operation`.
    await this.recordTiming(operation, Math.max(0, this.#now() - startMs));
    return result;
  }

  // ---- reads ----------------------------------------------------------------

  /** The lifetime error count since creation or reset, not capped by `maxErrors`. */
  getErrorCount(): Promise<number> {
    return this.#read(() => this.#errors.total);
  }

  /**
   * The newest `limit` error records, oldest first.
   * @param limit - an integer >= 0; 0 gives `[]`.
   * @defaultValue `limit` is 10
   */
  getRecentErrors(limit = 10): Promise<ErrorRecord[]> {
    try {
      checkInteger(limit, "limit", 0);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => this.#errors.recent(limit).map((info) => info.toJSON()));
  }

  /** The component's status; `"initializing"` until set. */
  getStatus(): Promise<string> {
    return this.#read(() => this.#status);
  }

  /** Whole seconds since `createdAt`, rounded down, never negative. */
  getUptime(): Promise<number> {
    try {
      return Promise.resolve(this.#uptimeSeconds(this.#now()));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A counter's value; 0 when absent. */
  getCounter(metric: string): Promise<number> {
    try {
      checkName(metric, "metric");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => this.#counters.get(metric));
  }

  /** A gauge's value; `undefined` when absent. */
  getGauge(metric: string): Promise<number | undefined> {
    try {
      checkName(metric, "metric");
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#read(() => this.#gauges.get(metric));
  }

  /**
   * Estimated memory of the tracker's data in MB. Override it for a component-specific
   * figure; `getStats()` reports the override (see {@link MEMORY_USAGE_TIMEOUT_MS}).
   */
  getMemoryUsage(): Promise<number> {
    return this.#read(() => this.#estimateMemory());
  }

  /** The health score 0..100, rounded to one decimal (the same whether cached or not). */
  async getHealthScore(): Promise<number> {
    return (await this.getHealthBreakdown()).score;
  }

  /** The health score and its four factors. Cached like snapshots. */
  getHealthBreakdown(): Promise<HealthBreakdown> {
    return this.#read(() => {
      const cached = this.#cache.get<HealthBreakdown>(HEALTH_KEY, this.#generation);
      const breakdown = cached ?? this.#computeHealth(this.#now());
      if (cached === undefined) this.#cache.set(HEALTH_KEY, breakdown, this.#generation);
      return { ...breakdown };
    });
  }

  /**
   * A consistent snapshot of the component; a copy, served from the cache while no
   * write happened and `cacheTtlMs` has not passed.
   *
   * Subclasses may override it (as a method, calling `super.getStats()`) to add
   * fields. If the override throws or rejects, before or after `super`, the failure is
   * tracked as an error with context `"getStats"` and the caller gets the base
   * snapshot, taken after that error was tracked (so its `errorCount` includes it),
   * without the subclass's fields. The tracker's state is untouched by the failure.
   */
  async getStats(): Promise<ComponentStats> {
    const cached = await this.#read(() =>
      this.#cache.get<StatsSnapshot>(STATS_KEY, this.#generation),
    );
    if (cached !== undefined) return cached.copy();
    const memoryUsageMb = await this.#memoryUsage();
    const snapshot = await this.#read(() => {
      const fresh = new StatsSnapshot(this.#snapshot(memoryUsageMb), this.#copiers);
      this.#cache.set(STATS_KEY, fresh, this.#generation);
      return fresh;
    });
    return snapshot.copy();
  }

  /** Drops expired cache entries and those invalidated by writes. */
  cleanupCache(): Promise<void> {
    return this.#read(() => this.#cache.purge(this.#generation));
  }

  /**
   * Each operation's window samples, ascending, as copies: what component-stats/cluster
   * needs to merge the windows of many processes into exact percentiles. Read under
   * the tracker's lock, like a snapshot.
   *
   * @internal
   */
  [TIMING_WINDOWS](): Promise<Map<string, Float64Array>> {
    return this.#read(() => this.#timings.sortedSamples());
  }

  // ---- for subclasses -------------------------------------------------------

  /**
   * Runs `fn` holding the tracker's mutex: writes and reads issued meanwhile wait and
   * then apply in call order. Inside `fn`, write through the {@link LockedWriter} it
   * receives: awaiting the tracker's public methods there would wait for this very lock.
   *
   * @param fn - the critical section; may be async.
   * @returns `fn`'s result.
   */
  protected withLock<T>(fn: (writer: LockedWriter) => T | PromiseLike<T>): Promise<T> {
    return this.#exclusive(() => fn(this.#writer));
  }

  /**
   * A value cached with {@link BaseStatisticsTracker.setCachedValue}, or `undefined`
   * once `cacheTtlMs` passed or any write happened since it was set.
   */
  protected getCachedValue<T>(key: string): T | undefined {
    return this.#cache.get<T>(USER_KEY_PREFIX + key, this.#generation);
  }

  /** Caches a value on the tracker's TTL cache, invalidated like snapshots. */
  protected setCachedValue(key: string, value: unknown): void {
    this.#cache.set(USER_KEY_PREFIX + key, value, this.#generation);
  }

  // ---- internals --------------------------------------------------------------

  /**
   * Runs `fn` at once when no call holds or waits for the mutex, else behind them.
   *
   * Why the fast path is safe: `fn` is synchronous, and JavaScript runs synchronous
   * code to completion, so nothing can interleave with it. When `#holders` is 0 the
   * mutex is free and no call is queued for it, so running now is exactly what
   * acquiring it would do, minus about 2 µs of promise machinery per call. When
   * anything holds or waits for the mutex (a `withLock` section, a queued write),
   * `fn` queues behind it in FIFO order, so writes still apply in call order.
   */
  #read<T>(fn: () => T): Promise<T> {
    if (this.#holders === 0) {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.#exclusive(fn);
  }

  #exclusive<T>(fn: () => T | PromiseLike<T>): Promise<T> {
    this.#holders++;
    // Decrement only once the queued call settled: until then a new call must queue too.
    return this.#mutex
      .runExclusive(async () => await fn())
      .finally(() => {
        this.#holders--;
      });
  }

  /** Reads the clock, rejecting a reading that is not finite before it reaches any state. */
  #now(): number {
    const nowMs = this.#clock.now();
    if (typeof nowMs !== "number" || !Number.isFinite(nowMs)) {
      throw new RangeError(
        `Expected \`clock.now()\` to return a finite number, got ${describeValue(nowMs)}`,
      );
    }
    // -0 becomes 0: a reading of -0 stamped as lastActivity or an error's timestamp
    // would not survive JSON, which writes it as 0.
    return nowMs + 0;
  }

  #coarseStamp = (): number => {
    const nowMs = coarseNow();
    return Math.max(nowMs, this.createdAt);
  };

  #touch(nowMs: number): void {
    this.#lastActivity = nowMs;
    this.#generation++;
  }

  #applyIncrement(metric: string, value: number): void {
    const nowMs = this.#stampNow();
    this.#counters.add(metric, withoutNegativeZero(value));
    this.#touch(nowMs);
  }

  #applySetGauge(metric: string, value: number): void {
    const nowMs = this.#stampNow();
    this.#gauges.set(metric, withoutNegativeZero(value));
    this.#touch(nowMs);
  }

  #applyRecordTiming(operation: string, durationMs: number): void {
    const nowMs = this.#stampNow();
    this.#timings.recordTiming(operation, withoutNegativeZero(durationMs));
    this.#touch(nowMs);
  }

  #applyTrackError(info: ErrorInfo, nowMs = info.timestamp): void {
    this.#errors.push(info);
    this.#touch(nowMs);
  }

  #applySetStatus(status: string): void {
    const nowMs = this.#stampNow();
    // A copy, so a status sliced out of a large string does not keep it alive.
    this.#status = copyString(status);
    this.#touch(nowMs);
  }

  #applyReset(): void {
    this.#counters.clear();
    this.#gauges.clear();
    this.#timings.clear();
    this.#errors.clear();
    this.#cache.clear();
    this.#status = "initializing";
    this.#lastActivity = null;
    this.#generation++;
  }

  #checkedIncrement(metric: string, value: number): void {
    checkName(metric, "metric");
    checkFinite(value, "value");
    this.#applyIncrement(metric, value);
  }

  #checkedSetGauge(metric: string, value: number): void {
    checkName(metric, "metric");
    checkFinite(value, "value");
    this.#applySetGauge(metric, value);
  }

  #checkedRecordTiming(operation: string, durationMs: number): void {
    checkName(operation, "operation");
    checkDuration(durationMs, "durationMs");
    this.#applyRecordTiming(operation, durationMs);
  }

  #errorInfo(
    error: unknown,
    context: string,
    details: Record<string, unknown> | undefined,
  ): ErrorInfo {
    checkString(context, "context");
    return new ErrorInfo(error, context, details, this.#stampNow());
  }

  #uptimeSeconds(nowMs: number): number {
    return Math.max(0, Math.floor((nowMs - this.createdAt) / 1000));
  }

  #computeHealth(nowMs: number): HealthBreakdown {
    const lastActivity = this.#lastActivity;
    return scoreHealth(
      {
        errorCount: this.#errors.total,
        operationCount: this.#counters.sum(this.#health.operationCounters),
        uptimeMs: Math.max(0, nowMs - this.createdAt),
        msSinceLastActivity: lastActivity === null ? null : Math.max(0, nowMs - lastActivity),
        status: this.#status,
      },
      this.#health,
    );
  }

  #estimateMemory(): number {
    return estimateMemoryMb({
      counters: this.#counters.size,
      gauges: this.#gauges.size,
      errors: this.#errors.size,
      operations: this.#timings.size,
      timingBytes: this.#timings.byteLength,
    });
  }

  /** Runs an overridden getStats(); on failure tracks it and returns the base snapshot. */
  async #guardedStats(override: () => Promise<ComponentStats>): Promise<ComponentStats> {
    try {
      return await override.call(this);
    } catch (error) {
      // Rejects (with the clock's RangeError) when the failure was a broken clock:
      // tracking the error reads the same clock.
      await this.trackError(error, "getStats");
      return BaseStatisticsTracker.prototype.getStats.call(this);
    }
  }

  /**
   * The memory figure for a snapshot: the (possibly overridden) `getMemoryUsage()`,
   * bounded in time. An override that throws, times out or returns a bad number is
   * tracked as an error with context `"getMemoryUsage"`, and the built-in estimate
   * is reported instead.
   *
   * An override runs once at a time: snapshots taken meanwhile share its answer. That
   * also ends a cycle: an override that calls getStats() gets this same probe back and
   * waits for itself until the timeout cuts it off. Calling the override again instead
   * recursed through microtasks without end, which starves the event loop, so not even
   * the timeout could fire: the host process hung.
   */
  #memoryUsage(): Promise<number> {
    if (this.getMemoryUsage === BaseStatisticsTracker.prototype.getMemoryUsage) {
      return this.#read(() => this.#estimateMemory());
    }
    let probe = this.#memoryProbe;
    if (probe === undefined) {
      probe = this.#probeMemory();
      this.#memoryProbe = probe;
      const settled = (): void => {
        if (this.#memoryProbe === probe) this.#memoryProbe = undefined;
      };
      probe.then(settled, settled);
    }
    return probe;
  }

  async #probeMemory(): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`getMemoryUsage() did not settle within ${MEMORY_USAGE_TIMEOUT_MS} ms`),
            ),
          MEMORY_USAGE_TIMEOUT_MS,
        );
        timer.unref();
      });
      const memoryMb = await Promise.race([this.getMemoryUsage(), timeout]);
      if (typeof memoryMb !== "number" || !Number.isFinite(memoryMb) || memoryMb < 0) {
        throw new RangeError(
          `Expected getMemoryUsage() to resolve to a finite number >= 0, got ${describeValue(memoryMb)}`,
        );
      }
      return memoryMb;
    } catch (error) {
      await this.trackError(error, "getMemoryUsage");
      return this.#read(() => this.#estimateMemory());
    } finally {
      clearTimeout(timer);
    }
  }

  #snapshot(memoryUsageMb: number): ComponentStats {
    const nowMs = this.#now();
    const health = this.#computeHealth(nowMs);
    this.#cache.set(HEALTH_KEY, health, this.#generation);
    const stats: ComponentStats = {
      name: this.componentName,
      status: this.#status,
      uptimeSeconds: this.#uptimeSeconds(nowMs),
      lastActivity: this.#lastActivity,
      errorCount: this.#errors.total,
      memoryUsageMb,
      healthScore: health.score,
      counters: this.#counters.toObject(),
      gauges: this.#gauges.toObject(),
      performanceMetrics: this.#timings.getAllMetrics(),
    };
    const folded = {
      counters: this.#counters.foldedNames,
      gauges: this.#gauges.foldedNames,
      operations: this.#timings.foldedNames,
    };
    if (folded.counters + folded.gauges + folded.operations > 0) stats.overflow = folded;
    return stats;
  }
}

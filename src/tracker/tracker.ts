import { type HealthBreakdown, type HealthConfig, scoreHealth } from "../compute/health.js";
import { estimateMemoryMb } from "../compute/memory.js";
import { type Clock, coarseNow, elapsedMs, readClock, systemClock } from "../shared/clock.js";
import { copyString } from "../shared/copy-string.js";
import { OWNED_STATS, TIMING_WINDOWS } from "../shared/internal-keys.js";
import {
  checkDuration,
  checkFinite,
  checkInteger,
  checkName,
  checkString,
  describeValue,
  MAX_DURATION_MS,
} from "../shared/validate.js";
import { CounterStore } from "../stores/counters.js";
import { ErrorHistory } from "../stores/error-history.js";
import { ErrorInfo } from "../stores/error-info.js";
import { GaugeStore } from "../stores/gauges.js";
import { RecentActivityWindow } from "../stores/recent-activity.js";
import { TimingStore } from "../stores/timing-store.js";
import { TtlCache } from "../stores/ttl-cache.js";
import type { ComponentStats, ErrorRecord } from "../types.js";
import {
  type CallErrorHandler,
  markHandled,
  reportCallFailure,
  type TrackerCall,
} from "./call-failures.js";
import { MemoryProbe } from "./memory-probe.js";
import { resolveTrackerOptions, type TrackerOptions } from "./options.js";
import { guardOverrides, isOverriddenBelow } from "./override-guard.js";
import type { StatisticsProvider } from "./provider.js";
import { copyStats } from "./stats.js";
import { WriteGate } from "./write-gate.js";

/**
 * Synchronous writes for use inside {@link BaseStatisticsTracker.withLock}, where the
 * public (awaited) writes would wait for the lock the section holds. Each method,
 * the two reads included, validates like its public counterpart and throws instead
 * of rejecting.
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

/** The arguments of `increment` and `setGauge`, checked once for the public and locked writes. */
function checkMetricArgs(metric: unknown, value: unknown): void {
  checkName(metric, "metric");
  checkFinite(value, "value");
}

/** The arguments of `recordTiming`. */
function checkRecordTimingArgs(operation: unknown, durationMs: unknown): void {
  checkName(operation, "operation");
  checkDuration(durationMs, "durationMs");
}

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
  readonly #onError: CallErrorHandler | undefined;
  readonly #counters: CounterStore;
  readonly #gauges: GaugeStore;
  readonly #timings: TimingStore;
  readonly #errors: ErrorHistory;
  /** Calls and failures over the last `recentWindowMs`, for the verdict. */
  readonly #recent: RecentActivityWindow;
  /** The counters whose increments count as calls; every counter when undefined. */
  readonly #callCounters: ReadonlySet<string> | undefined;
  readonly #cache: TtlCache;
  readonly #gate = new WriteGate();
  /** True while `onError` runs: the calls it makes back are not reported to it again. */
  #inHandler = false;
  readonly #writer: LockedWriter;
  /** Bumped by every write; cache entries of another generation are stale. */
  #generation = 0;
  #lastActivity: number | null = null;
  /** Creation or the last reset: when the lifetime figures started counting. */
  #countingSince: number | undefined;
  /** resetMetrics() calls applied: a reset the clock cannot show (it did not move). */
  #resetCount = 0;
  #status = "initializing";
  /**
   * Each operation's window samples, ascending, as copies: what component-stats/cluster
   * needs to merge the windows of many processes into exact percentiles. Read under
   * the tracker's lock, like a snapshot. Set on each instance by the constructor (see
   * there why it is not a method).
   *
   * @internal
   */
  declare readonly [TIMING_WINDOWS]: () => Promise<Map<string, Float64Array>>;
  /**
   * What `getStats()` returns, for a caller that keeps the object for itself (a
   * registry): a cached snapshot is copied as usual, but one taken fresh is handed
   * over as it is and not cached, so no copy is made. Set on each instance by the
   * constructor, like {@link BaseStatisticsTracker[TIMING_WINDOWS]}.
   *
   * @internal
   */
  declare readonly [OWNED_STATS]: () => Promise<ComponentStats>;
  readonly #memoryProbe = new MemoryProbe(
    () => this.getMemoryUsage(),
    (error) => this.#memoryFallback(error),
    MEMORY_USAGE_TIMEOUT_MS,
  );

  /**
   * @param componentName - a non-empty name (at most 256 characters).
   * @param options - capacities, cache TTL, clock, health config and error handler.
   * @throws TypeError or RangeError naming the argument or option that is not valid.
   */
  constructor(componentName: string, options: TrackerOptions = {}) {
    checkName(componentName, "componentName");
    const resolved = resolveTrackerOptions(options);
    this.componentName = componentName;
    this.#health = resolved.health;
    this.#onError = resolved.onError;
    this.#clock = resolved.clock ?? systemClock;
    this.createdAt = this.#now();
    this.#stampNow = resolved.clock === undefined ? this.#coarseStamp : () => this.#now();
    this.#counters = new CounterStore(resolved.maxMetricNames);
    this.#gauges = new GaugeStore(resolved.maxMetricNames);
    this.#countingSince = this.createdAt;
    this.#timings = new TimingStore({
      window: resolved.timingWindow,
      maxOperations: resolved.maxMetricNames,
      ...(resolved.timingBucketsMs === undefined ? {} : { bucketsMs: resolved.timingBucketsMs }),
    });
    this.#errors = new ErrorHistory(resolved.maxErrors);
    this.#recent = new RecentActivityWindow(resolved.recentWindowMs);
    const { operationCounters } = this.#health;
    this.#callCounters = operationCounters === undefined ? undefined : new Set(operationCounters);
    this.#cache = new TtlCache(resolved.cacheTtlMs, { now: () => this.#now() });
    // The same checks and the same state changes as the public writes, applied at once.
    this.#writer = Object.freeze({
      increment: (metric: string, value = 1) => {
        checkMetricArgs(metric, value);
        this.#applyIncrement(metric, value);
      },
      setGauge: (metric: string, value: number) => {
        checkMetricArgs(metric, value);
        this.#applySetGauge(metric, value);
      },
      recordTiming: (operation: string, durationMs: number) => {
        checkRecordTimingArgs(operation, durationMs);
        this.#applyRecordTiming(operation, durationMs);
      },
      trackError: (error: unknown, context: string, details?: Record<string, unknown>) =>
        this.#applyTrackError(this.#errorInfo(error, context, details)),
      setStatus: (status: string) => {
        checkName(status, "status");
        this.#applySetStatus(status);
      },
      getCounter: (metric: string) => {
        checkName(metric, "metric");
        return this.#counters.get(metric);
      },
      getGauge: (metric: string) => {
        checkName(metric, "metric");
        return this.#gauges.get(metric);
      },
    });
    // Not a method: a class with a computed member key stays in every bundle that imports
    // the package, used or not (a bundler cannot tell that evaluating the key is free).
    Object.defineProperty(this, TIMING_WINDOWS, {
      value: () => this.#gate.run(() => this.#timings.sortedSamples()),
    });
    Object.defineProperty(this, OWNED_STATS, {
      value: () => this.#reported("getStats", this.#stats(false)),
    });
    // A subclass's getStats() runs before any code of the tracker, which can only see it
    // fail from a wrapper in front of it: installed on the subclass's prototype, once.
    guardOverrides(
      this,
      BaseStatisticsTracker.prototype,
      "getStats",
      BaseStatisticsTracker.#guardStats,
    );
  }

  /** Epoch milliseconds of the last write; `null` when none since creation or reset. */
  get lastActivity(): number | null {
    return this.#lastActivity;
  }

  // ---- writes ---------------------------------------------------------------
  //
  // Each write checks its arguments, then applies at once while the write gate is
  // open, else queues behind it. A rejection is marked handled and reported (see
  // TrackerOptions.onError), so an unawaited call with bad input cannot end the host.

  /**
   * Adds `value` to the counter `metric`.
   * @param metric - a non-empty name.
   * @param value - any finite number that keeps the counter finite.
   * @defaultValue `value` is 1
   * @returns a promise that rejects with a TypeError or RangeError for bad input
   *   (a RangeError naming `value` when the sum would not be finite), changing nothing.
   */
  increment(metric: string, value = 1): Promise<void> {
    try {
      checkMetricArgs(metric, value);
      if (this.#gate.isOpen) {
        this.#applyIncrement(metric, value);
        return RESOLVED;
      }
    } catch (error) {
      return this.#rejected("increment", error);
    }
    return this.#queued("increment", () => this.#applyIncrement(metric, value));
  }

  /**
   * Sets the gauge `metric` to `value`; the last write wins.
   * @param metric - a non-empty name.
   * @param value - any finite number.
   * @returns a promise that rejects with a TypeError or RangeError for bad input, changing nothing.
   */
  setGauge(metric: string, value: number): Promise<void> {
    try {
      checkMetricArgs(metric, value);
      if (this.#gate.isOpen) {
        this.#applySetGauge(metric, value);
        return RESOLVED;
      }
    } catch (error) {
      return this.#rejected("setGauge", error);
    }
    return this.#queued("setGauge", () => this.#applySetGauge(metric, value));
  }

  /**
   * Records one duration of `operation`.
   * @param operation - a non-empty name.
   * @param durationMs - from 0 to {@link MAX_DURATION_MS}.
   * @returns a promise that rejects with a TypeError or RangeError for bad input, changing nothing.
   */
  recordTiming(operation: string, durationMs: number): Promise<void> {
    try {
      checkRecordTimingArgs(operation, durationMs);
      if (this.#gate.isOpen) {
        this.#applyRecordTiming(operation, durationMs);
        return RESOLVED;
      }
    } catch (error) {
      return this.#rejected("recordTiming", error);
    }
    return this.#queued("recordTiming", () => this.#applyRecordTiming(operation, durationMs));
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
      if (this.#gate.isOpen) {
        this.#applyTrackError(info);
        return RESOLVED;
      }
    } catch (failure) {
      return this.#rejected("trackError", failure);
    }
    // Queued: the record keeps the time it was tracked, but lastActivity takes the time
    // the write applies, like the writes queued before it (else it could move back).
    return this.#queued("trackError", () => this.#applyTrackError(info, this.#stampNow()));
  }

  /**
   * Sets the component's status (`"connected"`, `"disconnected"`, `"error"`, …).
   * @param status - a non-empty string.
   * @returns a promise that rejects with a TypeError or RangeError for bad input.
   */
  setStatus(status: string): Promise<void> {
    try {
      checkName(status, "status");
      if (this.#gate.isOpen) {
        this.#applySetStatus(status);
        return RESOLVED;
      }
    } catch (error) {
      return this.#rejected("setStatus", error);
    }
    return this.#queued("setStatus", () => this.#applySetStatus(status));
  }

  /**
   * Clears counters, gauges, timings, error history (and its lifetime count) and the
   * cache; `lastActivity` becomes `null` and the status `"initializing"`. `createdAt`
   * is kept. Ordered with writes like a write.
   */
  resetMetrics(): Promise<void> {
    if (this.#gate.isOpen) {
      this.#applyReset();
      return RESOLVED;
    }
    return this.#gate.hold(() => this.#applyReset());
  }

  /**
   * Runs `fn`, records its duration under `operation` (also when it throws), and
   * when it throws tracks the error with context `operation` and rethrows. The
   * mutex is not held while `fn` runs, so `fn` may use the tracker. A duration longer
   * than {@link MAX_DURATION_MS} (a clock that jumped) is recorded as that maximum.
   *
   * @param operation - a non-empty name.
   * @param fn - a synchronous or asynchronous function.
   * @returns `fn`'s result; a rejection with `fn`'s error, or with the tracker's own
   *   (bad input, a broken clock), which is then reported like any call's.
   */
  time<T>(operation: string, fn: () => T | PromiseLike<T>): Promise<Awaited<T>> {
    let startMs: number;
    try {
      checkName(operation, "operation");
      if (typeof fn !== "function") {
        throw new TypeError(`Expected \`fn\` to be a function, got ${describeValue(fn)}`);
      }
      startMs = this.#now();
    } catch (error) {
      return this.#rejected("time", error);
    }
    // fn's own rejection is passed on as it is; only the tracker's failure is reported,
    // and marked handled on the promise the caller gets when it takes fn's place (fn
    // returned). When fn throws synchronously and the clock fails at once, that
    // happens before `timed` is assigned.
    let timed: Promise<Awaited<T>> | undefined;
    let trackerFailed = false;
    const fromHandler = this.#inHandler;
    timed = this.#timed(operation, fn, startMs, (failure, replacesResult) => {
      this.#report("time", failure, fromHandler);
      if (!replacesResult) return;
      trackerFailed = true;
      if (timed !== undefined) markHandled(timed);
    });
    if (trackerFailed) markHandled(timed);
    return timed;
  }

  // ---- reads ----------------------------------------------------------------

  /** The lifetime error count since creation or reset, not capped by `maxErrors`. */
  getErrorCount(): Promise<number> {
    return this.#gate.run(() => this.#errors.total);
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
      return this.#rejected("getRecentErrors", error);
    }
    return this.#gate.run(() => this.#errors.recent(limit).map((info) => info.toJSON()));
  }

  /** The component's status; `"initializing"` until set. */
  getStatus(): Promise<string> {
    return this.#gate.run(() => this.#status);
  }

  /** Whole seconds since `createdAt`, rounded down, never negative. */
  getUptime(): Promise<number> {
    try {
      return Promise.resolve(this.#uptimeSeconds(this.#now()));
    } catch (error) {
      return this.#rejected("getUptime", error);
    }
  }

  /** A counter's value; 0 when absent. */
  getCounter(metric: string): Promise<number> {
    try {
      checkName(metric, "metric");
    } catch (error) {
      return this.#rejected("getCounter", error);
    }
    return this.#gate.run(() => this.#counters.get(metric));
  }

  /** A gauge's value; `undefined` when absent. */
  getGauge(metric: string): Promise<number | undefined> {
    try {
      checkName(metric, "metric");
    } catch (error) {
      return this.#rejected("getGauge", error);
    }
    return this.#gate.run(() => this.#gauges.get(metric));
  }

  /**
   * Estimated memory of the tracker's data in MB. Override it for a component-specific
   * figure; `getStats()` reports the override (see {@link MEMORY_USAGE_TIMEOUT_MS}).
   */
  getMemoryUsage(): Promise<number> {
    return this.#gate.run(() => this.#estimateMemory());
  }

  /** The health score 0..100, rounded to one decimal (the same whether cached or not). */
  getHealthScore(): Promise<number> {
    return this.#reported(
      "getHealthScore",
      this.#healthBreakdown().then((breakdown) => breakdown.score),
    );
  }

  /** The health score and its four factors. Cached like snapshots. */
  getHealthBreakdown(): Promise<HealthBreakdown> {
    return this.#reported(
      "getHealthBreakdown",
      this.#healthBreakdown().then((breakdown) => ({ ...breakdown })),
    );
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
  getStats(): Promise<ComponentStats> {
    const stats = this.#stats();
    // Reached through `super` from an override: the override's guard reports for it.
    if (isOverriddenBelow(this, BaseStatisticsTracker.prototype, "getStats")) {
      return markHandled(stats);
    }
    return this.#reported("getStats", stats);
  }

  /** Drops expired cache entries and those invalidated by writes. */
  cleanupCache(): Promise<void> {
    return this.#reported(
      "cleanupCache",
      this.#gate.run(() => this.#cache.purge(this.#generation)),
    );
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
    return this.#gate.hold(() => fn(this.#writer));
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

  // ---- failures of calls ------------------------------------------------------

  /** A rejected promise for a failed call, reported and marked handled. */
  #rejected(call: TrackerCall, error: unknown): Promise<never> {
    this.#report(call, error);
    return markHandled(Promise.reject(error));
  }

  /** A write queued behind the gate, its failure reported. */
  #queued(call: TrackerCall, apply: () => void): Promise<void> {
    return this.#reported(call, this.#gate.hold(apply));
  }

  /** `promise`, marked handled, reporting its rejection. */
  #reported<T>(call: TrackerCall, promise: Promise<T>): Promise<T> {
    // Whether the call was made from onError is known now, not when it rejects.
    const fromHandler = this.#inHandler;
    promise.catch((error: unknown) => this.#report(call, error, fromHandler));
    return promise;
  }

  /**
   * Reports a failed call to `onError`, unless the call was made by `onError` itself:
   * a handler that calls the tracker back while the clock is broken would otherwise be
   * called again for its own call's failure, and again (a stack overflow when the
   * calls fail at once, a loop of microtasks that never lets the event loop turn when
   * they fail later). Such a failure is shown as the warning a tracker without
   * `onError` gives, once per cause.
   */
  #report(call: TrackerCall, error: unknown, fromHandler = this.#inHandler): void {
    if (fromHandler) {
      reportCallFailure(error, call, this.componentName, undefined);
      return;
    }
    this.#inHandler = true;
    try {
      reportCallFailure(error, call, this.componentName, this.#onError);
    } finally {
      this.#inHandler = false;
    }
  }

  // ---- internals --------------------------------------------------------------

  /** Reads the clock, rejecting a reading that is not finite before it reaches any state. */
  #now(): number {
    return readClock(this.#clock);
  }

  #coarseStamp = (): number => {
    const nowMs = coarseNow();
    return Math.max(nowMs, this.createdAt);
  };

  #touch(nowMs: number): void {
    this.#countingSince ??= nowMs;
    this.#lastActivity = nowMs;
    this.#generation++;
  }

  #applyIncrement(metric: string, value: number): void {
    const nowMs = this.#stampNow();
    this.#counters.add(metric, withoutNegativeZero(value));
    if (value > 0 && (this.#callCounters === undefined || this.#callCounters.has(metric))) {
      this.#recent.addCalls(nowMs, value);
    }
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
    this.#recent.addCalls(nowMs, 1);
    this.#touch(nowMs);
  }

  #applyTrackError(info: ErrorInfo, nowMs = info.timestamp): void {
    this.#errors.push(info);
    this.#recent.addError(nowMs);
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
    this.#recent.clear();
    this.#cache.clear();
    this.#status = "initializing";
    this.#lastActivity = null;
    // Set by the next clock reading (a write or a snapshot): reset reads no clock, so
    // that it works while the clock is broken, and nothing was counted in between.
    this.#countingSince = undefined;
    this.#resetCount++;
    this.#generation++;
  }

  /** Applies a write at once while the gate is open, else queues it; failures unreported. */
  #write(apply: () => void): Promise<void> {
    if (!this.#gate.isOpen) return this.#gate.hold(apply);
    apply();
    return RESOLVED;
  }

  #errorInfo(
    error: unknown,
    context: string,
    details: Record<string, unknown> | undefined,
  ): ErrorInfo {
    checkString(context, "context");
    return new ErrorInfo(error, context, details, this.#stampNow());
  }

  /**
   * `time()` after its arguments were checked: runs fn, then records the duration and
   * any failure of fn. `onTrackerFailure` is told when recording fails (the clock).
   */
  async #timed<T>(
    operation: string,
    fn: () => T | PromiseLike<T>,
    startMs: number,
    onTrackerFailure: (failure: unknown, replacesResult: boolean) => void,
  ): Promise<Awaited<T>> {
    let result: Awaited<T>;
    try {
      result = await fn();
    } catch (error) {
      // fn's error is the caller's, and stays theirs: a failure to record the run (a
      // clock that broke meanwhile) is reported, never passed on in its place.
      await this.#recordRun(operation, startMs, (failure) => onTrackerFailure(failure, false), {
        error,
      }).catch(() => {});
      throw error;
    }
    // Outside the try: a clock failing here is the clock's error, not fn's, and must
    // not be tracked as a failure of `operation`.
    await this.#recordRun(operation, startMs, (failure) => onTrackerFailure(failure, true));
    return result;
  }

  async #recordRun(
    operation: string,
    startMs: number,
    onTrackerFailure: (failure: unknown) => void,
    failed?: { error: unknown },
  ): Promise<void> {
    try {
      const durationMs = Math.min(MAX_DURATION_MS, elapsedMs(startMs, this.#now()));
      await this.#write(() => this.#applyRecordTiming(operation, durationMs));
      if (failed !== undefined) {
        const info = this.#errorInfo(failed.error, operation, undefined);
        await this.#write(() => this.#applyTrackError(info, this.#stampNow()));
      }
    } catch (failure) {
      onTrackerFailure(failure);
      throw failure;
    }
  }

  #uptimeSeconds(nowMs: number): number {
    return Math.floor(elapsedMs(this.createdAt, nowMs) / 1000);
  }

  #computeHealth(nowMs: number): HealthBreakdown {
    const lastActivity = this.#lastActivity;
    return scoreHealth(
      {
        errorCount: this.#errors.total,
        operationCount: this.#counters.sum(this.#health.operationCounters),
        uptimeMs: elapsedMs(this.createdAt, nowMs),
        msSinceLastActivity: lastActivity === null ? null : elapsedMs(lastActivity, nowMs),
        status: this.#status,
      },
      this.#health,
    );
  }

  /** The health breakdown, cached like snapshots; the cached object itself. */
  #healthBreakdown(): Promise<HealthBreakdown> {
    return this.#gate.run(() => {
      const cached = this.#cache.get<HealthBreakdown>(HEALTH_KEY, this.#generation);
      if (cached !== undefined) return cached;
      const breakdown = this.#computeHealth(this.#now());
      this.#cache.set(HEALTH_KEY, breakdown, this.#generation);
      return breakdown;
    });
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

  /**
   * The base snapshot: served from the cache (a copy), or taken fresh. A fresh one is
   * cached and copied, or, when `cache` is false or caching is off (`cacheTtlMs` 0),
   * handed over as it is: then nothing else holds it, and the caller may keep it
   * without a copy.
   */
  async #stats(cache = true): Promise<ComponentStats> {
    const caching = cache && this.#cache.enabled;
    const cached = await this.#gate.run(() =>
      this.#cache.get<ComponentStats>(STATS_KEY, this.#generation),
    );
    if (cached !== undefined) return copyStats(cached);
    const memoryUsageMb = await this.#memoryUsage();
    const fresh = await this.#gate.run(() => {
      const stats = this.#snapshot(memoryUsageMb);
      if (caching) this.#cache.set(STATS_KEY, stats, this.#generation);
      return stats;
    });
    return caching ? copyStats(fresh) : fresh;
  }

  /**
   * Runs a getStats() override; when it fails, tracks the failure and returns the base
   * snapshot. Tracking rejects (with the clock's RangeError) when the failure was a
   * broken clock, since tracking reads the same clock.
   */
  async #statsOrBase(callOverride: () => unknown): Promise<ComponentStats> {
    try {
      return (await callOverride()) as ComponentStats;
    } catch (error) {
      await this.#write(() => this.#applyTrackError(this.#errorInfo(error, "getStats", undefined)));
      return BaseStatisticsTracker.prototype.getStats.call(this);
    }
  }

  /** What a guarded getStats() override returns: its result or the base snapshot, reported. */
  static #guardStats(self: BaseStatisticsTracker, callOverride: () => unknown): unknown {
    return self.#reported("getStats", self.#statsOrBase(callOverride));
  }

  /**
   * The memory figure for a snapshot: the built-in estimate, read at once, or an
   * override's figure through the probe (bounded in time, shared by concurrent
   * snapshots). An override that fails is tracked as an error with context
   * `"getMemoryUsage"`, and the built-in estimate is reported instead.
   */
  #memoryUsage(): Promise<number> {
    if (this.getMemoryUsage === BaseStatisticsTracker.#builtinGetMemoryUsage) {
      return this.#gate.run(() => this.#estimateMemory());
    }
    return this.#memoryProbe.read();
  }

  /** The base class's own getMemoryUsage(); anything else in its place (an override, a spy) is probed. */
  static readonly #builtinGetMemoryUsage = BaseStatisticsTracker.prototype.getMemoryUsage;

  async #memoryFallback(error: unknown): Promise<number> {
    await this.#write(() =>
      this.#applyTrackError(this.#errorInfo(error, "getMemoryUsage", undefined)),
    );
    return this.#gate.run(() => this.#estimateMemory());
  }

  #snapshot(memoryUsageMb: number): ComponentStats {
    const nowMs = this.#now();
    this.#countingSince ??= nowMs;
    const health = this.#computeHealth(nowMs);
    this.#cache.set(HEALTH_KEY, health, this.#generation);
    const stats: ComponentStats = {
      name: this.componentName,
      status: this.#status,
      uptimeSeconds: this.#uptimeSeconds(nowMs),
      lastActivity: this.#lastActivity,
      errorCount: this.#errors.total,
      countingSince: this.#countingSince,
      memoryUsageMb,
      healthScore: health.score,
      counters: this.#counters.toObject(),
      gauges: this.#gauges.toObject(),
      performanceMetrics: this.#timings.getAllMetrics(),
      recent: this.#recent.read(nowMs),
    };
    if (this.#resetCount > 0) stats.resetCount = this.#resetCount;
    const upDownCounters = this.#counters.upDownNames();
    if (upDownCounters.length > 0) stats.upDownCounters = upDownCounters;
    if (this.#timings.size > 0) stats.timingBucketsMs = this.#timings.bucketsMs;
    const folded = {
      counters: this.#counters.foldedNames,
      gauges: this.#gauges.foldedNames,
      operations: this.#timings.foldedNames,
    };
    if (folded.counters + folded.gauges + folded.operations > 0) stats.overflow = folded;
    return stats;
  }
}

import {
  constants,
  type EventLoopUtilization,
  type IntervalHistogram,
  monitorEventLoopDelay,
  type PerformanceEntry,
  PerformanceObserver,
  performance,
} from "node:perf_hooks";
import process from "node:process";
import { getHeapStatistics } from "node:v8";
// The package's own root, not "../tracker/tracker.js": the built entry then imports the
// root's BaseStatisticsTracker instead of carrying a second copy of it.
import { BaseStatisticsTracker, type ComponentStats, type TrackerOptions } from "component-stats";
import { checkFinite, checkInteger, describeValue } from "../shared/validate.js";
import { type DelaySlice, delaySlice, mergeDelaySlices } from "./delay-window.js";

/** Options of {@link RuntimeStats}: a tracker's options, and these. */
export type RuntimeStatsOptions = TrackerOptions & {
  /**
   * The component's name.
   * @defaultValue "runtime"
   */
  name?: string | undefined;
  /**
   * Event-loop delay, 99th percentile over the window, above which the status is
   * `"lagging"` (a degraded verdict), in milliseconds. The window is `recentWindowMs`.
   * @defaultValue 200
   */
  maxEventLoopDelayMs?: number | undefined;
  /**
   * How often the event loop's delay is sampled, in whole milliseconds (`monitorEventLoopDelay`'s resolution).
   * @defaultValue 10
   */
  resolutionMs?: number | undefined;
  /**
   * Whether to time garbage-collection pauses, by kind.
   * @defaultValue true
   */
  gc?: boolean | undefined;
};

/** The event loop's p99 delay above which {@link RuntimeStats} reports `"lagging"`, by default. */
export const DEFAULT_MAX_EVENT_LOOP_DELAY_MS = 200;

/** Slices the delay window is cut into (the live one included). */
const SLICES = 6;

const GC_KINDS: Readonly<Record<number, string>> = {
  [constants.NODE_PERFORMANCE_GC_MINOR]: "gc_minor",
  [constants.NODE_PERFORMANCE_GC_MAJOR]: "gc_major",
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "gc_incremental",
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: "gc_weakcb",
};

/**
 * The Node.js process itself, as a component: event-loop delay and utilization,
 * heap and RSS, and garbage-collection pauses, with a verdict. What prom-client's
 * `collectDefaultMetrics()` gives, registered and exported like any other component.
 *
 * Read at every `getStats()`:
 * - gauges `event_loop_delay_p50_seconds`, `_p90_seconds`, `_p99_seconds`,
 *   `_max_seconds`, `_mean_seconds`: the delay beyond the sampling interval over the
 *   window (`recentWindowMs`, 60 s by default; percentiles as in
 *   {@link mergeDelaySlices}, upper bounds);
 * - `event_loop_utilization`: the share of the window the loop was busy, 0..1;
 * - `heap_used_bytes`, `heap_limit_bytes` (V8's `heap_size_limit`), `rss_bytes`;
 * - timings `gc_minor`, `gc_major`, `gc_incremental`, `gc_weakcb`: each pause as it happens;
 * - status `"active"`, or `"lagging"` while the p99 delay exceeds
 *   `maxEventLoopDelayMs`: the default verdict rules make that degraded.
 *
 * It holds a sampling histogram, a performance observer and an unref'd timer; call
 * {@link RuntimeStats.close} to release them. Node.js only: import it from
 * `component-stats/runtime`.
 *
 * @example
 * ```ts
 * import { RuntimeStats } from "component-stats/runtime";
 * const runtime = new RuntimeStats();
 * registry.register(runtime);
 * process.on("SIGTERM", () => runtime.close());
 * ```
 */
export class RuntimeStats extends BaseStatisticsTracker {
  /** The p99 delay above which the status is `"lagging"`, in milliseconds. */
  readonly maxEventLoopDelayMs: number;
  readonly #resolutionMs: number;
  readonly #histogram: IntervalHistogram;
  /** Completed slices in the window, oldest first. */
  readonly #slices: DelaySlice[] = [];
  /** Utilization readings at the start of each slice in the window, oldest first. */
  readonly #utilizationMarks: EventLoopUtilization[];
  readonly #timer: NodeJS.Timeout;
  readonly #observer: PerformanceObserver | undefined;
  #closed = false;

  /**
   * Starts sampling at once.
   * @param options - name, lag threshold, sampling resolution, GC timing, and any tracker option.
   * @throws TypeError or RangeError naming the option that is not valid.
   */
  constructor(options: RuntimeStatsOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const {
      name = "runtime",
      maxEventLoopDelayMs = DEFAULT_MAX_EVENT_LOOP_DELAY_MS,
      resolutionMs = 10,
      gc = true,
      ...trackerOptions
    } = options;
    checkFinite(maxEventLoopDelayMs, "maxEventLoopDelayMs");
    if (maxEventLoopDelayMs <= 0) {
      throw new RangeError(
        `Expected \`maxEventLoopDelayMs\` to be a number > 0, got ${describeValue(maxEventLoopDelayMs)}`,
      );
    }
    checkInteger(resolutionMs, "resolutionMs", 1, 60_000);
    if (typeof gc !== "boolean") {
      throw new TypeError(`Expected \`gc\` to be a boolean, got ${describeValue(gc)}`);
    }
    super(name, trackerOptions);
    this.maxEventLoopDelayMs = maxEventLoopDelayMs;
    this.#resolutionMs = resolutionMs;
    this.#histogram = monitorEventLoopDelay({ resolution: resolutionMs });
    this.#histogram.enable();
    this.#utilizationMarks = [performance.eventLoopUtilization()];
    const windowMs = trackerOptions.recentWindowMs ?? 60_000;
    this.#timer = setInterval(() => this.#rotate(), Math.max(1, Math.round(windowMs / SLICES)));
    this.#timer.unref();
    if (gc) {
      this.#observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) this.#recordPause(entry);
      });
      this.#observer.observe({ entryTypes: ["gc"] });
    }
    void this.setStatus("active");
  }

  /**
   * Samples the process, then returns the snapshot like any tracker.
   * @returns the snapshot, with the gauges and status of this moment.
   */
  override async getStats(): Promise<ComponentStats> {
    await this.#sample();
    return super.getStats();
  }

  /** Stops sampling and observing; the numbers last read stay. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#histogram.disable();
    this.#observer?.disconnect();
  }

  #sample(): Promise<void> {
    const live = this.#closed ? [] : [delaySlice(this.#histogram, this.#resolutionMs)];
    const delay = mergeDelaySlices([...this.#slices, ...live]);
    const since = this.#utilizationMarks[0] as EventLoopUtilization;
    const { utilization } = performance.eventLoopUtilization(
      performance.eventLoopUtilization(),
      since,
    );
    const heap = getHeapStatistics();
    const rssBytes = process.memoryUsage.rss();
    return this.withLock((writer) => {
      writer.setGauge("event_loop_delay_p50_seconds", delay.p50Ms / 1000);
      writer.setGauge("event_loop_delay_p90_seconds", delay.p90Ms / 1000);
      writer.setGauge("event_loop_delay_p99_seconds", delay.p99Ms / 1000);
      writer.setGauge("event_loop_delay_max_seconds", delay.maxMs / 1000);
      writer.setGauge("event_loop_delay_mean_seconds", delay.meanMs / 1000);
      writer.setGauge("event_loop_utilization", Number.isFinite(utilization) ? utilization : 0);
      writer.setGauge("heap_used_bytes", heap.used_heap_size);
      writer.setGauge("heap_limit_bytes", heap.heap_size_limit);
      writer.setGauge("rss_bytes", rssBytes);
      writer.setStatus(delay.p99Ms > this.maxEventLoopDelayMs ? "lagging" : "active");
    });
  }

  /** Closes the live slice: summarised into the ring, the histogram starts over. */
  #rotate(): void {
    this.#slices.push(delaySlice(this.#histogram, this.#resolutionMs));
    this.#histogram.reset();
    if (this.#slices.length > SLICES - 1) this.#slices.shift();
    this.#utilizationMarks.push(performance.eventLoopUtilization());
    if (this.#utilizationMarks.length > SLICES) this.#utilizationMarks.shift();
  }

  #recordPause(entry: PerformanceEntry): void {
    const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
    const operation = (kind === undefined ? undefined : GC_KINDS[kind]) ?? "gc_other";
    // Fire and forget: an observer callback has no caller to hand a rejection to.
    this.recordTiming(operation, Math.max(0, entry.duration)).catch(() => {});
  }
}

import { invokeHandler } from "../shared/invoke-handler.js";
import { checkFinite, checkInteger, describeValue } from "../shared/validate.js";
import type { Verdict } from "../types.js";
import type { StatisticsRegistry } from "./registry.js";
import { type VerdictChange, VerdictTransitions } from "./transitions.js";

/** Options of {@link watchHealth}. */
export interface WatchHealthOptions {
  /** Called once per verdict change, of the registry or of a component. */
  onChange: (change: VerdictChange) => void;
  /**
   * How often the registry is collected, in whole milliseconds.
   * @defaultValue 10000
   */
  intervalMs?: number | undefined;
  /**
   * How long a better verdict must hold before it is reported, in milliseconds on
   * the registry's clock (see {@link VerdictTransitions}); 0 reports every recovery at once.
   * @defaultValue 30000
   */
  recoverAfterMs?: number | undefined;
  /**
   * Called when a collection rejects or `onChange` throws; the watcher goes on.
   * @defaultValue logs with `console.error`
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** A running {@link watchHealth}. */
export interface HealthWatcher {
  /**
   * Collects the registry now and reports what changed (also through `onChange`).
   * Checks run one at a time; a call made during one runs after it.
   * @returns the changes this check found.
   */
  check(): Promise<VerdictChange[]>;
  /** The verdicts currently reported, for the registry and each component. */
  readonly reported: { registry: Verdict; components: Record<string, Verdict> };
  /** Stops the timer; `check()` still works when called. */
  stop(): void;
}

/** The longest interval `setInterval` honours; longer ones fire at once. */
const MAX_INTERVAL_MS = 2_147_483_647;

/**
 * Watches a registry's verdict: collects it every `intervalMs` and calls `onChange`
 * once per change of the registry's or a component's verdict, with hysteresis (a
 * recovery is reported only after it held for `recoverAfterMs`; a worse verdict at
 * once). For a log line or a page, where `/health` serves probes.
 *
 * The first check runs at once. The timer does not keep the process alive, and
 * ticks that come while a check is still running are skipped.
 *
 * @param registry - a {@link StatisticsRegistry}, or anything with its `collect()`.
 * @param options - the callback, interval and recovery time.
 * @returns the watcher, to check now or stop.
 * @throws TypeError or RangeError naming the argument or option that is not valid.
 * @example
 * ```ts
 * const watcher = watchHealth(registry, {
 *   recoverAfterMs: 60_000,
 *   onChange: ({ component, previous, verdict, reasons }) =>
 *     console.warn(`${component ?? "registry"}: ${previous} -> ${verdict}`, reasons),
 * });
 * process.on("SIGTERM", () => watcher.stop());
 * ```
 */
export function watchHealth(
  registry: Pick<StatisticsRegistry, "collect">,
  options: WatchHealthOptions,
): HealthWatcher {
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to be an object with a collect() method, got ${describeValue(registry)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { onChange, intervalMs = 10_000, recoverAfterMs = 30_000, onError = logError } = options;
  if (typeof onChange !== "function") {
    throw new TypeError(`Expected \`onChange\` to be a function, got ${describeValue(onChange)}`);
  }
  if (typeof onError !== "function") {
    throw new TypeError(`Expected \`onError\` to be a function, got ${describeValue(onError)}`);
  }
  checkInteger(intervalMs, "intervalMs", 1, MAX_INTERVAL_MS);
  checkFinite(recoverAfterMs, "recoverAfterMs");
  if (recoverAfterMs < 0) {
    throw new RangeError(
      `Expected \`recoverAfterMs\` to be >= 0, got ${describeValue(recoverAfterMs)}`,
    );
  }

  const transitions = new VerdictTransitions(recoverAfterMs);
  let queue: Promise<unknown> = Promise.resolve();
  let running = false;

  // An onError that throws or rejects has nowhere left to report to; the watcher goes on.
  const report = (error: unknown): void => invokeHandler(() => onError(error));

  const runCheck = async (): Promise<VerdictChange[]> => {
    running = true;
    try {
      let changes: VerdictChange[];
      try {
        changes = transitions.observe(await registry.collect());
      } catch (error) {
        report(error);
        return [];
      }
      for (const change of changes) invokeHandler(() => onChange(change), report);
      return changes;
    } finally {
      running = false;
    }
  };

  const check = (): Promise<VerdictChange[]> => {
    const next = queue.then(runCheck);
    queue = next;
    return next;
  };

  const timer = setInterval(() => {
    if (!running) void check();
  }, intervalMs);
  // A watcher is background work: it must not keep a process alive that is done.
  (timer as { unref?: () => void }).unref?.();
  void check();

  return {
    check,
    get reported() {
      return transitions.reported;
    },
    stop: () => clearInterval(timer),
  };
}

function logError(error: unknown): void {
  console.error("component-stats health watcher:", error);
}

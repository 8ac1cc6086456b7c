import cluster from "node:cluster";
import { randomUUID } from "node:crypto";
import { MessagePort, Worker } from "node:worker_threads";
import { resolveVerdictRules, type VerdictRules } from "../compute/verdict.js";
import { type Clock, checkClockOption, systemClock } from "../shared/clock.js";
import { checkFinite, checkString, describeValue } from "../shared/validate.js";
import { LifetimeLedger } from "./ledger.js";
import type { GaugeRule } from "./merge.js";
import { mergeAnswers, workerReport } from "./merge-snapshots.js";
import { askWorkers } from "./round.js";
import { clusterTarget, describeExit, localTarget, portTarget, type Target } from "./targets.js";
import type {
  ClusterRegistryOptions,
  ClusterSnapshot,
  WorkerInfo,
  WorkerReport,
  WorkerSnapshot,
} from "./types.js";

/** The longest timeout `setTimeout` honours; longer ones fire at once. */
const MAX_TIMEOUT_MS = 2_147_483_647;
const GAUGE_RULES: readonly GaugeRule[] = ["sum", "min", "max", "perWorker"];
const PRIMARY: WorkerInfo = Object.freeze({ worker: "primary", kind: "primary", pid: process.pid });
/** Keys the registry gives workers itself; `addWorker` names may not look like them. */
const GENERATED_KEY = /^(?:primary|(?:cluster|thread|port)-\d+)$/;

/** A worker thread or port given to `addWorker`. */
interface Added {
  readonly target: Target;
  /** Stops listening for it leaving. */
  readonly release: () => void;
}

/** One collection: the merged view and each worker's own. */
interface Round {
  readonly merged: ClusterSnapshot;
  readonly workers: WorkerSnapshot[];
}

/**
 * One view of many processes: asks every `node:cluster` worker, and every worker
 * thread given to {@link ClusterRegistry.addWorker}, for its registry (each calls
 * {@link shareStats}), and merges the answers exactly into one
 * {@link ClusterSnapshot}. Accepted wherever a registry is: `createStatsHandler`,
 * `renderPrometheus`, `formatPrometheus`, `exportJson` and the OpenTelemetry bridge
 * read its `collect()`.
 *
 * Merged exactly: a component of one name in several workers is one component;
 * counters, error counts and timing counts are summed; every timing window field
 * (min, max, mean, each percentile) is computed over the union of the workers'
 * windows, as one tracker holding all their samples would; recent errors are
 * interleaved by time; status, health and verdict are the worst of the workers'
 * (each worker's registry judges its own components by its rules); gauges follow
 * their rule (`gauges` option). Lifetime figures (counters, error counts, timing
 * counts, sums and histogram buckets) never drop when a worker misses a collection
 * or exits: its last figures keep counting.
 *
 * Robust: a worker that does not answer within `timeoutMs`, answers with an error,
 * or exits is listed in `workers` (and the first two as a failed `worker:<key>`
 * component); `collect()` never rejects and never waits longer than `timeoutMs`.
 * Concurrent calls share one round of messages.
 *
 * @example
 * ```ts
 * // primary
 * const stats = new ClusterRegistry({ timeoutMs: 2000, gauges: { connections: "perWorker" } });
 * for (let i = 0; i < 4; i++) cluster.fork();
 * http.createServer(createStatsHandler(stats)).listen(9464);
 * ```
 */
export class ClusterRegistry {
  readonly #timeoutMs: number;
  readonly #healthyThreshold: number;
  readonly #verdictRules: Readonly<VerdictRules>;
  readonly #gaugeRule: (name: string) => GaugeRule;
  readonly #local: Target | undefined;
  readonly #clusterWorkers: boolean;
  readonly #clock: Clock;
  readonly #ledger: LifetimeLedger<object>;
  readonly #added = new Map<Worker | MessagePort, Added>();
  /**
   * Workers removed with `removeWorker` that are still running: their figures stay
   * their own in the ledger (not yet summed with the exited workers'), so that adding
   * one again replaces them with its answers instead of counting them twice.
   */
  readonly #removed = new Map<Worker | MessagePort, Added>();
  /**
   * The workers asked by the last collection, by the worker itself: those missing now
   * have left, even when another took their key.
   */
  #asked = new Map<object, Target>();
  #round: Promise<Round> | undefined;
  readonly #nonce = randomUUID();
  #sequence = 0;
  #ports = 0;

  /**
   * @param options - timeout, gauge rules, healthy threshold, non-critical
   *   components, a local registry and a clock.
   * @throws TypeError or RangeError naming the option that is not valid.
   */
  constructor(options: ClusterRegistryOptions = {}) {
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    const {
      timeoutMs = 2000,
      gauges = {},
      defaultGaugeRule = "sum",
      healthyThreshold = 70,
      nonCritical = [],
      local,
      clusterWorkers = true,
      clock,
    } = options;
    checkFinite(timeoutMs, "timeoutMs");
    if (timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
      throw new RangeError(
        `Expected \`timeoutMs\` to be a number > 0 and <= ${MAX_TIMEOUT_MS}, got ${describeValue(timeoutMs)}`,
      );
    }
    checkFinite(healthyThreshold, "healthyThreshold");
    if (healthyThreshold < 0 || healthyThreshold > 100) {
      throw new RangeError(
        `Expected \`healthyThreshold\` to be a number from 0 to 100, got ${describeValue(healthyThreshold)}`,
      );
    }
    if (!Array.isArray(nonCritical)) {
      throw new TypeError(
        `Expected \`nonCritical\` to be an array of component names, got ${describeValue(nonCritical)}`,
      );
    }
    nonCritical.forEach((name: unknown, i) => {
      checkString(name, `nonCritical[${i}]`);
    });
    checkGaugeRule(defaultGaugeRule, "defaultGaugeRule");
    if (typeof gauges !== "object" || gauges === null) {
      throw new TypeError(`Expected \`gauges\` to be an object, got ${describeValue(gauges)}`);
    }
    const rules = new Map<string, GaugeRule>();
    for (const [name, rule] of Object.entries(gauges)) {
      checkGaugeRule(rule, `gauges[${JSON.stringify(name)}]`);
      rules.set(name, rule);
    }
    if (
      local !== undefined &&
      (typeof local !== "object" || local === null || typeof local.collect !== "function")
    ) {
      throw new TypeError(
        `Expected \`local\` to be a StatisticsRegistry (an object with a collect() method), got ${describeValue(local)}`,
      );
    }
    if (typeof clusterWorkers !== "boolean") {
      throw new TypeError(
        `Expected \`clusterWorkers\` to be a boolean, got ${describeValue(clusterWorkers)}`,
      );
    }
    checkClockOption(clock, "clock");
    this.#timeoutMs = timeoutMs;
    this.#healthyThreshold = healthyThreshold;
    this.#verdictRules = resolveVerdictRules({ nonCritical });
    this.#gaugeRule = (name) => rules.get(name) ?? defaultGaugeRule;
    this.#local = local === undefined ? undefined : localTarget(local, PRIMARY);
    this.#clusterWorkers = clusterWorkers;
    this.#clock = clock ?? systemClock;
    this.#ledger = new LifetimeLedger<object>(this.#gaugeRule);
  }

  /**
   * Asks a worker thread (or the primary's end of a `MessagePort` whose other end a
   * worker passed to `shareStats`) in every collection, until it exits (a port:
   * closes) or {@link ClusterRegistry.removeWorker} is called. `node:cluster`
   * workers need no call: every one is asked.
   *
   * @param worker - a `Worker` from `node:worker_threads`, or a `MessagePort`.
   * @param options - `name`: its key in the merged view and its `worker` label
   *   (default `thread-<threadId>`, or `port-<n>`). A name is free again once its
   *   worker has exited or been removed: a thread restarted under it adds to the
   *   figures of the one that left, as an unnamed restarted thread does.
   * @throws TypeError for a bad argument; Error when it was already added, has
   *   exited, or its name is taken.
   */
  addWorker(worker: Worker | MessagePort, options: { name?: string | undefined } = {}): void {
    const isThread = worker instanceof Worker;
    if (!isThread && !(worker instanceof MessagePort)) {
      throw new TypeError(
        `Expected \`worker\` to be a Worker from node:worker_threads or a MessagePort, got ${describeValue(worker)}`,
      );
    }
    if (typeof options !== "object" || options === null) {
      throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
    }
    if (this.#added.has(worker)) throw new Error("This worker was already added");
    if (isThread && worker.threadId === -1) throw new Error("This worker has already exited");
    const { name } = options;
    if (name !== undefined) {
      if (typeof name !== "string" || name.length === 0 || name.length > 256) {
        throw new TypeError(
          `Expected \`options.name\` to be a non-empty string of at most 256 characters, got ${describeValue(name)}`,
        );
      }
      if (GENERATED_KEY.test(name)) {
        throw new RangeError(
          `Expected \`options.name\` not to look like a generated key (primary, cluster-<n>, thread-<n>, port-<n>), got ${JSON.stringify(name)}`,
        );
      }
      for (const { target } of this.#added.values()) {
        if (target.info.worker === name)
          throw new Error(`A worker named ${JSON.stringify(name)} was already added`);
      }
    }
    // Added again after removeWorker: its figures, still its own in the ledger, are
    // replaced by its next answer.
    this.#removed.get(worker)?.release();
    this.#removed.delete(worker);
    const info: WorkerInfo = isThread
      ? { worker: name ?? `thread-${worker.threadId}`, kind: "thread", threadId: worker.threadId }
      : { worker: name ?? `port-${++this.#ports}`, kind: "port" };
    let left = "removed";
    const event = isThread ? "exit" : "close";
    // A port's 'close' listener gets an Event, a Worker's 'exit' listener its exit code.
    const gone = (code: unknown): void => {
      if (this.#removed.delete(worker)) {
        // It can no longer be added again: its figures join the exited workers' sums.
        this.#ledger.retire(worker);
        return;
      }
      left = isThread ? describeExit(code as number, null) : "closed";
      this.#added.delete(worker);
    };
    worker.once(event, gone);
    this.#added.set(worker, {
      target: portTarget(worker, info, () => left),
      release: () => worker.off(event, gone),
    });
  }

  /**
   * Stops asking a worker thread or port given to {@link ClusterRegistry.addWorker}.
   * Its lifetime figures keep counting in the merged view, as an exited worker's do.
   * Adding it again later counts them once: its answers replace its last figures.
   * Until it exits (a port: closes) or is added again, the registry keeps a reference
   * to it and listens for its exit.
   *
   * @returns true when it was added.
   */
  removeWorker(worker: Worker | MessagePort): boolean {
    const added = this.#added.get(worker);
    if (added === undefined) return false;
    this.#added.delete(worker);
    this.#removed.set(worker, added);
    return true;
  }

  /** The workers the next collection asks, in order: the primary's registry, cluster workers by id, added workers. */
  workers(): WorkerInfo[] {
    return this.#targets().map((target) => ({ ...target.info }));
  }

  /**
   * Asks every worker and merges the answers (see the class description). Never
   * rejects, settles within `timeoutMs` (plus the merge); calls made while a
   * collection is in progress share it.
   *
   * @returns a fresh copy of the merged snapshot.
   */
  async collect(): Promise<ClusterSnapshot> {
    return structuredClone((await this.#collectOnce()).merged);
  }

  /**
   * Each worker's own snapshot, as it answered, from the same round of messages as
   * {@link ClusterRegistry.collect} (calls made together share it): for debugging
   * the merged view.
   *
   * @returns a fresh copy: one entry per worker asked, then the workers that left
   *   since the last collection.
   */
  async collectWorkers(): Promise<WorkerSnapshot[]> {
    return structuredClone((await this.#collectOnce()).workers);
  }

  #collectOnce(): Promise<Round> {
    if (this.#round === undefined) {
      const round = this.#collectRound().finally(() => {
        if (this.#round === round) this.#round = undefined;
      });
      this.#round = round;
    }
    return this.#round;
  }

  async #collectRound(): Promise<Round> {
    const timestamp = this.#now();
    const targets = this.#targets();
    const departed: WorkerReport[] = [];
    // By the worker itself, not its key: a worker restarted under the name of one
    // that left must add to the figures of the one that left, not replace them.
    const present = new Set(targets.map((target) => target.source));
    for (const [source, target] of this.#asked) {
      if (present.has(source)) continue;
      // A removed worker still running keeps its own figures (see #removed).
      if (!this.#removed.has(source as Worker | MessagePort)) this.#ledger.retire(source);
      departed.push({ ...target.info, outcome: "exited", reason: target.leftReason() });
    }
    this.#asked = new Map(targets.map((target) => [target.source, target]));

    const answers = await askWorkers(targets, {
      id: `${this.#nonce}:${++this.#sequence}`,
      timeoutMs: this.#timeoutMs,
      now: () => this.#now(),
    });
    const collected = new Map<object, Set<string>>();
    answers.forEach((answer, i) => {
      const { source } = targets[i] as Target;
      if (answer.reply !== undefined) {
        const reports = answer.reply.snapshot.components;
        this.#ledger.update(source, reports, answer.info.worker);
        collected.set(
          source,
          new Set(reports.filter((r) => r.outcome === "ok").map((r) => r.name)),
        );
      } else if (answer.outcome === "exited") {
        // Reported now; the next collection must not report it again.
        this.#ledger.retire(source);
        this.#asked.delete(source);
      }
    });
    const merged = mergeAnswers(answers, departed, this.#ledger.carried(collected), {
      timestamp,
      healthyThreshold: this.#healthyThreshold,
      verdictRules: this.#verdictRules,
      gaugeRule: this.#gaugeRule,
    });
    const workers: WorkerSnapshot[] = answers.map((answer) => {
      const report: WorkerSnapshot = workerReport(answer);
      if (answer.reply !== undefined) report.snapshot = answer.reply.snapshot;
      return report;
    });
    return { merged, workers: [...workers, ...departed] };
  }

  /**
   * The local registry, cluster workers by id (when this is the primary and asks
   * them), then added workers in order.
   */
  #targets(): Target[] {
    const targets: Target[] = this.#local === undefined ? [] : [this.#local];
    if (this.#clusterWorkers && cluster.isPrimary) {
      for (const worker of Object.values(cluster.workers ?? {})) {
        if (worker !== undefined) targets.push(clusterTarget(worker));
      }
    }
    for (const { target } of this.#added.values()) targets.push(target);
    return targets;
  }

  /** Reads the clock; a reading that throws or is not finite counts as 0, so a scrape never fails on it. */
  #now(): number {
    try {
      const nowMs = this.#clock.now();
      return typeof nowMs === "number" && Number.isFinite(nowMs) ? nowMs : 0;
    } catch {
      return 0;
    }
  }
}

function checkGaugeRule(rule: unknown, option: string): asserts rule is GaugeRule {
  if (!GAUGE_RULES.includes(rule as GaugeRule)) {
    throw new TypeError(
      `Expected \`${option}\` to be "sum", "min", "max" or "perWorker", got ${describeValue(rule)}`,
    );
  }
}

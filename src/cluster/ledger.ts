import type { ComponentReport } from "../registry/types.js";
import type { ComponentStats } from "../types.js";
import { type GaugeRule, mergeStats } from "./merge.js";
import type { Owned } from "./merge-fields.js";

/** The owner of carried stats of workers that have left. */
export const RETIRED_OWNER = "retired";

/**
 * What the merged view remembers between collections, so that its lifetime figures
 * (counters, error counts, timing counts) never drop when a worker misses a
 * collection or exits: each worker's last collected stats per component, and the
 * sum of the last stats of every worker that has left.
 *
 * Workers are told apart by `K`, the identity of the worker itself (the cluster
 * registry passes the `Worker`, `MessagePort` or cluster worker), not by their key:
 * a worker that takes the name of one that left is another worker, and its figures
 * add to the other's instead of replacing them.
 *
 * Bounded: one entry per worker and component for the workers asked (and those
 * removed from the view but still running), and one per component name for all that
 * have left together.
 */
export class LifetimeLedger<K = string> {
  readonly #last = new Map<K, { owner: string; stats: Map<string, ComponentStats> }>();
  readonly #retired = new Map<string, ComponentStats>();
  readonly #gaugeRule: (name: string) => GaugeRule;

  /** @param gaugeRule - the gauge rules (the retired sums merge with the same table). */
  constructor(gaugeRule: (name: string) => GaugeRule) {
    this.#gaugeRule = gaugeRule;
  }

  /**
   * Remembers the stats of each component a worker collected now. A component it
   * failed to collect keeps its previous stats; one it no longer lists (unregistered)
   * is forgotten, as it would be in a single process.
   *
   * @param worker - the worker.
   * @param reports - its components, as it collected them now.
   * @param owner - its key in the merged view (default: `worker` as a string).
   */
  update(worker: K, reports: readonly ComponentReport[], owner = String(worker)): void {
    const previous = this.#last.get(worker)?.stats;
    const stats = new Map<string, ComponentStats>();
    for (const report of reports) {
      const value = report.outcome === "ok" ? report.stats : previous?.get(report.name);
      if (value !== undefined) stats.set(report.name, value);
    }
    this.#last.set(worker, { owner, stats });
  }

  /**
   * The carried stats of one collection, by component: the last stats of each
   * component a worker did not collect now, and the sums of workers that have left.
   *
   * @param collected - by worker, the components it collected now; a worker that did
   *   not answer is absent.
   */
  carried(collected: ReadonlyMap<K, ReadonlySet<string>>): Map<string, Owned<ComponentStats>[]> {
    const carried = new Map<string, Owned<ComponentStats>[]>();
    const carry = (component: string, owned: Owned<ComponentStats>): void => {
      const list = carried.get(component) ?? [];
      if (list.length === 0) carried.set(component, list);
      list.push(owned);
    };
    for (const [worker, { owner, stats }] of this.#last) {
      const now = collected.get(worker);
      for (const [component, value] of stats) {
        if (now?.has(component) !== true) carry(component, { owner, value });
      }
    }
    for (const [component, value] of this.#retired)
      carry(component, { owner: RETIRED_OWNER, value });
    return carried;
  }

  /** Adds a worker that left to the retired sums and forgets it. */
  retire(worker: K): void {
    const last = this.#last.get(worker);
    this.#last.delete(worker);
    if (last === undefined) return;
    for (const [component, stats] of last.stats) {
      const retired = this.#retired.get(component);
      if (retired === undefined) {
        this.#retired.set(component, stats);
        continue;
      }
      // Both as fresh values, so that the names of either are kept; only the lifetime
      // fields of the result are ever read.
      const both = [
        { owner: RETIRED_OWNER, value: retired },
        { owner: last.owner, value: stats },
      ];
      this.#retired.set(
        component,
        mergeStats(both, [], { windows: new Map(), gaugeRule: this.#gaugeRule }),
      );
    }
  }
}

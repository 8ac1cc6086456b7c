import { isBetterVerdict } from "../compute/verdict.js";
import type { Verdict } from "../types.js";
import type { RegistrySnapshot } from "./types.js";

/** A verdict that changed, as {@link VerdictTransitions} reports it. */
export interface VerdictChange {
  /** The component's name, or `null` for the registry as a whole. */
  component: string | null;
  /** The verdict reported before. */
  previous: Verdict;
  /** The verdict reported now. */
  verdict: Verdict;
  /** Why: the collection's reasons, or how long a recovery has held. */
  reasons: string[];
  /** The timestamp of the collection that made the change, in epoch milliseconds. */
  at: number;
}

/** What is tracked per subject: the reported verdict, and since when it has been better. */
interface Track {
  reported: Verdict;
  /** Start of the current run of healthy collections; `null` outside one. */
  healthySince: number | null;
  /** Start of the current run of collections no worse than degraded; `null` outside one. */
  degradedSince: number | null;
}

/**
 * Turns a series of collections into verdict changes, each reported once, with
 * hysteresis against a flapping signal. For the registry and for each component:
 *
 * - a worse verdict is reported at once (an outage pages immediately);
 * - a better one is reported once it has held for `recoverAfterMs` without
 *   interruption: a component that fails again meanwhile starts its recovery over,
 *   so a flapping component stays reported unhealthy instead of paging on every flap.
 *   Recovering from unhealthy, it is reported degraded once it has been at least
 *   degraded that long, and healthy once it has been healthy that long.
 *
 * Time is each collection's `timestamp` (the registry's clock), so a manual clock
 * drives it. Each subject starts as healthy: a component first seen degraded or
 * unhealthy is reported at once. A component that is unregistered is forgotten.
 *
 * This is the only stateful part of the health verdict: a collection's own verdict
 * never depends on earlier collections, only these reports do.
 */
export class VerdictTransitions {
  readonly #recoverAfterMs: number;
  #registry: Track = newTrack();
  readonly #components = new Map<string, Track>();

  /** @param recoverAfterMs - how long a better verdict must hold before it is reported, finite and >= 0 (checked by the caller). */
  constructor(recoverAfterMs: number) {
    this.#recoverAfterMs = recoverAfterMs;
  }

  /** The verdicts currently reported, for the registry and each component seen. */
  get reported(): { registry: Verdict; components: Record<string, Verdict> } {
    const components: Record<string, Verdict> = {};
    for (const [name, track] of this.#components) {
      Object.defineProperty(components, name, { value: track.reported, enumerable: true });
    }
    return { registry: this.#registry.reported, components };
  }

  /**
   * Takes one collection into account.
   *
   * @param snapshot - a registry collection, judged.
   * @returns the changes it caused, components first (in registration order), then the registry.
   */
  observe(snapshot: RegistrySnapshot): VerdictChange[] {
    const at = snapshot.timestamp;
    const changes: VerdictChange[] = [];
    const seen = new Set<string>();
    for (const report of snapshot.components) {
      seen.add(report.name);
      let track = this.#components.get(report.name);
      if (track === undefined) {
        track = newTrack();
        this.#components.set(report.name, track);
      }
      const change = this.#step(track, report.verdict, report.reasons, at);
      if (change !== undefined) changes.push({ component: report.name, ...change });
    }
    for (const name of [...this.#components.keys()]) {
      if (!seen.has(name)) this.#components.delete(name);
    }
    const { verdict, reasons } = snapshot.health;
    const change = this.#step(this.#registry, verdict, reasons, at);
    if (change !== undefined) changes.push({ component: null, ...change });
    return changes;
  }

  #step(
    track: Track,
    verdict: Verdict,
    reasons: readonly string[],
    at: number,
  ): Omit<VerdictChange, "component"> | undefined {
    track.healthySince = verdict === "healthy" ? (track.healthySince ?? at) : null;
    track.degradedSince = verdict !== "unhealthy" ? (track.degradedSince ?? at) : null;
    const previous = track.reported;
    let next = previous;
    if (isBetterVerdict(previous, verdict)) next = verdict;
    else if (isBetterVerdict(verdict, previous)) {
      if (this.#held(track.healthySince, at)) next = "healthy";
      else if (previous === "unhealthy" && this.#held(track.degradedSince, at)) next = "degraded";
    }
    if (next === previous) return undefined;
    track.reported = next;
    const why =
      next === verdict
        ? [...reasons]
        : [
            `recovering: healthy for ${Math.round(at - (track.healthySince ?? at))} ms of the ${this.#recoverAfterMs} ms it must hold`,
          ];
    return { previous, verdict: next, reasons: why, at };
  }

  #held(since: number | null, at: number): boolean {
    return since !== null && at - since >= this.#recoverAfterMs;
  }
}

function newTrack(): Track {
  return { reported: "healthy", healthySince: null, degradedSince: null };
}

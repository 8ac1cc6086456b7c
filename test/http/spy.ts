import type { RegistrySnapshot, StatisticsRegistry } from "../../src/index.js";

/**
 * A registry wrapper that counts collections and renders. A render is counted through
 * the snapshot itself: every exporter reads `snapshot.components`, so the reads of that
 * property, divided by the reads one render makes (see `readsPerRender`), count renders.
 * Collections can be held open with `hold()` and let go with `release()`.
 */
export interface SpyRegistry extends Pick<StatisticsRegistry, "collect"> {
  readonly collections: number;
  readonly componentReads: number;
  hold(): void;
  release(): void;
  /** Resolves when the next collection has started. */
  started(): Promise<void>;
}

export function spyRegistry(inner: Pick<StatisticsRegistry, "collect">): SpyRegistry {
  let collections = 0;
  let componentReads = 0;
  let gate: Promise<void> | undefined;
  let open: () => void = () => {};
  let onStart: (() => void)[] = [];
  return {
    get collections() {
      return collections;
    },
    get componentReads() {
      return componentReads;
    },
    hold() {
      gate = new Promise((resolve) => {
        open = resolve;
      });
    },
    release() {
      gate = undefined;
      open();
    },
    started: () => new Promise((resolve) => onStart.push(resolve)),
    async collect(): Promise<RegistrySnapshot> {
      collections++;
      const waiting = onStart;
      onStart = [];
      for (const resolve of waiting) resolve();
      if (gate !== undefined) await gate;
      const snapshot = await inner.collect();
      return {
        ...snapshot,
        get components() {
          componentReads++;
          return snapshot.components;
        },
      };
    },
  };
}

/** What every part of the page shares: its settings, its controls and the latest poll. */
import type { PageSettings } from "../polling.js";

/** The page's shared state. */
export interface PageContext {
  /** Poll interval and chart span. */
  readonly settings: PageSettings;
  /** Points each operation's history keeps. */
  readonly capacity: number;
  /** The filter box. */
  readonly filter: HTMLInputElement;
  /** How operations are sorted. */
  readonly sort: HTMLSelectElement;
  /** How cards are ordered. */
  readonly order: HTMLSelectElement;
  /** The registry's healthy threshold, from the latest snapshot. */
  threshold: number;
  /** When the latest snapshot arrived, epoch ms (the charts' right edge). */
  nowMs: number;
}

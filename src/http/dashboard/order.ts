/**
 * Which components and operations the page shows, and in what order: the sort and
 * order controls, the filter box and the "show all" button. Pure.
 */

import type { TimingSummary, Verdict } from "../../types.js";
import { finiteOrZero } from "./format.js";
import { isVerdict } from "./tone.js";

/** Operations shown per card until "Show all" is clicked. */
export const VISIBLE_OPERATIONS = 5;

/** How a card sorts its operations: most calls, highest p99, or by name. */
export type OperationOrder = "busiest" | "slowest" | "name";

/** How the grid orders its cards: as registered, or worst verdict and score first. */
export type ComponentOrder = "registered" | "worst";

/** An operation as the order functions see it. */
export interface NamedOperation {
  /** The operation's name. */
  name: string;
  /** Its latest summary. */
  latest: Partial<TimingSummary>;
}

/**
 * Reads a `<select>`'s value as an operation order; anything else is by name.
 *
 * @param value - the control's value.
 * @returns the order.
 */
export function operationOrder(value: string): OperationOrder {
  return value === "busiest" || value === "slowest" ? value : "name";
}

const byName = (a: NamedOperation, b: NamedOperation): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/**
 * Sorts operations; ties (and the `name` order) by name, by UTF-16 code units.
 *
 * @param operations - the operations; not modified.
 * @param order - busiest (most calls first), slowest (highest p99 first) or name.
 * @returns a new, sorted array.
 */
export function sortOperations<T extends NamedOperation>(
  operations: readonly T[],
  order: OperationOrder,
): T[] {
  const key: keyof TimingSummary | undefined =
    order === "busiest" ? "count" : order === "slowest" ? "p99Ms" : undefined;
  return operations.slice().sort((a, b) => {
    if (key === undefined) return byName(a, b);
    return finiteOrZero(b.latest[key]) - finiteOrZero(a.latest[key]) || byName(a, b);
  });
}

const VERDICT_RANK: Readonly<Record<Verdict, number>> = { unhealthy: 0, degraded: 1, healthy: 2 };

/** A component as the order functions see it. */
export interface RankedComponent {
  /** Its health score. */
  healthScore: number;
  /** Its verdict, when the snapshot carries one. */
  verdict?: Verdict;
}

/**
 * Orders the cards. "worst" puts unhealthy before degraded before healthy (a
 * component without a verdict ranks as healthy), then the lowest score first; equal
 * components keep their registration order.
 *
 * @param components - in registration order; not modified.
 * @param order - the order control's value.
 * @returns a new array.
 */
export function orderComponents<T extends RankedComponent>(
  components: readonly T[],
  order: ComponentOrder,
): T[] {
  if (order !== "worst") return components.slice();
  const rank = (c: T): number => (isVerdict(c.verdict) ? VERDICT_RANK[c.verdict] : 2);
  return components
    .slice()
    .sort((a, b) => rank(a) - rank(b) || finiteOrZero(a.healthScore) - finiteOrZero(b.healthScore));
}

/**
 * The filter box's text as matched: trimmed and lower case.
 *
 * @param text - what the user typed.
 * @returns the needle; `""` matches everything.
 */
export function normalizeFilter(text: string): string {
  return text.trim().toLowerCase();
}

function contains(name: string, needle: string): boolean {
  return name.toLowerCase().includes(needle);
}

/**
 * Whether a card is shown: its name or one of its operations' names contains the filter.
 *
 * @param componentName - the card's component.
 * @param operationNames - its operations.
 * @param needle - from {@link normalizeFilter}.
 * @returns true when it matches.
 */
export function cardMatches(
  componentName: string,
  operationNames: Iterable<string>,
  needle: string,
): boolean {
  if (needle === "" || contains(componentName, needle)) return true;
  for (const name of operationNames) if (contains(name, needle)) return true;
  return false;
}

/**
 * The operations a card lists under a filter: all of them when the filter matches
 * the component's name, else those whose name contains it.
 *
 * @param componentName - the card's component.
 * @param sorted - its operations, already sorted.
 * @param needle - from {@link normalizeFilter}.
 * @returns the matching operations, in order.
 */
export function matchingOperations<T extends NamedOperation>(
  componentName: string,
  sorted: readonly T[],
  needle: string,
): T[] {
  if (needle === "" || contains(componentName, needle)) return sorted.slice();
  return sorted.filter((operation) => contains(operation.name, needle));
}

/** What a card's operation table shows. */
export interface OperationListing<T> {
  /** The rows shown. */
  visible: T[];
  /** Whether the "Show all" button is shown. */
  showButton: boolean;
  /** The button's text. */
  buttonLabel: string;
}

/**
 * The rows a card shows: the first {@link VISIBLE_OPERATIONS} of the matching
 * operations, or all of them once expanded.
 *
 * @param matching - from {@link matchingOperations}.
 * @param expanded - whether "Show all" was clicked.
 * @returns the rows and the button.
 */
export function listOperations<T>(matching: readonly T[], expanded: boolean): OperationListing<T> {
  const limit = expanded ? matching.length : VISIBLE_OPERATIONS;
  const visible = matching.slice(0, limit);
  const hidden = matching.length - visible.length;
  return {
    visible,
    showButton: matching.length > VISIBLE_OPERATIONS,
    buttonLabel: expanded
      ? `Show the top ${VISIBLE_OPERATIONS}`
      : `Show all ${matching.length} operations (${hidden} more)`,
  };
}

/** The counters and gauges table a card folds away. Pure. */
import { formatCount } from "./format.js";

/** One row of the table. */
export interface MetricRow {
  /** `"counter"` or `"gauge"`. */
  kind: "counter" | "gauge";
  /** The metric's name. */
  name: string;
  /** Its value as shown. */
  value: string;
}

/**
 * The folded table's summary line.
 *
 * @param counters - the component's counters.
 * @param gauges - its gauges.
 * @returns such as `"Counters (3) · gauges (1)"`.
 */
export function metricsSummary(
  counters: Readonly<Record<string, number>>,
  gauges: Readonly<Record<string, number>>,
): string {
  return `Counters (${Object.keys(counters).length}) \u00b7 gauges (${Object.keys(gauges).length})`;
}

/**
 * The table's rows: counters, then gauges, each sorted by name.
 *
 * @param counters - the component's counters.
 * @param gauges - its gauges.
 * @returns the rows.
 */
export function metricRows(
  counters: Readonly<Record<string, number>>,
  gauges: Readonly<Record<string, number>>,
): MetricRow[] {
  const rows = (kind: MetricRow["kind"], values: Readonly<Record<string, number>>): MetricRow[] =>
    Object.keys(values)
      .sort()
      .map((name) => ({ kind, name, value: formatCount(values[name]) }));
  return [...rows("counter", counters), ...rows("gauge", gauges)];
}

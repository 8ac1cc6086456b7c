/**
 * The latency series each chart draws: one per percentile of the data contract, in
 * the contract's order, so a percentile added there shows here.
 */
import { PERCENTILE_FIELDS, SUMMARY_PERCENTILES, type TimingSummary } from "../../types.js";

/** One line of a chart. */
export interface Series {
  /** The summary field it plots. */
  key: keyof TimingSummary;
  /** Its legend label, such as `"p99"`; also the chart's `data-<label>` attribute. */
  label: string;
  /** Its colour. */
  color: string;
  /** Its line width in CSS pixels on a small chart. */
  width: number;
}

// Keyed by the contract's percentile fields: a percentile added there does not compile
// here until it has a colour.
const STYLES: Readonly<
  Record<(typeof PERCENTILE_FIELDS)[number], Pick<Series, "color" | "width">>
> = {
  p50Ms: { color: "#2f6fdb", width: 1.25 },
  p90Ms: { color: "#12a594", width: 1 },
  p95Ms: { color: "#d08700", width: 1 },
  p99Ms: { color: "#d1242f", width: 1.5 },
};

/** Every series, p50 to p99. */
export const SERIES: readonly Series[] = PERCENTILE_FIELDS.map((key, index) => ({
  key,
  label: `p${SUMMARY_PERCENTILES[index]}`,
  ...STYLES[key],
}));

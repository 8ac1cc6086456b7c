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

const STYLES: readonly Pick<Series, "color" | "width">[] = [
  { color: "#2f6fdb", width: 1.25 },
  { color: "#12a594", width: 1 },
  { color: "#d08700", width: 1 },
  { color: "#d1242f", width: 1.5 },
];

/** Every series, p50 to p99. */
export const SERIES: readonly Series[] = PERCENTILE_FIELDS.map((key, index) => ({
  key,
  label: `p${SUMMARY_PERCENTILES[index]}`,
  ...(STYLES[index] ?? { color: "#8c959f", width: 1 }),
}));

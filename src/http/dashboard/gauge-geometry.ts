/**
 * The health gauge's geometry: a half circle in a 120 × 72 view box, 0 at the left,
 * 100 at the right, centred at (60, 62). Pure, so the paths are tested without a DOM.
 */
import { warnFrom } from "./tone.js";

/** The gauge's view box. */
export const GAUGE_VIEW_BOX = "0 0 120 72";
/** Radius of the score arc. */
export const VALUE_RADIUS = 44;
/** Radius of the thin colour bands outside the score arc. */
export const BAND_RADIUS = 56;
/** The needle runs from this radius… */
export const NEEDLE_INNER_RADIUS = 30;
/** …to this one. */
export const NEEDLE_OUTER_RADIUS = 58;
/** The smallest arc drawn, so a score of 0 still shows a sliver. */
export const MIN_ARC = 0.5;

const CENTRE_X = 60;
const CENTRE_Y = 62;

/** A point as SVG coordinates with two decimals. */
export interface GaugePoint {
  /** Horizontal coordinate. */
  x: string;
  /** Vertical coordinate (down is positive). */
  y: string;
}

/**
 * Where a value sits on a circle of the gauge.
 *
 * @param value - 0..100; clamped.
 * @param radius - the circle's radius.
 * @returns the point.
 */
export function gaugePoint(value: number, radius: number): GaugePoint {
  const angle = Math.PI * (1 - Math.max(0, Math.min(100, value)) / 100);
  return {
    x: (CENTRE_X + radius * Math.cos(angle)).toFixed(2),
    y: (CENTRE_Y - radius * Math.sin(angle)).toFixed(2),
  };
}

/**
 * The SVG path of an arc from one value to another, clockwise.
 *
 * @param from - start value, 0..100.
 * @param to - end value, 0..100.
 * @param radius - the circle's radius.
 * @returns the path's `d`, or `""` when `to <= from`.
 */
export function gaugeArc(from: number, to: number, radius: number): string {
  if (to <= from) return "";
  const start = gaugePoint(from, radius);
  const end = gaugePoint(to, radius);
  return `M ${start.x} ${start.y} A ${radius} ${radius} 0 0 1 ${end.x} ${end.y}`;
}

/**
 * The three colour bands behind the score: bad, warn, good.
 *
 * @param threshold - the registry's healthy threshold.
 * @returns the paths, in that order.
 */
export function bandArcs(threshold: number): [bad: string, warn: string, good: string] {
  const warnStart = warnFrom(threshold);
  return [
    gaugeArc(0, warnStart, BAND_RADIUS),
    gaugeArc(warnStart, threshold, BAND_RADIUS),
    gaugeArc(threshold, 100, BAND_RADIUS),
  ];
}

/**
 * The score arc.
 *
 * @param score - 0..100.
 * @returns the path's `d`.
 */
export function valueArc(score: number): string {
  return gaugeArc(0, Math.max(score, MIN_ARC), VALUE_RADIUS);
}

/**
 * The needle's end points.
 *
 * @param score - 0..100.
 * @returns its inner and outer points.
 */
export function needle(score: number): { inner: GaugePoint; outer: GaugePoint } {
  return {
    inner: gaugePoint(score, NEEDLE_INNER_RADIUS),
    outer: gaugePoint(score, NEEDLE_OUTER_RADIUS),
  };
}

/** The health gauge of a card: colour bands, the score as an arc, a needle. */
import { formatScore } from "../format.js";
import {
  bandArcs,
  GAUGE_VIEW_BOX,
  gaugeArc,
  needle,
  VALUE_RADIUS,
  valueArc,
} from "../gauge-geometry.js";
import { TONE_COLOURS, type Tone, toneColour } from "../tone.js";
import { svg } from "./dom.js";

/** A gauge's parts. */
export interface Gauge {
  /** The `<svg>`. */
  root: SVGSVGElement;
  /** The bad, warn and good bands. */
  bands: SVGPathElement[];
  /** The score arc. */
  value: SVGPathElement;
  /** The needle. */
  needle: SVGLineElement;
  /** The score's text. */
  text: SVGTextElement;
  /** The threshold the bands were drawn for. */
  threshold: number | undefined;
}

const bandPath = (colour: string): SVGPathElement =>
  svg("path", { fill: "none", "stroke-width": "5", stroke: colour, opacity: "0.35" });

/**
 * Creates an empty gauge.
 *
 * @returns its parts.
 */
export function createGauge(): Gauge {
  const root = svg("svg", { class: "gauge", viewBox: GAUGE_VIEW_BOX, role: "img" });
  const bands = [
    bandPath(TONE_COLOURS.bad),
    bandPath(TONE_COLOURS.warn),
    bandPath(TONE_COLOURS.good),
  ];
  const track = svg("path", {
    fill: "none",
    "stroke-width": "12",
    stroke: "#8c959f",
    opacity: "0.18",
    d: gaugeArc(0, 100, VALUE_RADIUS),
  });
  const value = svg("path", {
    fill: "none",
    "stroke-width": "12",
    "stroke-linecap": "butt",
    class: "gauge-arc",
  });
  const line = svg("line", { "stroke-width": "2", stroke: "currentColor", class: "gauge-needle" });
  const text = svg("text", { x: "60", y: "60", "text-anchor": "middle", class: "gauge-value" });
  const label = svg("text", { x: "60", y: "71", "text-anchor": "middle", class: "gauge-label" });
  label.textContent = "health";
  for (const part of [...bands, track, value, line, text, label]) root.appendChild(part);
  return { root, bands, value, needle: line, text, threshold: undefined };
}

/**
 * Shows a score.
 *
 * @param gauge - the gauge.
 * @param score - 0..100.
 * @param tone - the score's band.
 * @param threshold - the registry's healthy threshold (the bands move with it).
 */
export function updateGauge(gauge: Gauge, score: number, tone: Tone, threshold: number): void {
  if (gauge.threshold !== threshold) {
    bandArcs(threshold).forEach((d, index) => {
      gauge.bands[index]?.setAttribute("d", d);
    });
    gauge.threshold = threshold;
  }
  gauge.value.setAttribute("d", valueArc(score));
  gauge.value.setAttribute("stroke", toneColour(tone));
  const { inner, outer } = needle(score);
  gauge.needle.setAttribute("x1", inner.x);
  gauge.needle.setAttribute("y1", inner.y);
  gauge.needle.setAttribute("x2", outer.x);
  gauge.needle.setAttribute("y2", outer.y);
  gauge.text.textContent = formatScore(score);
  gauge.root.setAttribute("aria-label", `health ${formatScore(score)} of 100`);
  gauge.root.setAttribute("data-score", String(score));
}

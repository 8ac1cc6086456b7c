/**
 * How a chart maps its history to pixels: which points are in the window, the
 * x span, and a y maximum rounded up to a readable number. Pure; the page draws.
 */
import type { LatencyHistory } from "./history.js";
import { SERIES } from "./series.js";

/** Space around a chart's plot, in CSS pixels. */
export interface ChartPadding {
  /** Left: room for the y labels on a big chart. */
  left: number;
  /** Right. */
  right: number;
  /** Top: room for the y maximum on a small chart. */
  top: number;
  /** Bottom: room for the time labels on a big chart. */
  bottom: number;
}

/** Padding of the small chart in a table row, and of the big one a click opens. */
export const CHART_PADDING: Readonly<Record<"small" | "big", ChartPadding>> = {
  small: { left: 1, right: 1, top: 11, bottom: 2 },
  big: { left: 58, right: 8, top: 8, bottom: 18 },
};

/** What one chart shows. */
export interface ChartFrame {
  /** The oldest time a point may have to be drawn, epoch ms. */
  windowStartMs: number;
  /** The x axis's left edge, epoch ms (its right edge is now). */
  fromMs: number;
  /** The x axis's span in milliseconds; always > 0. */
  spanMs: number;
  /** The y axis's top, in milliseconds; a "nice" number > 0. */
  yMax: number;
  /** Points inside the window. */
  points: number;
}

const NICE_STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/**
 * The smallest of 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 (times a power of ten) that is at
 * least `value`: the top of a y axis that reads well.
 *
 * @param value - the largest value plotted.
 * @returns a nice number ≥ `value` (at most 1.5 × `value`); 1 when `value` is not
 *   positive and finite.
 */
export function niceCeil(value: number): number {
  if (!(value > 0) || !Number.isFinite(value)) return 1;
  // log10 may round an exact power of ten down; the second decade catches that.
  const power = 10 ** Math.floor(Math.log10(value));
  for (const decade of [power, power * 10]) {
    for (const step of NICE_STEPS) {
      // Rounded, so 3 × 0.1 is 0.3 and not 0.30000000000000004.
      const candidate = Number((step * decade).toPrecision(12));
      if (candidate >= value && Number.isFinite(candidate)) return candidate;
    }
  }
  return value; // near Number.MAX_VALUE no nicer number is finite
}

/**
 * The frame of a chart at `nowMs`: the points of the last `historyMs`, and an x axis
 * that spans only what there is until the history fills the window (a young
 * dashboard uses the whole chart, not its right-hand edge), but at least one poll.
 *
 * @param history - the operation's history.
 * @param nowMs - the time of the latest poll.
 * @param historyMs - the span the charts show.
 * @param pollMs - the poll interval.
 * @returns the frame.
 */
export function chartFrame(
  history: LatencyHistory,
  nowMs: number,
  historyMs: number,
  pollMs: number,
): ChartFrame {
  const windowStartMs = nowMs - historyMs;
  let points = 0;
  let oldest = nowMs;
  let yMax = 0;
  for (let i = 0; i < history.size; i++) {
    const timeMs = history.timeAt(i);
    if (timeMs < windowStartMs) continue;
    points++;
    oldest = Math.min(oldest, timeMs);
    for (let k = 0; k < SERIES.length; k++) yMax = Math.max(yMax, history.valueAt(i, k));
  }
  const fromMs = Math.min(Math.max(windowStartMs, oldest), nowMs - pollMs);
  return { windowStartMs, fromMs, spanMs: nowMs - fromMs, yMax: niceCeil(yMax), points };
}

/**
 * A point's x coordinate.
 *
 * @param timeMs - the point's time.
 * @param frame - the chart's frame.
 * @param left - the plot's left edge in pixels.
 * @param width - the plot's width in pixels.
 * @returns pixels.
 */
export function chartX(timeMs: number, frame: ChartFrame, left: number, width: number): number {
  return left + ((timeMs - frame.fromMs) / frame.spanMs) * width;
}

/**
 * A value's y coordinate (0 at the plot's bottom, `yMax` at its top).
 *
 * @param valueMs - the value.
 * @param frame - the chart's frame.
 * @param top - the plot's top edge in pixels.
 * @param height - the plot's height in pixels.
 * @returns pixels.
 */
export function chartY(valueMs: number, frame: ChartFrame, top: number, height: number): number {
  return top + height - (valueMs / frame.yMax) * height;
}

/**
 * Latency charts on canvas. Charts are drawn in two passes over a queue: first every
 * canvas is measured (one layout for the whole page), then every canvas is sized and
 * drawn. Measuring between DOM writes would force a layout per chart, which with
 * 1000 charts costs seconds per poll.
 */

import type { TimingSummary } from "../../../types.js";
import { CHART_PADDING, chartFrame, chartX, chartY } from "../chart-scale.js";
import { finiteOrZero, formatMs, formatSpan } from "../format.js";
import type { LatencyHistory } from "../history.js";
import { SERIES } from "../series.js";

/** What a chart plots: one operation. */
export interface Charted {
  /** The operation's name. */
  name: string;
  /** Its history. */
  history: LatencyHistory;
  /** Its latest summary. */
  latest: Partial<TimingSummary>;
}

interface ChartJob {
  canvas: HTMLCanvasElement;
  operation: Charted;
  big: boolean;
  width: number;
  height: number;
}

/** Charts waiting to be drawn in one pass. */
export type ChartQueue = ChartJob[];

const MUTED = "#8c959f";

/**
 * Adds a chart to the next pass.
 *
 * @param queue - the pass.
 * @param canvas - where to draw.
 * @param operation - what to draw.
 * @param big - the large chart a row opens, with axes and labels.
 */
export function queueChart(
  queue: ChartQueue,
  canvas: HTMLCanvasElement,
  operation: Charted,
  big: boolean,
): void {
  queue.push({ canvas, operation, big, width: 0, height: 0 });
}

/**
 * Measures, then draws, every queued chart.
 *
 * @param queue - the pass.
 * @param nowMs - the latest poll's time.
 * @param historyMs - the span the charts show.
 * @param pollMs - the poll interval.
 */
export function flushCharts(
  queue: ChartQueue,
  nowMs: number,
  historyMs: number,
  pollMs: number,
): void {
  for (const job of queue) {
    job.width = job.canvas.clientWidth || (job.big ? 600 : 150);
    job.height = job.canvas.clientHeight || (job.big ? 140 : 30);
  }
  for (const job of queue) drawChart(job, nowMs, historyMs, pollMs);
}

function drawChart(job: ChartJob, nowMs: number, historyMs: number, pollMs: number): void {
  const { canvas, operation, big, width, height } = job;
  const ratio = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
  if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
  const context = canvas.getContext("2d");
  if (context === null) return;
  context.setTransform(ratio, 0, 0, ratio, 0, 0);
  context.clearRect(0, 0, width, height);
  const pad = big ? CHART_PADDING.big : CHART_PADDING.small;
  const history = operation.history;
  const frame = chartFrame(history, nowMs, historyMs, pollMs);
  const plotWidth = width - pad.left - pad.right;
  const plotHeight = height - pad.top - pad.bottom;
  const bottom = height - pad.bottom;

  context.font = `${big ? "11px" : "9px"} system-ui, sans-serif`;
  context.fillStyle = MUTED;
  context.strokeStyle = MUTED;
  context.globalAlpha = 0.25;
  context.lineWidth = 1;
  context.beginPath();
  context.moveTo(pad.left, bottom + 0.5);
  context.lineTo(width - pad.right, bottom + 0.5);
  if (big) {
    context.moveTo(pad.left, pad.top + 0.5);
    context.lineTo(width - pad.right, pad.top + 0.5);
    context.moveTo(pad.left, pad.top + plotHeight / 2 + 0.5);
    context.lineTo(width - pad.right, pad.top + plotHeight / 2 + 0.5);
  }
  context.stroke();
  context.globalAlpha = 1;
  if (big) {
    context.textAlign = "right";
    context.textBaseline = "middle";
    context.fillText(`${formatMs(frame.yMax)} ms`, pad.left - 4, pad.top);
    context.fillText(formatMs(frame.yMax / 2), pad.left - 4, pad.top + plotHeight / 2);
    context.fillText("0", pad.left - 4, bottom);
    context.textBaseline = "top";
    context.textAlign = "left";
    context.fillText(`-${formatSpan(frame.spanMs)}`, pad.left, bottom + 3);
    context.textAlign = "right";
    context.fillText("now", width - pad.right, bottom + 3);
  } else {
    context.textAlign = "left";
    context.textBaseline = "top";
    context.fillText(`${formatMs(frame.yMax)} ms`, 2, 0);
  }

  SERIES.forEach((series, k) => {
    context.strokeStyle = series.color;
    context.fillStyle = series.color;
    context.lineWidth = series.width * (big ? 1.3 : 1);
    context.beginPath();
    let started = false;
    let x = 0;
    let y = 0;
    for (let i = 0; i < history.size; i++) {
      const timeMs = history.timeAt(i);
      if (timeMs < frame.windowStartMs) continue;
      x = chartX(timeMs, frame, pad.left, plotWidth);
      y = chartY(history.valueAt(i, k), frame, pad.top, plotHeight);
      if (started) context.lineTo(x, y);
      else {
        context.moveTo(x, y);
        started = true;
      }
    }
    // One point is no line: draw it as a dot.
    if (frame.points === 1) context.fillRect(x - 1.5, y - 1.5, 3, 3);
    else context.stroke();
  });

  const latest = operation.latest;
  canvas.setAttribute("data-operation", operation.name);
  canvas.setAttribute("data-points", String(frame.points));
  canvas.setAttribute("data-ymax", String(frame.yMax));
  canvas.setAttribute("data-count", String(finiteOrZero(latest.count)));
  for (const series of SERIES) {
    canvas.setAttribute(`data-${series.label}`, String(finiteOrZero(latest[series.key])));
  }
}

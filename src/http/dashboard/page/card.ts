/**
 * One component's card: status, gauge, verdict, facts, errors, counters and gauges,
 * and a table of operations with a chart each. Cards and rows are created once and
 * updated in place on every poll.
 */

import type { ErrorRecord, TimingSummary } from "../../../types.js";
import { errorLines, errorsKey, lastErrorText } from "../error-view.js";
import {
  finiteOrZero,
  formatCount,
  formatDuration,
  formatMb,
  formatMs,
  formatSpan,
  formatTime,
} from "../format.js";
import { LatencyHistory } from "../history.js";
import { metricRows, metricsSummary } from "../metric-rows.js";
import {
  cardMatches,
  listOperations,
  matchingOperations,
  normalizeFilter,
  operationOrder,
  sortOperations,
} from "../order.js";
import { scoreBand, statusTone } from "../tone.js";
import { type ComponentVerdictView, componentVerdictView, recentView } from "../verdict-view.js";
import type { ShownReport } from "../wire.js";
import { type ChartQueue, flushCharts, queueChart } from "./chart.js";
import type { PageContext } from "./context.js";
import { el, setText } from "./dom.js";
import { createGauge, type Gauge, updateGauge } from "./gauge.js";

/** One operation's row (and the large chart it opens). */
interface OperationRow {
  name: string;
  row: HTMLTableRowElement;
  count: HTMLTableCellElement;
  p50: HTMLTableCellElement;
  p99: HTMLTableCellElement;
  chartCell: HTMLTableCellElement;
  canvas: HTMLCanvasElement | undefined;
  detail: HTMLTableRowElement | undefined;
  detailCanvas: HTMLCanvasElement | undefined;
  history: LatencyHistory;
  latest: Partial<TimingSummary>;
  open: boolean;
}

/** A card and the nodes it updates. */
export interface Card {
  /** The component's name. */
  readonly name: string;
  /** The `<article>`. */
  readonly root: HTMLElement;
  readonly status: HTMLElement;
  readonly gauge: Gauge;
  readonly verdictTerm: HTMLElement;
  readonly verdict: HTMLElement;
  readonly recentTerm: HTMLElement;
  readonly recent: HTMLElement;
  readonly errors: HTMLElement;
  readonly uptime: HTMLElement;
  readonly memory: HTMLElement;
  readonly activity: HTMLElement;
  readonly reasons: HTMLUListElement;
  readonly reason: HTMLElement;
  readonly lastError: HTMLElement;
  readonly errorsBox: HTMLDetailsElement;
  readonly errorsSummary: HTMLElement;
  readonly errorList: HTMLOListElement;
  readonly metricsBox: HTMLDetailsElement;
  readonly metricsSummary: HTMLElement;
  readonly metricsBody: HTMLTableSectionElement;
  readonly opsTable: HTMLTableElement;
  readonly opsBody: HTMLTableSectionElement;
  readonly more: HTMLButtonElement;
  readonly empty: HTMLElement;
  readonly ops: Map<string, OperationRow>;
  expanded: boolean;
  errorsKey: string;
  counters: Record<string, number>;
  gauges: Record<string, number>;
}

function fact(list: HTMLElement, label: string): { term: HTMLElement; value: HTMLElement } {
  const term = el("dt", null, label);
  const value = el("dd");
  list.appendChild(term);
  list.appendChild(value);
  return { term, value };
}

/**
 * Creates a card, empty until {@link updateCard}.
 *
 * @param name - the component's name.
 * @param context - the page.
 * @returns the card.
 */
export function createCard(name: string, context: PageContext): Card {
  const root = el("article", "card");
  root.setAttribute("data-component", name);
  const head = el("header", "card-head");
  const title = el("h2", "card-name", name);
  title.title = name;
  const status = el("span", "pill");
  head.appendChild(title);
  head.appendChild(status);
  const top = el("div", "card-top");
  const gauge = createGauge();
  const facts = el("dl", "facts");
  const verdict = fact(facts, "verdict");
  const recent = fact(facts, "recent failures");
  const card: Card = {
    name,
    root,
    status,
    gauge,
    verdictTerm: verdict.term,
    verdict: verdict.value,
    recentTerm: recent.term,
    recent: recent.value,
    errors: fact(facts, "errors").value,
    uptime: fact(facts, "uptime").value,
    memory: fact(facts, "memory").value,
    activity: fact(facts, "last activity").value,
    reasons: el("ul", "verdict-reasons"),
    reason: el("p", "reason"),
    lastError: el("p", "last-error"),
    errorsBox: el("details", "errors"),
    errorsSummary: el("summary"),
    errorList: el("ol", "error-list"),
    metricsBox: el("details", "metrics"),
    metricsSummary: el("summary"),
    metricsBody: el("tbody"),
    opsTable: el("table", "ops"),
    opsBody: el("tbody"),
    more: el("button", "more"),
    empty: el("p", "empty", "No timed operations yet."),
    ops: new Map(),
    expanded: false,
    errorsKey: "",
    counters: {},
    gauges: {},
  };
  for (const node of [verdict.term, verdict.value, recent.term, recent.value, card.reasons]) {
    node.hidden = true;
  }
  top.appendChild(gauge.root);
  top.appendChild(facts);
  card.reason.hidden = true;
  card.lastError.hidden = true;
  card.errorsBox.appendChild(card.errorsSummary);
  card.errorsBox.appendChild(card.errorList);
  card.errorsBox.hidden = true;
  const kv = el("table", "kv");
  kv.appendChild(card.metricsBody);
  card.metricsBox.appendChild(card.metricsSummary);
  card.metricsBox.appendChild(kv);
  card.metricsBox.hidden = true;
  // The table is filled only while open: a closed one costs nothing per poll.
  card.metricsBox.addEventListener("toggle", () => updateMetrics(card, card.counters, card.gauges));
  const columns = el("colgroup");
  for (const name of ["c-name", "c-num", "c-num", "c-num", "c-chart"]) {
    columns.appendChild(el("col", name));
  }
  const headRow = el("tr");
  const span = formatSpan(context.settings.historyMs);
  for (const label of ["operation", "count", "p50 ms", "p99 ms", `p50\u2013p99, last ${span}`]) {
    headRow.appendChild(el("th", null, label));
  }
  const thead = el("thead");
  thead.appendChild(headRow);
  card.opsTable.appendChild(columns);
  card.opsTable.appendChild(thead);
  card.opsTable.appendChild(card.opsBody);
  card.more.type = "button";
  card.more.hidden = true;
  card.more.addEventListener("click", () => {
    card.expanded = !card.expanded;
    renderCard(card, context);
  });
  for (const child of [
    head,
    top,
    card.reasons,
    card.reason,
    card.lastError,
    card.errorsBox,
    card.metricsBox,
    card.empty,
    card.opsTable,
    card.more,
  ]) {
    root.appendChild(child);
  }
  return card;
}

function createOperation(card: Card, name: string, context: PageContext): OperationRow {
  const row = el("tr", "op");
  row.setAttribute("data-operation", name);
  const nameCell = el("td", "op-name", name);
  nameCell.title = `${name} (click for a larger chart)`;
  const operation: OperationRow = {
    name,
    row,
    count: el("td", "num"),
    p50: el("td", "num"),
    p99: el("td", "num"),
    chartCell: el("td"),
    canvas: undefined,
    detail: undefined,
    detailCanvas: undefined,
    history: new LatencyHistory(context.capacity),
    latest: {},
    open: false,
  };
  for (const cell of [
    nameCell,
    operation.count,
    operation.p50,
    operation.p99,
    operation.chartCell,
  ]) {
    row.appendChild(cell);
  }
  row.addEventListener("click", () => {
    operation.open = !operation.open;
    renderCard(card, context);
  });
  return operation;
}

/**
 * Shows a component's report.
 *
 * @param card - its card.
 * @param report - its report from the latest snapshot.
 * @param context - the page.
 * @param record - whether to add the report's timings to the charts' history (false
 *   when the same snapshot is only laid out again).
 */
export function updateCard(
  card: Card,
  report: ShownReport,
  context: PageContext,
  record: boolean,
): void {
  const stats = report.stats;
  const score = finiteOrZero(report.healthScore);
  const band = scoreBand(score, context.threshold);
  const verdict = componentVerdictView(report);
  card.root.className = `card band-${verdict?.tone ?? band}`;
  card.root.setAttribute("data-score", String(score));
  card.root.setAttribute("data-status", String(report.status));
  if (verdict === undefined) card.root.removeAttribute("data-verdict");
  else card.root.setAttribute("data-verdict", verdict.verdict);
  updateGauge(card.gauge, score, band, context.threshold);
  setText(card.status, String(report.status));
  card.status.className = `pill ${statusTone(String(report.status))}`;
  updateVerdict(card, verdict);
  if (report.outcome && report.outcome !== "ok") {
    card.reason.hidden = false;
    setText(card.reason, `${report.outcome}: ${report.reason || "not collected"}`);
  } else {
    card.reason.hidden = true;
  }
  const recent = recentView(stats?.recent);
  card.recentTerm.hidden = recent === undefined;
  card.recent.hidden = recent === undefined;
  if (recent === undefined) card.root.removeAttribute("data-recent-error-rate");
  else {
    setText(card.recent, `${recent.ratioText} (${recent.detailText})`);
    card.recent.className = recent.ratio > 0 ? "bad" : "";
    card.root.setAttribute("data-recent-error-rate", String(recent.ratio));
  }
  if (!stats) return;
  const errorCount = finiteOrZero(stats.errorCount);
  card.root.setAttribute("data-errors", String(errorCount));
  setText(card.errors, formatCount(errorCount));
  card.errors.className = errorCount > 0 ? "bad" : "";
  setText(card.uptime, formatDuration(stats.uptimeSeconds));
  setText(card.memory, formatMb(stats.memoryUsageMb));
  setText(card.activity, stats.lastActivity === null ? "never" : formatTime(stats.lastActivity));
  updateErrors(card, Array.isArray(report.recentErrors) ? report.recentErrors : []);
  updateMetrics(card, stats.counters || {}, stats.gauges || {});

  const metrics = stats.performanceMetrics || {};
  for (const [name, summary] of Object.entries(metrics)) {
    let operation = card.ops.get(name);
    if (operation === undefined) {
      operation = createOperation(card, name, context);
      card.ops.set(name, operation);
    }
    operation.latest = summary;
    if (record) operation.history.push(context.nowMs, summary);
  }
  for (const [name, operation] of card.ops) {
    if (Object.hasOwn(metrics, name)) continue;
    operation.row.remove();
    operation.detail?.remove();
    card.ops.delete(name);
  }
}

function updateVerdict(card: Card, verdict: ComponentVerdictView | undefined): void {
  card.verdictTerm.hidden = verdict === undefined;
  card.verdict.hidden = verdict === undefined;
  const reasons = verdict?.reasons ?? [];
  card.reasons.hidden = reasons.length === 0;
  if (verdict === undefined) return;
  let pill = card.verdict.firstElementChild;
  if (pill === null) {
    pill = el("span", "pill");
    card.verdict.appendChild(pill);
  }
  setText(pill, verdict.verdict);
  pill.className = `pill verdict-pill ${verdict.tone}`;
  const key = reasons.join("\n");
  if (card.reasons.getAttribute("data-key") === key) return;
  card.reasons.setAttribute("data-key", key);
  card.reasons.textContent = "";
  for (const reason of reasons) card.reasons.appendChild(el("li", verdict.tone, reason));
}

function updateErrors(card: Card, records: readonly Partial<ErrorRecord>[]): void {
  const count = records.length;
  card.errorsBox.hidden = count === 0;
  card.lastError.hidden = count === 0;
  const newest = records[count - 1];
  if (newest === undefined) return;
  setText(card.lastError, lastErrorText(newest));
  setText(card.errorsSummary, `Recent errors (${count})`);
  const key = errorsKey(records);
  if (card.errorsKey === key) return;
  card.errorsKey = key;
  card.errorList.textContent = "";
  for (const line of errorLines(records)) {
    const item = el("li");
    item.appendChild(el("span", "when", line.when));
    item.appendChild(el("span", "type", line.type));
    item.appendChild(el("span", "where", line.where));
    item.appendChild(document.createTextNode(line.message));
    if (line.details) item.appendChild(el("span", "where", ` ${line.details}`));
    card.errorList.appendChild(item);
  }
}

function updateMetrics(
  card: Card,
  counters: Record<string, number>,
  gauges: Record<string, number>,
): void {
  card.counters = counters;
  card.gauges = gauges;
  card.metricsBox.hidden = Object.keys(counters).length + Object.keys(gauges).length === 0;
  setText(card.metricsSummary, metricsSummary(counters, gauges));
  if (!card.metricsBox.open) return;
  card.metricsBody.textContent = "";
  for (const row of metricRows(counters, gauges)) {
    const line = el("tr");
    line.appendChild(el("td", "muted", row.kind));
    line.appendChild(el("td", null, row.name));
    line.appendChild(el("td", null, row.value));
    card.metricsBody.appendChild(line);
  }
}

/**
 * Whether a card matches the filter box.
 *
 * @param card - the card.
 * @param needle - the normalized filter.
 * @returns true when it is shown.
 */
export function cardIsShown(card: Card, needle: string): boolean {
  return cardMatches(card.name, card.ops.keys(), needle);
}

/**
 * Lays out a card's operation rows and queues their charts.
 *
 * @param card - the card.
 * @param queue - the chart pass.
 * @param context - the page.
 */
export function renderOperations(card: Card, queue: ChartQueue, context: PageContext): void {
  const needle = normalizeFilter(context.filter.value);
  const all = sortOperations([...card.ops.values()], operationOrder(context.sort.value));
  const listing = listOperations(matchingOperations(card.name, all, needle), card.expanded);
  const visible = new Set(listing.visible);
  card.empty.hidden = all.length > 0;
  card.opsTable.hidden = all.length === 0;
  const rows: HTMLTableRowElement[] = [];
  for (const operation of all) {
    rows.push(operation.row);
    if (operation.detail) rows.push(operation.detail);
  }
  const children = card.opsBody.children;
  let inOrder = children.length === rows.length;
  for (let i = 0; inOrder && i < rows.length; i++) inOrder = children[i] === rows[i];
  // Moving rows only when the order changed keeps an unchanged poll free of layout work.
  if (!inOrder) for (const row of rows) card.opsBody.appendChild(row);
  for (const operation of all) {
    const isVisible = visible.has(operation);
    if (operation.row.hidden === isVisible) operation.row.hidden = !isVisible;
    if (operation.detail) operation.detail.hidden = !(isVisible && operation.open);
    if (!isVisible) continue;
    showOperation(card, operation, queue);
  }
  card.more.hidden = !listing.showButton;
  setText(card.more, listing.buttonLabel);
}

function showOperation(card: Card, operation: OperationRow, queue: ChartQueue): void {
  const latest = operation.latest;
  setText(operation.count, formatCount(latest.count));
  setText(operation.p50, formatMs(latest.p50Ms));
  setText(operation.p99, formatMs(latest.p99Ms));
  operation.row.title = `${operation.name}: p50 ${formatMs(latest.p50Ms)} \u00b7 p90 ${formatMs(latest.p90Ms)} \u00b7 p95 ${formatMs(latest.p95Ms)} \u00b7 p99 ${formatMs(latest.p99Ms)} \u00b7 max ${formatMs(latest.maxMs)} ms (${formatCount(latest.count)} calls); click for a larger chart`;
  if (operation.canvas === undefined) {
    operation.canvas = el("canvas", "chart");
    operation.canvas.setAttribute("role", "img");
    operation.canvas.setAttribute("aria-label", `latency percentiles of ${operation.name}`);
    operation.chartCell.appendChild(operation.canvas);
  }
  queueChart(queue, operation.canvas, operation, false);
  if (!operation.open) return;
  if (operation.detail === undefined || operation.detailCanvas === undefined) {
    operation.detail = el("tr", "op-detail");
    const cell = el("td", "detail");
    cell.colSpan = 5;
    operation.detailCanvas = el("canvas", "chart-big");
    cell.appendChild(operation.detailCanvas);
    operation.detail.appendChild(cell);
    card.opsBody.insertBefore(operation.detail, operation.row.nextSibling);
  }
  operation.detail.hidden = false;
  queueChart(queue, operation.detailCanvas, operation, true);
}

/**
 * Lays out one card and draws its charts (after a click on it).
 *
 * @param card - the card.
 * @param context - the page.
 */
export function renderCard(card: Card, context: PageContext): void {
  const queue: ChartQueue = [];
  renderOperations(card, queue, context);
  flushCharts(queue, context.nowMs, context.settings.historyMs, context.settings.pollMs);
}

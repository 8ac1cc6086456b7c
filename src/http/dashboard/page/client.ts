/**
 * The dashboard's browser script, bundled by `scripts/build-dashboard.ts` into one
 * inline script that the page's Content-Security-Policy allows by hash. It fetches
 * nothing but `stats` relative to the page, so the page works under any mount path.
 *
 * Hooks for tests and scripts: `body[data-polls]` counts successful polls and
 * `body[data-render-ms]` times the latest render; `#overall` carries `data-score`,
 * `data-healthy` and (when served) `data-verdict`; each card carries
 * `data-component`, `data-score`, `data-status`, `data-errors` and (when served)
 * `data-verdict` and `data-recent-error-rate`; each drawn chart carries
 * `data-operation`, `data-points`, `data-count`, `data-p50`…`data-p99` (the values of
 * the latest poll) and `data-ymax`.
 */
import { historyCapacity } from "../history.js";
import { cardMatches, normalizeFilter, orderComponents } from "../order.js";
import { nextPollDelayMs, pageSettings, requestTimeoutMs, statsUrl } from "../polling.js";
import { SERIES } from "../series.js";
import { overallView, thresholdOf } from "../verdict-view.js";
import type { ShownSnapshot } from "../wire.js";
import { type Card, createCard, renderOperations, updateCard } from "./card.js";
import { type ChartQueue, flushCharts } from "./chart.js";
import type { PageContext } from "./context.js";
import { byId, el } from "./dom.js";
import { renderOverall } from "./overall.js";

const body = document.body;
const settings = pageSettings(
  body.getAttribute("data-poll-interval-ms"),
  body.getAttribute("data-history-ms"),
);
const url = statsUrl(location.pathname);
const grid = byId("grid");
const overall = byId("overall");
const banner = byId("banner");
const legend = byId("legend");
const context: PageContext = {
  settings,
  capacity: historyCapacity(settings.historyMs, settings.pollMs),
  filter: byId<HTMLInputElement>("filter"),
  sort: byId<HTMLSelectElement>("sort"),
  order: byId<HTMLSelectElement>("order"),
  threshold: thresholdOf(undefined),
  nowMs: Date.now(),
};
const cards = new Map<string, Card>();
let polls = 0;
let failures = 0;
let lastSnapshot: Partial<ShownSnapshot> | undefined;

/** Lays out every card under the filter and draws all visible charts in one pass. */
function renderAll(): void {
  const needle = normalizeFilter(context.filter.value);
  const queue: ChartQueue = [];
  for (const card of cards.values()) {
    const hidden = !cardMatches(card.name, card.ops.keys(), needle);
    if (card.root.hidden !== hidden) card.root.hidden = hidden;
    if (!hidden) renderOperations(card, queue, context);
  }
  flushCharts(queue, context.nowMs, settings.historyMs, settings.pollMs);
}

/**
 * Renders a snapshot.
 *
 * @param snapshot - as served.
 * @param record - false when only laying out the last snapshot again (a new order).
 */
function render(snapshot: Partial<ShownSnapshot>, record: boolean): void {
  lastSnapshot = snapshot;
  context.threshold = thresholdOf(snapshot.health);
  const view = overallView(snapshot, body.getAttribute("data-title") ?? "");
  renderOverall(overall, view);
  document.title = view.documentTitle;
  const served = Array.isArray(snapshot.components) ? snapshot.components : [];
  const components = orderComponents(
    served,
    context.order.value === "worst" ? "worst" : "registered",
  );
  const seen = new Set<string>();
  components.forEach((report, index) => {
    const name = String(report.name);
    seen.add(name);
    let card = cards.get(name);
    if (card === undefined) {
      card = createCard(name, context);
      cards.set(name, card);
    }
    if (grid.children[index] !== card.root)
      grid.insertBefore(card.root, grid.children[index] ?? null);
    updateCard(card, report, context, record);
  });
  for (const [name, card] of cards) {
    if (seen.has(name)) continue;
    card.root.remove();
    cards.delete(name);
  }
  renderAll();
}

function poll(): void {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), requestTimeoutMs(settings.pollMs));
  fetch(url, {
    cache: "no-store",
    headers: { accept: "application/json" },
    signal: controller.signal,
  })
    .then((response) => {
      if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
      return response.json() as Promise<Partial<ShownSnapshot>>;
    })
    .then((snapshot) => {
      context.nowMs = Date.now();
      const started = performance.now();
      render(snapshot, true);
      body.setAttribute("data-render-ms", (performance.now() - started).toFixed(1));
      polls++;
      failures = 0;
      body.setAttribute("data-polls", String(polls));
      banner.hidden = true;
    })
    .catch((error: unknown) => {
      failures++;
      banner.hidden = false;
      const message = error instanceof Error ? error.message : String(error);
      banner.textContent = `Cannot read ${url} (${message}); retrying. Showing the last data received.`;
      body.setAttribute("data-failures", String(failures));
    })
    .then(() => {
      clearTimeout(timer);
      setTimeout(poll, nextPollDelayMs(settings.pollMs, failures));
    });
}

for (const series of SERIES) {
  const item = el("span");
  const swatch = el("span", "swatch");
  swatch.style.background = series.color;
  item.appendChild(swatch);
  item.appendChild(document.createTextNode(series.label));
  legend.appendChild(item);
}
context.filter.addEventListener("input", renderAll);
context.sort.addEventListener("change", renderAll);
context.order.addEventListener("change", () => {
  if (lastSnapshot !== undefined) render(lastSnapshot, false);
});
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(renderAll, 150);
});
poll();

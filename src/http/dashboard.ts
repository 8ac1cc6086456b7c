import { DASHBOARD_SCRIPT, DASHBOARD_STYLE } from "./dashboard/assets.generated.js";

/** What the dashboard page is rendered with; every field is already validated. */
export interface DashboardSettings {
  /** Shown in the page's heading and title. */
  title: string;
  /** How often the page polls `stats`, in milliseconds. */
  pollIntervalMs: number;
  /** How much latency history each chart keeps and shows, in milliseconds. */
  historyMs: number;
}

// The page's Content-Security-Policy is written with the assets it allows by hash
// (scripts/build-dashboard.ts, src/http/dashboard/csp.ts): nothing is hashed at run time.
export { DASHBOARD_CSP } from "./dashboard/assets.generated.js";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
}

/**
 * The dashboard: one self-contained HTML page (inline style and script, inline SVG
 * gauges, canvas charts) that polls `stats` relative to its own URL.
 *
 * @param settings - title, poll interval and chart history.
 * @returns the page's HTML.
 */
export function renderDashboard(settings: DashboardSettings): string {
  const title = escapeHtml(settings.title);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${title}</title>
<link rel="icon" href="data:,">
<style>${DASHBOARD_STYLE}</style>
</head>
<body data-title="${title}" data-poll-interval-ms="${settings.pollIntervalMs}" data-history-ms="${settings.historyMs}" data-polls="0">
<header class="top">
<h1>${title}</h1>
<div id="overall" class="overall"><span class="muted">waiting for the first snapshot…</span></div>
<div class="controls">
<input id="filter" type="search" placeholder="Filter components or operations" aria-label="Filter components or operations">
<label>components <select id="order"><option value="registered">as registered</option><option value="worst">worst health first</option></select></label>
<label>operations by <select id="sort"><option value="busiest">busiest</option><option value="slowest">slowest p99</option><option value="name">name</option></select></label>
<span id="legend" class="legend" aria-label="chart legend"></span>
</div>
</header>
<div id="banner" class="banner" role="alert" hidden></div>
<main id="grid" class="grid"></main>
<script>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

/**
 * The dashboard's stylesheet, inlined into the page (and allowed by hash in its
 * Content-Security-Policy). A grid of cards that reflows from one column on a phone
 * to four on a wide screen; nothing here is fetched.
 */
export const DASHBOARD_STYLE = `
:root {
  color-scheme: light dark;
  --bg: #f4f5f7; --card: #ffffff; --text: #1f2328; --muted: #656d76; --line: #d8dee4;
  --good: #1a7f37; --warn: #bf8700; --bad: #cf222e; --idle: #8c959f;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
  --mono: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace;
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d1117; --card: #161b22; --text: #e6edf3; --muted: #8d96a0; --line: #30363d; }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 13px/1.4 var(--font); }
.top { position: sticky; top: 0; z-index: 2; display: flex; flex-wrap: wrap; gap: 8px 24px;
  align-items: center; padding: 10px 16px; background: var(--card); border-bottom: 1px solid var(--line); }
.top h1 { margin: 0; font-size: 16px; font-weight: 600; }
.overall { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 14px; flex: 1 1 420px; }
.overall-score { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; }
.overall .muted, .muted { color: var(--muted); }
.verdict { padding: 1px 8px; border-radius: 10px; color: #fff; font-weight: 600; font-size: 12px; }
.controls { display: flex; gap: 12px; align-items: center; }
.controls input { width: 240px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px;
  background: var(--bg); color: var(--text); font: inherit; }
.controls select { font: inherit; background: var(--bg); color: var(--text);
  border: 1px solid var(--line); border-radius: 6px; padding: 2px 4px; }
.legend { display: flex; gap: 10px; align-items: center; color: var(--muted); }
.swatch { display: inline-block; width: 14px; height: 3px; margin-right: 4px; vertical-align: middle; }
.banner { margin: 12px 16px 0; padding: 8px 12px; border-radius: 6px; background: var(--bad); color: #fff; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 12px;
  padding: 12px 16px 24px; align-items: start; }
.card { background: var(--card); border: 1px solid var(--line); border-top: 4px solid var(--idle);
  border-radius: 8px; padding: 10px 12px; min-width: 0; }
.card.band-good { border-top-color: var(--good); }
.card.band-warn { border-top-color: var(--warn); }
.card.band-bad { border-top-color: var(--bad); }
.card-head { display: flex; align-items: center; gap: 8px; justify-content: space-between; }
.card-name { margin: 0; font-size: 14px; font-weight: 600; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.pill { flex: none; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
  color: #fff; background: var(--idle); }
.pill.good { background: var(--good); } .pill.warn { background: var(--warn); }
.pill.bad { background: var(--bad); }
.card-top { display: flex; gap: 12px; align-items: center; margin: 6px 0 4px; }
.gauge { flex: none; width: 132px; height: 78px; }
.gauge-value { font: 700 20px var(--font); fill: var(--text); }
.gauge-label { font: 10px var(--font); fill: var(--muted); }
.facts { display: grid; grid-template-columns: auto 1fr; gap: 1px 10px; margin: 0; min-width: 0; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-variant-numeric: tabular-nums; overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.facts dd.bad { color: var(--bad); font-weight: 600; }
.reason { margin: 4px 0; padding: 4px 8px; border-radius: 4px; background: var(--bad); color: #fff; }
details { margin: 4px 0; }
summary { cursor: pointer; color: var(--muted); }
.last-error { margin: 2px 0 4px; color: var(--bad); overflow: hidden; text-overflow: ellipsis;
  white-space: nowrap; }
.error-list { margin: 4px 0; padding-left: 18px; max-height: 160px; overflow: auto; }
.error-list li { margin: 2px 0; overflow-wrap: anywhere; }
.error-list .when, .error-list .where { color: var(--muted); font-family: var(--mono); font-size: 11px; }
.error-list .type { font-weight: 600; }
.kv { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
.kv td { padding: 1px 4px; border-bottom: 1px solid var(--line); }
.kv td:last-child { text-align: right; }
.ops { width: 100%; border-collapse: collapse; table-layout: fixed; margin-top: 4px; }
.ops th { font-weight: 500; color: var(--muted); text-align: right; padding: 2px 4px;
  border-bottom: 1px solid var(--line); font-size: 11px; }
.ops th:first-child { text-align: left; }
.ops td { padding: 1px 4px; border-bottom: 1px solid var(--line); height: 34px; }
.ops tr.op { cursor: pointer; }
.ops tr.op:hover { background: var(--bg); }
.ops .op-name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: var(--mono);
  font-size: 12px; }
.ops .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ops col.c-name { width: auto; } .ops col.c-num { width: 54px; } .ops col.c-chart { width: 132px; }
.chart { display: block; width: 100%; height: 30px; }
.chart-big { display: block; width: 100%; height: 140px; }
.ops td.detail { height: auto; padding: 6px 4px; }
.more { margin-top: 6px; font: inherit; color: var(--text); background: var(--bg);
  border: 1px solid var(--line); border-radius: 6px; padding: 2px 10px; cursor: pointer; }
.empty { color: var(--muted); margin: 6px 0; }
[hidden] { display: none !important; }
`;

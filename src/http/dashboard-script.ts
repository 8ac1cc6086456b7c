/**
 * The dashboard's browser script, inlined into the page and allowed by hash in its
 * Content-Security-Policy. Plain DOM, inline SVG gauges and canvas charts; it fetches
 * nothing but `stats` relative to the page, so the page works under any mount path.
 *
 * Why plain ES2017 in a string rather than compiled TypeScript: the page must be
 * byte-identical in the ESM and CommonJS builds (its hash is in the CSP) and must not
 * depend on a bundler's helpers. Data from the server only ever reaches the DOM
 * through `textContent` and attributes, never as HTML.
 *
 * Hooks for tests and scripts: `body[data-polls]` counts successful polls; each card
 * carries `data-component`, `data-score`, `data-status` and `data-errors`; each drawn
 * chart carries `data-operation`, `data-points`, `data-count` and `data-p50`…`data-p99`
 * (the values of the latest poll) and `data-ymax`.
 */
export const DASHBOARD_SCRIPT = `
"use strict";
(function () {
  var body = document.body;
  var pollMs = Number(body.getAttribute("data-poll-interval-ms")) || 1000;
  var historyMs = Number(body.getAttribute("data-history-ms")) || 300000;
  var capacity = Math.ceil(historyMs / pollMs) + 2;
  var VISIBLE_OPERATIONS = 5;
  var MAX_ERRORS_SHOWN = 10;
  var SERIES = [
    { key: "p50Ms", label: "p50", color: "#2f6fdb", width: 1.25 },
    { key: "p90Ms", label: "p90", color: "#12a594", width: 1 },
    { key: "p95Ms", label: "p95", color: "#d08700", width: 1 },
    { key: "p99Ms", label: "p99", color: "#d1242f", width: 1.5 }
  ];
  var SVG_NS = "http://www.w3.org/2000/svg";
  var path = location.pathname;
  var statsUrl = (path.charAt(path.length - 1) === "/" ? path : path + "/") + "stats";

  var grid = document.getElementById("grid");
  var overall = document.getElementById("overall");
  var banner = document.getElementById("banner");
  var filterInput = document.getElementById("filter");
  var sortSelect = document.getElementById("sort");
  var orderSelect = document.getElementById("order");
  var legend = document.getElementById("legend");
  var cards = new Map();
  var polls = 0;
  var failures = 0;
  var threshold = 70;
  var lastNow = Date.now();

  // ---- small helpers -------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }
  function num(value) {
    return typeof value === "number" && isFinite(value) ? value : 0;
  }
  function fmtMs(value) {
    if (typeof value !== "number" || !isFinite(value)) return "\\u2013";
    var abs = Math.abs(value);
    if (abs === 0) return "0";
    return value.toFixed(abs < 1 ? 3 : abs < 10 ? 2 : abs < 100 ? 1 : 0);
  }
  function fmtCount(value) {
    value = num(value);
    var abs = Math.abs(value);
    if (abs >= 1e9) return (value / 1e9).toFixed(1) + "G";
    if (abs >= 1e6) return (value / 1e6).toFixed(1) + "M";
    if (abs >= 1e4) return (value / 1e3).toFixed(1) + "k";
    return String(Math.round(value * 100) / 100);
  }
  function fmtScore(value) {
    return num(value).toFixed(1);
  }
  function fmtDuration(seconds) {
    seconds = Math.max(0, Math.floor(num(seconds)));
    var h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
    if (h > 0) return h + "h " + (m < 10 ? "0" : "") + m + "m";
    if (m > 0) return m + "m " + (s < 10 ? "0" : "") + s + "s";
    return s + "s";
  }
  function fmtTime(epochMs) {
    if (typeof epochMs === "string") epochMs = Date.parse(epochMs);
    if (typeof epochMs !== "number" || !isFinite(epochMs)) return "\\u2013";
    return new Date(epochMs).toLocaleTimeString();
  }
  function fmtSpan(spanMs) {
    return spanMs >= 60000 ? Math.round(spanMs / 60000) + " min" : Math.round(spanMs / 1000) + " s";
  }
  function band(score) {
    if (score >= threshold) return "good";
    return score >= Math.min(40, threshold) ? "warn" : "bad";
  }
  function statusTone(status) {
    if (status === "connected" || status === "active" || status === "ok" || status === "running") return "good";
    if (status === "error" || status === "timeout" || status === "disconnected" || status === "failed") return "bad";
    if (status === "initializing" || status === "reconnecting" || status === "degraded" || status === "connecting") return "warn";
    return "";
  }
  function bandColor(tone) {
    return tone === "good" ? "#1a7f37" : tone === "warn" ? "#bf8700" : "#cf222e";
  }

  // ---- gauge: a half circle with the colour bands and the score as an arc ----

  function point(value, radius) {
    var angle = Math.PI * (1 - Math.max(0, Math.min(100, value)) / 100);
    return (60 + radius * Math.cos(angle)).toFixed(2) + " " + (62 - radius * Math.sin(angle)).toFixed(2);
  }
  function arc(from, to, radius) {
    if (to <= from) return "";
    return "M " + point(from, radius) + " A " + radius + " " + radius + " 0 0 1 " + point(to, radius);
  }
  function createGauge() {
    var root = svg("svg", { "class": "gauge", viewBox: "0 0 120 72", role: "img" });
    var bands = [svg("path", { fill: "none", "stroke-width": "5", stroke: "#cf222e", opacity: "0.35" }),
      svg("path", { fill: "none", "stroke-width": "5", stroke: "#bf8700", opacity: "0.35" }),
      svg("path", { fill: "none", "stroke-width": "5", stroke: "#1a7f37", opacity: "0.35" })];
    var track = svg("path", { fill: "none", "stroke-width": "12", stroke: "#8c959f", opacity: "0.18", d: arc(0, 100, 44) });
    var value = svg("path", { fill: "none", "stroke-width": "12", "stroke-linecap": "butt", "class": "gauge-arc" });
    var needle = svg("line", { "stroke-width": "2", stroke: "currentColor", "class": "gauge-needle" });
    var text = svg("text", { x: "60", y: "60", "text-anchor": "middle", "class": "gauge-value" });
    var label = svg("text", { x: "60", y: "71", "text-anchor": "middle", "class": "gauge-label" });
    label.textContent = "health";
    bands.forEach(function (b) { root.appendChild(b); });
    root.appendChild(track); root.appendChild(value); root.appendChild(needle);
    root.appendChild(text); root.appendChild(label);
    return { root: root, bands: bands, value: value, needle: needle, text: text, threshold: null };
  }
  function updateGauge(gauge, score, tone) {
    if (gauge.threshold !== threshold) {
      var warnFrom = Math.min(40, threshold);
      gauge.bands[0].setAttribute("d", arc(0, warnFrom, 56));
      gauge.bands[1].setAttribute("d", arc(warnFrom, threshold, 56));
      gauge.bands[2].setAttribute("d", arc(threshold, 100, 56));
      gauge.threshold = threshold;
    }
    gauge.value.setAttribute("d", arc(0, Math.max(score, 0.5), 44));
    gauge.value.setAttribute("stroke", bandColor(tone));
    var inner = point(score, 30).split(" "), outer = point(score, 58).split(" ");
    gauge.needle.setAttribute("x1", inner[0]); gauge.needle.setAttribute("y1", inner[1]);
    gauge.needle.setAttribute("x2", outer[0]); gauge.needle.setAttribute("y2", outer[1]);
    gauge.text.textContent = fmtScore(score);
    gauge.root.setAttribute("aria-label", "health " + fmtScore(score) + " of 100");
    gauge.root.setAttribute("data-score", String(score));
  }

  // ---- per-operation history: a ring of (time, p50, p90, p95, p99) -----------

  function History() {
    this.times = new Float64Array(capacity);
    this.values = new Float32Array(capacity * 4);
    this.start = 0;
    this.size = 0;
  }
  History.prototype.push = function (timeMs, summary) {
    var slot;
    if (this.size < capacity) { slot = (this.start + this.size) % capacity; this.size++; }
    else { slot = this.start; this.start = (this.start + 1) % capacity; }
    this.times[slot] = timeMs;
    for (var k = 0; k < 4; k++) this.values[slot * 4 + k] = num(summary[SERIES[k].key]);
  };

  function niceCeil(value) {
    if (!(value > 0)) return 1;
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];
    for (var i = 0; i < steps.length; i++) if (steps[i] * power >= value) return steps[i] * power;
    return 10 * power;
  }

  // Charts are drawn in two passes over a list: first every canvas is measured (one
  // layout for the whole page), then every canvas is sized and drawn. Measuring
  // between DOM writes would force a layout per chart, which with 1000 charts costs
  // seconds per poll.
  function queueChart(queue, canvas, op, big) {
    queue.push({ canvas: canvas, op: op, big: big, width: 0, height: 0 });
  }
  function flushCharts(queue) {
    var i;
    for (i = 0; i < queue.length; i++) {
      queue[i].width = queue[i].canvas.clientWidth || (queue[i].big ? 600 : 150);
      queue[i].height = queue[i].canvas.clientHeight || (queue[i].big ? 140 : 30);
    }
    for (i = 0; i < queue.length; i++) drawChart(queue[i], lastNow);
  }

  function drawChart(item, nowMs) {
    var canvas = item.canvas, op = item.op, big = item.big, width = item.width, height = item.height;
    var ratio = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * ratio)) canvas.width = Math.round(width * ratio);
    if (canvas.height !== Math.round(height * ratio)) canvas.height = Math.round(height * ratio);
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    var pad = big ? { l: 58, r: 8, t: 8, b: 18 } : { l: 1, r: 1, t: 11, b: 2 };
    var from = nowMs - historyMs;
    var h = op.history, i, j, slot, count = 0, yMax = 0, oldest = nowMs;
    for (j = 0; j < h.size; j++) {
      slot = (h.start + j) % capacity;
      if (h.times[slot] < from) continue;
      count++;
      oldest = Math.min(oldest, h.times[slot]);
      for (i = 0; i < 4; i++) yMax = Math.max(yMax, h.values[slot * 4 + i]);
    }
    // Until the history fills the window, the x axis spans what there is, so a young
    // dashboard uses the whole chart instead of its right-hand edge.
    from = Math.min(Math.max(from, oldest), nowMs - pollMs);
    var spanMs = nowMs - from;
    yMax = niceCeil(yMax);
    var plotW = width - pad.l - pad.r, plotH = height - pad.t - pad.b;
    var muted = "#8c959f";
    ctx.font = (big ? "11px " : "9px ") + "system-ui, sans-serif";
    ctx.fillStyle = muted;
    ctx.strokeStyle = muted;
    ctx.globalAlpha = 0.25;
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(pad.l, height - pad.b + 0.5); ctx.lineTo(width - pad.r, height - pad.b + 0.5);
    if (big) {
      ctx.moveTo(pad.l, pad.t + 0.5); ctx.lineTo(width - pad.r, pad.t + 0.5);
      ctx.moveTo(pad.l, pad.t + plotH / 2 + 0.5); ctx.lineTo(width - pad.r, pad.t + plotH / 2 + 0.5);
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    if (big) {
      ctx.textAlign = "right"; ctx.textBaseline = "middle";
      ctx.fillText(fmtMs(yMax) + " ms", pad.l - 4, pad.t);
      ctx.fillText(fmtMs(yMax / 2), pad.l - 4, pad.t + plotH / 2);
      ctx.fillText("0", pad.l - 4, height - pad.b);
      ctx.textBaseline = "top";
      ctx.textAlign = "left"; ctx.fillText("-" + fmtSpan(spanMs), pad.l, height - pad.b + 3);
      ctx.textAlign = "right"; ctx.fillText("now", width - pad.r, height - pad.b + 3);
    } else {
      ctx.textAlign = "left"; ctx.textBaseline = "top";
      ctx.fillText(fmtMs(yMax) + " ms", 2, 0);
    }
    for (i = 0; i < 4; i++) {
      ctx.strokeStyle = SERIES[i].color;
      ctx.fillStyle = SERIES[i].color;
      ctx.lineWidth = SERIES[i].width * (big ? 1.3 : 1);
      ctx.beginPath();
      var started = false, x = 0, y = 0;
      for (j = 0; j < h.size; j++) {
        slot = (h.start + j) % capacity;
        if (h.times[slot] < from) continue;
        x = pad.l + ((h.times[slot] - from) / spanMs) * plotW;
        y = pad.t + plotH - (h.values[slot * 4 + i] / yMax) * plotH;
        if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
      }
      if (count === 1) ctx.fillRect(x - 1.5, y - 1.5, 3, 3); else ctx.stroke();
    }
    var latest = op.latest || {};
    canvas.setAttribute("data-operation", op.name);
    canvas.setAttribute("data-points", String(count));
    canvas.setAttribute("data-ymax", String(yMax));
    canvas.setAttribute("data-count", String(num(latest.count)));
    for (i = 0; i < 4; i++) canvas.setAttribute("data-" + SERIES[i].label, String(num(latest[SERIES[i].key])));
  }

  // ---- cards ------------------------------------------------------------------

  function fact(list, label) {
    list.appendChild(el("dt", null, label));
    var dd = el("dd");
    list.appendChild(dd);
    return dd;
  }

  function createCard(name) {
    var card = el("article", "card");
    card.setAttribute("data-component", name);
    var head = el("header", "card-head");
    var title = el("h2", "card-name", name);
    title.title = name;
    var status = el("span", "pill");
    head.appendChild(title); head.appendChild(status);
    var top = el("div", "card-top");
    var gauge = createGauge();
    var facts = el("dl", "facts");
    var entry = {
      name: name, card: card, status: status, gauge: gauge, ops: new Map(), expanded: false,
      errors: fact(facts, "errors"), uptime: fact(facts, "uptime"), memory: fact(facts, "memory"),
      activity: fact(facts, "last activity"), reason: el("p", "reason"), lastError: el("p", "last-error"),
      errorsBox: el("details", "errors"), errorsSummary: el("summary"), errorList: el("ol", "error-list"),
      metricsBox: el("details", "metrics"), metricsSummary: el("summary"), metricsBody: el("tbody"),
      opsTable: el("table", "ops"), opsBody: el("tbody"), more: el("button", "more"),
      empty: el("p", "empty", "No timed operations yet."), counters: {}, gauges: {}
    };
    top.appendChild(gauge.root); top.appendChild(facts);
    entry.reason.hidden = true;
    entry.lastError.hidden = true;
    entry.errorsBox.appendChild(entry.errorsSummary); entry.errorsBox.appendChild(entry.errorList);
    entry.errorsBox.hidden = true;
    var kv = el("table", "kv");
    kv.appendChild(entry.metricsBody);
    entry.metricsBox.appendChild(entry.metricsSummary); entry.metricsBox.appendChild(kv);
    entry.metricsBox.hidden = true;
    entry.metricsBox.addEventListener("toggle", function () {
      updateMetrics(entry, entry.counters, entry.gauges);
    });
    var colgroup = el("colgroup");
    ["c-name", "c-num", "c-num", "c-num", "c-chart"].forEach(function (c) { colgroup.appendChild(el("col", c)); });
    var headRow = el("tr");
    ["operation", "count", "p50 ms", "p99 ms", "p50\\u2013p99, last " + fmtSpan(historyMs)].forEach(function (label) {
      headRow.appendChild(el("th", null, label));
    });
    var thead = el("thead");
    thead.appendChild(headRow);
    entry.opsTable.appendChild(colgroup); entry.opsTable.appendChild(thead); entry.opsTable.appendChild(entry.opsBody);
    entry.more.type = "button";
    entry.more.hidden = true;
    entry.more.addEventListener("click", function () {
      entry.expanded = !entry.expanded;
      renderCard(entry);
    });
    [head, top, entry.reason, entry.lastError, entry.errorsBox, entry.metricsBox, entry.empty, entry.opsTable, entry.more]
      .forEach(function (child) { card.appendChild(child); });
    return entry;
  }

  function createOperation(entry, name) {
    var row = el("tr", "op");
    row.setAttribute("data-operation", name);
    var nameCell = el("td", "op-name", name);
    nameCell.title = name + " (click for a larger chart)";
    var op = {
      name: name, row: row, count: el("td", "num"), p50: el("td", "num"), p99: el("td", "num"),
      chartCell: el("td"), canvas: null, detail: null, detailCanvas: null,
      history: new History(), latest: null, open: false
    };
    row.appendChild(nameCell); row.appendChild(op.count); row.appendChild(op.p50); row.appendChild(op.p99);
    row.appendChild(op.chartCell);
    row.addEventListener("click", function () {
      op.open = !op.open;
      renderCard(entry);
    });
    return op;
  }

  function updateCard(entry, report, nowMs, record) {
    var stats = report.stats;
    var score = num(report.healthScore);
    var tone = band(score);
    entry.card.className = "card band-" + tone;
    entry.card.setAttribute("data-score", String(score));
    entry.card.setAttribute("data-status", String(report.status));
    updateGauge(entry.gauge, score, tone);
    setText(entry.status, String(report.status));
    entry.status.className = "pill " + statusTone(String(report.status));
    if (report.outcome && report.outcome !== "ok") {
      entry.reason.hidden = false;
      setText(entry.reason, report.outcome + ": " + (report.reason || "not collected"));
    } else {
      entry.reason.hidden = true;
    }
    if (!stats) return;
    var errorCount = num(stats.errorCount);
    entry.card.setAttribute("data-errors", String(errorCount));
    setText(entry.errors, fmtCount(errorCount));
    entry.errors.className = errorCount > 0 ? "bad" : "";
    setText(entry.uptime, fmtDuration(stats.uptimeSeconds));
    setText(entry.memory, num(stats.memoryUsageMb).toFixed(2) + " MB");
    setText(entry.activity, stats.lastActivity === null ? "never" : fmtTime(stats.lastActivity));
    updateErrors(entry, Array.isArray(report.recentErrors) ? report.recentErrors : []);
    updateMetrics(entry, stats.counters || {}, stats.gauges || {});

    var metrics = stats.performanceMetrics || {};
    var names = Object.keys(metrics);
    var seen = new Set(names);
    names.forEach(function (name) {
      var op = entry.ops.get(name);
      if (!op) { op = createOperation(entry, name); entry.ops.set(name, op); }
      op.latest = metrics[name];
      if (record) op.history.push(nowMs, metrics[name]);
    });
    entry.ops.forEach(function (op, name) {
      if (seen.has(name)) return;
      op.row.remove();
      if (op.detail) op.detail.remove();
      entry.ops.delete(name);
    });
  }

  function updateErrors(entry, records) {
    var count = records.length;
    entry.errorsBox.hidden = count === 0;
    entry.lastError.hidden = count === 0;
    if (count === 0) return;
    var newest = records[count - 1];
    setText(entry.lastError, "Last error: " + (newest.errorType || "Error") + " in " + newest.context + ": " + newest.error);
    setText(entry.errorsSummary, "Recent errors (" + count + ")");
    var key = count + ":" + newest.timestamp + ":" + newest.error;
    if (entry.errorsKey === key) return;
    entry.errorsKey = key;
    entry.errorList.textContent = "";
    records.slice(-MAX_ERRORS_SHOWN).reverse().forEach(function (record) {
      var item = el("li");
      item.appendChild(el("span", "when", fmtTime(record.timestamp) + " "));
      item.appendChild(el("span", "type", String(record.errorType || "Error")));
      item.appendChild(el("span", "where", " @ " + record.context + " "));
      item.appendChild(document.createTextNode(String(record.error)));
      var details = record.details && Object.keys(record.details).length > 0 ? JSON.stringify(record.details) : "";
      if (details) item.appendChild(el("span", "where", " " + (details.length > 200 ? details.slice(0, 200) + "\\u2026" : details)));
      entry.errorList.appendChild(item);
    });
  }

  function updateMetrics(entry, counters, gauges) {
    entry.counters = counters;
    entry.gauges = gauges;
    var counterNames = Object.keys(counters), gaugeNames = Object.keys(gauges);
    entry.metricsBox.hidden = counterNames.length + gaugeNames.length === 0;
    setText(entry.metricsSummary, "Counters (" + counterNames.length + ") \\u00b7 gauges (" + gaugeNames.length + ")");
    if (!entry.metricsBox.open) return;
    entry.metricsBody.textContent = "";
    function add(kind, name, value) {
      var row = el("tr");
      row.appendChild(el("td", "muted", kind));
      row.appendChild(el("td", null, name));
      row.appendChild(el("td", null, fmtCount(value)));
      entry.metricsBody.appendChild(row);
    }
    counterNames.sort().forEach(function (name) { add("counter", name, counters[name]); });
    gaugeNames.sort().forEach(function (name) { add("gauge", name, gauges[name]); });
  }

  function sortedOperations(entry) {
    var list = Array.from(entry.ops.values());
    var mode = sortSelect.value;
    list.sort(function (a, b) {
      if (mode === "slowest") return num(b.latest.p99Ms) - num(a.latest.p99Ms) || (a.name < b.name ? -1 : 1);
      if (mode === "busiest") return num(b.latest.count) - num(a.latest.count) || (a.name < b.name ? -1 : 1);
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    return list;
  }

  function renderOperations(entry, queue) {
    var filter = filterInput.value.trim().toLowerCase();
    var all = sortedOperations(entry);
    var shown = filter && entry.name.toLowerCase().indexOf(filter) < 0
      ? all.filter(function (op) { return op.name.toLowerCase().indexOf(filter) >= 0; })
      : all;
    var limit = entry.expanded ? shown.length : VISIBLE_OPERATIONS;
    var visible = new Set(shown.slice(0, limit));
    entry.empty.hidden = all.length > 0;
    entry.opsTable.hidden = all.length === 0;
    var rows = [];
    all.forEach(function (op) {
      rows.push(op.row);
      if (op.detail) rows.push(op.detail);
    });
    var children = entry.opsBody.children, inOrder = children.length === rows.length;
    for (var i = 0; inOrder && i < rows.length; i++) inOrder = children[i] === rows[i];
    if (!inOrder) rows.forEach(function (row) { entry.opsBody.appendChild(row); });
    all.forEach(function (op) {
      var isVisible = visible.has(op);
      if (op.row.hidden === isVisible) op.row.hidden = !isVisible;
      if (op.detail) op.detail.hidden = !(isVisible && op.open);
      if (!isVisible) return;
      var latest = op.latest;
      setText(op.count, fmtCount(latest.count));
      setText(op.p50, fmtMs(latest.p50Ms));
      setText(op.p99, fmtMs(latest.p99Ms));
      op.row.title = op.name + ": p50 " + fmtMs(latest.p50Ms) + " \\u00b7 p90 " + fmtMs(latest.p90Ms) +
        " \\u00b7 p95 " + fmtMs(latest.p95Ms) + " \\u00b7 p99 " + fmtMs(latest.p99Ms) + " \\u00b7 max " +
        fmtMs(latest.maxMs) + " ms (" + fmtCount(latest.count) + " calls); click for a larger chart";
      if (!op.canvas) {
        op.canvas = el("canvas", "chart");
        op.canvas.setAttribute("role", "img");
        op.canvas.setAttribute("aria-label", "latency percentiles of " + op.name);
        op.chartCell.appendChild(op.canvas);
      }
      queueChart(queue, op.canvas, op, false);
      if (op.open) {
        if (!op.detail) {
          op.detail = el("tr", "op-detail");
          var cell = el("td", "detail");
          cell.colSpan = 5;
          op.detailCanvas = el("canvas", "chart-big");
          cell.appendChild(op.detailCanvas);
          op.detail.appendChild(cell);
          entry.opsBody.insertBefore(op.detail, op.row.nextSibling);
        }
        op.detail.hidden = false;
        queueChart(queue, op.detailCanvas, op, true);
      }
    });
    var hiddenCount = shown.length - Math.min(limit, shown.length);
    entry.more.hidden = shown.length <= VISIBLE_OPERATIONS;
    setText(entry.more, entry.expanded ? "Show the top " + VISIBLE_OPERATIONS : "Show all " + shown.length + " operations (" + hiddenCount + " more)");
  }

  function renderCard(entry) {
    var queue = [];
    renderOperations(entry, queue);
    flushCharts(queue);
  }

  function matchesFilter(entry, filter) {
    if (!filter || entry.name.toLowerCase().indexOf(filter) >= 0) return true;
    var found = false;
    entry.ops.forEach(function (op) { if (op.name.toLowerCase().indexOf(filter) >= 0) found = true; });
    return found;
  }

  function renderAll() {
    var filter = filterInput.value.trim().toLowerCase();
    var queue = [];
    cards.forEach(function (entry) {
      var hidden = !matchesFilter(entry, filter);
      if (entry.card.hidden !== hidden) entry.card.hidden = hidden;
      if (!hidden) renderOperations(entry, queue);
    });
    flushCharts(queue);
  }

  // ---- the overall verdict ----------------------------------------------------

  function renderOverall(snapshot) {
    var health = snapshot.health || {};
    var totals = snapshot.totals || {};
    var score = num(health.score);
    overall.textContent = "";
    var scoreNode = el("span", "overall-score", fmtScore(score));
    scoreNode.style.color = bandColor(band(score));
    overall.appendChild(scoreNode);
    var verdict = el("span", "verdict", health.healthy ? "healthy" : "unhealthy");
    verdict.style.background = health.healthy ? "#1a7f37" : "#cf222e";
    overall.appendChild(verdict);
    overall.appendChild(el("span", "muted", "lowest " + fmtScore(health.lowest) + " \\u00b7 weighted mean " +
      fmtScore(health.weightedMean) + " \\u00b7 threshold " + fmtScore(health.threshold)));
    overall.appendChild(el("span", "muted", fmtCount(totals.components) + " components \\u00b7 " +
      fmtCount(totals.failed) + " failed \\u00b7 " + fmtCount(totals.errors) + " errors \\u00b7 " +
      fmtCount(totals.operations) + " operations \\u00b7 " + num(totals.memoryUsageMb).toFixed(2) + " MB"));
    overall.appendChild(el("span", "muted", "updated " + fmtTime(snapshot.timestamp)));
    overall.setAttribute("data-score", String(score));
    overall.setAttribute("data-healthy", String(Boolean(health.healthy)));
    document.title = fmtScore(score) + (health.healthy ? " healthy" : " UNHEALTHY") + " \\u2013 " + body.getAttribute("data-title");
  }

  var lastSnapshot = null;

  // Renders a snapshot; record is false when only re-laying out the last one (a new order).
  function render(snapshot, nowMs, record) {
    lastSnapshot = snapshot;
    threshold = snapshot.health && typeof snapshot.health.threshold === "number" ? snapshot.health.threshold : 70;
    renderOverall(snapshot);
    var components = Array.isArray(snapshot.components) ? snapshot.components : [];
    var seen = new Set();
    if (orderSelect.value === "worst") {
      components = components.slice().sort(function (a, b) { return num(a.healthScore) - num(b.healthScore); });
    }
    components.forEach(function (report, index) {
      var name = String(report.name);
      seen.add(name);
      var entry = cards.get(name);
      if (!entry) { entry = createCard(name); cards.set(name, entry); }
      if (grid.children[index] !== entry.card) grid.insertBefore(entry.card, grid.children[index] || null);
      updateCard(entry, report, nowMs, record);
    });
    cards.forEach(function (entry, name) {
      if (seen.has(name)) return;
      entry.card.remove();
      cards.delete(name);
    });
    renderAll();
  }

  // ---- polling ----------------------------------------------------------------

  function poll() {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = setTimeout(function () { if (controller) controller.abort(); }, Math.max(5000, pollMs * 3));
    fetch(statsUrl, { cache: "no-store", headers: { accept: "application/json" }, signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error("GET " + statsUrl + " answered " + response.status);
        return response.json();
      })
      .then(function (snapshot) {
        lastNow = Date.now();
        var started = performance.now();
        render(snapshot, lastNow, true);
        body.setAttribute("data-render-ms", (performance.now() - started).toFixed(1));
        polls++;
        failures = 0;
        body.setAttribute("data-polls", String(polls));
        banner.hidden = true;
      })
      .catch(function (error) {
        failures++;
        banner.hidden = false;
        banner.textContent = "Cannot read " + statsUrl + " (" + (error && error.message ? error.message : String(error)) +
          "); retrying. Showing the last data received.";
        body.setAttribute("data-failures", String(failures));
      })
      .then(function () {
        clearTimeout(timer);
        setTimeout(poll, failures > 0 ? Math.min(pollMs * Math.pow(2, failures), 30000) : pollMs);
      });
  }

  SERIES.forEach(function (series) {
    var item = el("span");
    var swatch = el("span", "swatch");
    swatch.style.background = series.color;
    item.appendChild(swatch);
    item.appendChild(document.createTextNode(series.label));
    legend.appendChild(item);
  });
  filterInput.addEventListener("input", renderAll);
  sortSelect.addEventListener("change", renderAll);
  orderSelect.addEventListener("change", function () { if (lastSnapshot) render(lastSnapshot, lastNow, false); });
  var resizeTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(renderAll, 150);
  });
  poll();
})();
`;

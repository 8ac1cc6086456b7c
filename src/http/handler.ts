import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJson } from "../export/json.js";
import { formatPrometheus, PROMETHEUS_CONTENT_TYPE } from "../export/prometheus.js";
import type { StatisticsRegistry } from "../registry/registry.js";
import type { RegistrySnapshot } from "../registry/types.js";
import { checkInteger, describeValue } from "../shared/validate.js";
import { DASHBOARD_CSP, renderDashboard } from "./dashboard.js";
import { healthVerdict } from "./verdict.js";

/** Options of {@link createStatsHandler}. */
export interface StatsHandlerOptions {
  /**
   * Path the endpoints live under, such as `"/admin/stats"`. Leave it at `"/"` when a
   * framework strips the mount path itself (Express's `app.use("/admin/stats", handler)`).
   * @defaultValue "/"
   */
  basePath?: string;
  /**
   * Prefix of every Prometheus metric name.
   * @defaultValue the Prometheus exporter's default, `"component_stats_"`
   */
  prefix?: string;
  /**
   * Whether `/stats` redacts sensitive keys inside error details.
   * @defaultValue true
   */
  redact?: boolean;
  /**
   * Whether `GET /` serves the dashboard; when false it is an unknown path.
   * @defaultValue true
   */
  dashboard?: boolean;
  /**
   * The dashboard's heading.
   * @defaultValue "component-stats"
   */
  title?: string;
  /**
   * How often the dashboard polls `/stats`, in milliseconds (100 to 3 600 000).
   * @defaultValue 1000
   */
  pollIntervalMs?: number;
  /**
   * How much latency history the dashboard's charts keep, in milliseconds (1 000 to 3 600 000).
   * @defaultValue 300000 (5 minutes)
   */
  historyMs?: number;
}

/**
 * A `node:http` request listener that also works as Connect/Express middleware: with
 * `next`, requests it does not serve are passed on instead of answered with 404.
 */
export type StatsRequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

const ALLOW = "GET, HEAD";
const JSON_TYPE = "application/json; charset=utf-8";
const TEXT_TYPE = "text/plain; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";

const EMPTY_SNAPSHOT: RegistrySnapshot = {
  timestamp: 0,
  components: [],
  totals: { components: 0, failed: 0, errors: 0, operations: 0, memoryUsageMb: 0 },
  health: {
    score: 100,
    lowest: 100,
    weightedMean: 100,
    threshold: 70,
    healthy: true,
    verdict: "healthy",
    reasons: [],
  },
};

type Route = "dashboard" | "metrics" | "stats" | "health";

const ROUTES: Readonly<Record<string, Route>> = {
  "/metrics": "metrics",
  "/stats": "stats",
  "/health": "health",
};

/**
 * Serves a registry over HTTP: `GET /metrics` (Prometheus text exposition),
 * `GET /stats` (the JSON export), `GET /health` (the verdict as JSON: 200 when the
 * registry is healthy, 503 when not or when it cannot be collected) and `GET /` (the
 * dashboard), all under `basePath`. `HEAD` is answered like `GET` without a body;
 * other methods get 405 with an `Allow` header. A path under the mount that is not
 * one of these gets 404, or is passed to `next` when the handler is used as middleware;
 * a path outside the mount likewise. Every answer is `Cache-Control: no-store`.
 *
 * Each request collects the registry once; the registry's own cache bounds how often
 * its components are actually read.
 *
 * @param registry - a {@link StatisticsRegistry}, or anything with its `collect()`.
 * @param options - mount path, Prometheus prefix, redaction and dashboard settings.
 * @returns a request listener for `http.createServer`, or middleware for Express.
 * @throws TypeError or RangeError naming the option that is not valid.
 * @example
 * ```ts
 * import { createServer } from "node:http";
 * const handler = createStatsHandler(registry, { basePath: "/_stats" });
 * createServer((req, res) => {
 *   handler(req, res, () => {
 *     res.statusCode = 404; // the application's own routes go here
 *     res.end();
 *   });
 * }).listen(3000);
 * ```
 */
export function createStatsHandler(
  registry: Pick<StatisticsRegistry, "collect">,
  options: StatsHandlerOptions = {},
): StatsRequestHandler {
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to be an object with a collect() method, got ${describeValue(registry)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const {
    basePath = "/",
    prefix,
    redact = true,
    dashboard = true,
    title = "component-stats",
    pollIntervalMs = 1000,
    historyMs = 300_000,
  } = options;
  const mount = normalizeBasePath(basePath);
  checkBoolean(redact, "redact");
  checkBoolean(dashboard, "dashboard");
  if (typeof title !== "string") {
    throw new TypeError(`Expected \`title\` to be a string, got ${describeValue(title)}`);
  }
  checkInteger(pollIntervalMs, "pollIntervalMs", 100, 3_600_000);
  checkInteger(historyMs, "historyMs", 1000, 3_600_000);
  const prometheusOptions = prefix === undefined ? {} : { prefix };
  // The exporter checks the prefix when it formats; check it now, so a bad prefix fails
  // at startup with the exporter's own message instead of on every scrape.
  formatPrometheus(EMPTY_SNAPSHOT, prometheusOptions);
  const dashboardHtml = dashboard ? renderDashboard({ title, pollIntervalMs, historyMs }) : "";

  const routeOf = (url: string | undefined): Route | undefined => {
    const path = pathnameOf(url);
    if (path === undefined) return undefined;
    let rest: string;
    if (mount === "") rest = path;
    else if (path === mount) rest = "/";
    else if (path.startsWith(`${mount}/`)) rest = path.slice(mount.length);
    else return undefined;
    if (rest === "/") return dashboard ? "dashboard" : undefined;
    return ROUTES[rest];
  };

  return (req, res, next) => {
    const route = routeOf(req.url);
    if (route === undefined) {
      if (typeof next === "function") next();
      else sendText(req, res, 404, "Not found\n");
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendText(req, res, 405, `Method ${String(req.method)} not allowed; use ${ALLOW}\n`, {
        Allow: ALLOW,
      });
      return;
    }
    if (route === "dashboard") {
      send(req, res, 200, HTML_TYPE, dashboardHtml, { "Content-Security-Policy": DASHBOARD_CSP });
      return;
    }
    serveSnapshot(route, req, res).catch((error: unknown) => {
      // Only reached when writing the answer itself failed (a destroyed socket).
      res.destroy(error instanceof Error ? error : undefined);
    });
  };

  async function serveSnapshot(
    route: Exclude<Route, "dashboard">,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    let snapshot: RegistrySnapshot;
    try {
      snapshot = await registry.collect();
    } catch (error) {
      const reason = messageOf(error);
      if (route === "health") {
        // Health that cannot be determined is not healthy: a load balancer must not keep routing here.
        send(
          req,
          res,
          503,
          JSON_TYPE,
          `${JSON.stringify({ status: "unknown", healthy: false, reason })}\n`,
        );
      } else {
        sendText(req, res, 500, `Collecting the registry failed: ${reason}\n`);
      }
      return;
    }
    switch (route) {
      case "metrics":
        send(req, res, 200, PROMETHEUS_CONTENT_TYPE, formatPrometheus(snapshot, prometheusOptions));
        return;
      case "stats":
        send(req, res, 200, JSON_TYPE, exportJson(snapshot, { redact }));
        return;
      case "health": {
        const verdict = healthVerdict(snapshot);
        send(req, res, verdict.healthy ? 200 : 503, JSON_TYPE, `${JSON.stringify(verdict)}\n`);
        return;
      }
    }
  }
}

/** `"/"` → `""`, `"/admin/stats/"` → `"/admin/stats"`; anything else is a TypeError or RangeError. */
function normalizeBasePath(basePath: unknown): string {
  if (typeof basePath !== "string") {
    throw new TypeError(`Expected \`basePath\` to be a string, got ${describeValue(basePath)}`);
  }
  if (!basePath.startsWith("/") || /[?#\s]/.test(basePath) || basePath.includes("//")) {
    throw new RangeError(
      `Expected \`basePath\` to be a path starting with "/" without "?", "#", "//" or spaces, got ${describeValue(basePath)}`,
    );
  }
  return basePath.replace(/\/+$/, "");
}

function checkBoolean(value: unknown, option: string): void {
  if (typeof value !== "boolean") {
    throw new TypeError(`Expected \`${option}\` to be a boolean, got ${describeValue(value)}`);
  }
}

/** The path of a request target (origin-form or absolute-form), without its query. */
function pathnameOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url, "http://localhost").pathname;
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "unprintable error";
  }
}

function sendText(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  send(req, res, status, TEXT_TYPE, body, headers);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, "utf8");
  res.statusCode = status;
  res.setHeader("Content-Type", contentType);
  res.setHeader("Content-Length", bytes.byteLength);
  res.setHeader("Cache-Control", "no-store");
  res.setHeader("X-Content-Type-Options", "nosniff");
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // HEAD gets GET's headers, Content-Length included, and no body.
  res.end(req.method === "HEAD" ? undefined : bytes);
}

import { exportJson } from "../export/json.js";
import { encodePrometheus, PROMETHEUS_CONTENT_TYPE } from "../export/prometheus.js";
import type { StatisticsRegistry } from "../registry/registry.js";
import type { RegistrySnapshot } from "../registry/types.js";
import { invokeHandler } from "../shared/invoke-handler.js";
import { describeValue } from "../shared/validate.js";
import { checkAccess } from "./authorize.js";
import { coalesce } from "./coalesce.js";
import { DASHBOARD_CSP, renderDashboard } from "./dashboard.js";
import { acceptsGzip, canGzip, GZIP_MIN_BYTES, gzip } from "./gzip.js";
import { type HandlerOptions, type ResolvedOptions, resolveOptions } from "./options.js";
import { routeTable, type StatsEndpoint } from "./routes.js";
import { requestTargetPath } from "./target.js";
import { healthVerdict } from "./verdict.js";

/** What the responder needs of a request, whatever the platform. */
export interface StatsRequest<Req> {
  /** The method, upper case as on the wire. */
  method: string;
  /** The `Accept-Encoding` header, when sent. */
  acceptEncoding: string | null | undefined;
  /** Aborts when the client has gone away; a render nobody waits for is skipped. */
  signal: AbortSignal | undefined;
  /** The platform's own request, handed to `authorize`. */
  native: Req;
}

/** A complete answer: the body is GET's, and the adapter leaves it out for HEAD. */
export interface StatsAnswer {
  status: number;
  /** Every header, `Content-Length` included (of the body as sent, compressed or not). */
  headers: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
}

/** The one implementation behind both handlers. */
export interface Responder<Req> {
  /**
   * The endpoint a request target asks for, from its raw path; `undefined` when it
   * is not one this handler serves (pass it on, or answer {@link Responder.notFound}).
   */
  route(target: string | undefined): StatsEndpoint | undefined;
  /**
   * The answer to a routed request; `undefined` when the client went away before it
   * was ready. Never rejects.
   */
  answer(endpoint: StatsEndpoint, request: StatsRequest<Req>): Promise<StatsAnswer | undefined>;
  /** The 404 answer for a path that is not served. */
  readonly notFound: StatsAnswer;
}

/** A body rendered once and shared by every request it answers. */
interface Rendered {
  readonly status: number;
  readonly contentType: string;
  readonly body: Uint8Array<ArrayBuffer>;
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Made with a collected page when it is large enough, else on first demand;
   * resolves `undefined` when compressing failed.
   */
  gzipped?: Promise<Uint8Array<ArrayBuffer> | undefined>;
}

type Collected = { readonly snapshot: RegistrySnapshot } | { readonly error: unknown };

const ALLOW = "GET, HEAD";
const JSON_TYPE = "application/json; charset=utf-8";
const TEXT_TYPE = "text/plain; charset=utf-8";
const HTML_TYPE = "text/html; charset=utf-8";
const encoder = new TextEncoder();

/**
 * Builds the responder: routing on the raw path, the method rule, access control,
 * single-flight collections and renders, and gzip. The Node and fetch handlers are
 * thin adapters over it.
 *
 * @throws TypeError or RangeError naming the argument or option that is not valid.
 */
export function createResponder<Req>(
  registry: Pick<StatisticsRegistry, "collect">,
  options: HandlerOptions<Req>,
): Responder<Req> {
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to be an object with a collect() method, got ${describeValue(registry)}`,
    );
  }
  const settings: ResolvedOptions<Req> = resolveOptions<Req>(options);
  const routes = routeTable(settings.mount, settings.dashboard);
  // A reporter that throws or rejects must not turn an answer into a crash.
  const report = (error: unknown): void => invokeHandler(() => settings.onError?.(error));

  let collecting: Promise<Collected> | undefined;
  /** One `collect()` at a time, shared by every endpoint that needs a snapshot. */
  const collectShared = (): Promise<Collected> => {
    if (collecting === undefined) {
      const run = collectSettled();
      collecting = run;
      void run.then(() => {
        if (collecting === run) collecting = undefined;
      });
    }
    return collecting;
  };
  const collectSettled = async (): Promise<Collected> => {
    try {
      return { snapshot: await registry.collect() };
    } catch (error) {
      report(error);
      return { error };
    }
  };

  /**
   * Collects (shared), then renders unless every waiting client has gone, then
   * compresses a page large enough to be sent gzipped. The compression is part of
   * making the page: a burst's answers are not ready until it is done, and requests
   * the server reads meanwhile (it reads a burst slowly while it renders and
   * compresses) share this page instead of starting another collection.
   */
  const renderer = (render: (collected: Collected) => Rendered) =>
    coalesce<Rendered>(
      async (wanted) => {
        const collected = await collectShared();
        if (!wanted()) return undefined;
        const page = render(collected);
        if (page.body.byteLength >= GZIP_MIN_BYTES && canGzip()) {
          page.gzipped = gzip(page.body).catch(() => undefined);
          await page.gzipped;
        }
        return page;
      },
      settings.reuseMs,
      settings.clock,
    );

  const metrics = renderer((collected) => {
    if ("error" in collected) return collectionFailed(collected.error);
    try {
      const body = encodePrometheus(collected.snapshot, settings.prometheus);
      return { status: 200, contentType: PROMETHEUS_CONTENT_TYPE, body, headers: {} };
    } catch (error) {
      return renderingFailed(error);
    }
  });
  const stats = renderer((collected) => {
    if ("error" in collected) return collectionFailed(collected.error);
    try {
      return rendered(200, JSON_TYPE, exportJson(collected.snapshot, { redact: settings.redact }));
    } catch (error) {
      return renderingFailed(error);
    }
  });
  const health = renderer((collected) => {
    let error: unknown;
    if ("snapshot" in collected) {
      try {
        const verdict = healthVerdict(collected.snapshot);
        return rendered(verdict.healthy ? 200 : 503, JSON_TYPE, `${JSON.stringify(verdict)}\n`);
      } catch (thrown) {
        report(thrown);
        error = thrown;
      }
    } else error = collected.error;
    // Health that cannot be determined is not healthy: a load balancer must not keep routing here.
    const unknown = { status: "unknown", healthy: false, reason: messageOf(error) };
    return rendered(503, JSON_TYPE, `${JSON.stringify(unknown)}\n`);
  });
  const live = rendered(200, JSON_TYPE, `${JSON.stringify({ status: "alive" })}\n`);
  let dashboardPage: Rendered | undefined;

  function renderingFailed(error: unknown): Rendered {
    report(error);
    return rendered(500, TEXT_TYPE, `Rendering the answer failed: ${messageOf(error)}\n`);
  }

  const respond = async (
    endpoint: StatsEndpoint,
    request: StatsRequest<Req>,
  ): Promise<StatsAnswer | undefined> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return plain(405, `Method ${request.method} not allowed; use ${ALLOW}\n`, { Allow: ALLOW });
    }
    const access = await checkAccess(settings.authorize, request.native, endpoint);
    if (access.kind === "failed") {
      report(access.error);
      return plain(500, "The authorization check failed\n");
    }
    if (access.kind === "refused") {
      return access.status === 401
        ? plain(401, "Unauthorized\n", { "WWW-Authenticate": settings.challenge })
        : plain(403, "Forbidden\n");
    }
    let page: Rendered | undefined;
    switch (endpoint) {
      case "live":
        page = live;
        break;
      case "dashboard":
        // Rendered on first request, so a handler that only serves Prometheus never builds it.
        dashboardPage ??= rendered(
          200,
          HTML_TYPE,
          renderDashboard({
            title: settings.title,
            pollIntervalMs: settings.pollIntervalMs,
            historyMs: settings.historyMs,
          }),
          { "Content-Security-Policy": DASHBOARD_CSP },
        );
        page = dashboardPage;
        break;
      case "metrics":
        page = await metrics(request.signal);
        break;
      case "stats":
        page = await stats(request.signal);
        break;
      case "health":
      case "ready":
        page = await health(request.signal);
        break;
    }
    if (page === undefined) return undefined;
    return encode(page, request.acceptEncoding);
  };

  return {
    route: (target) => {
      const path = requestTargetPath(target);
      return path === undefined ? undefined : routes.get(path);
    },
    answer: async (endpoint, request) => {
      try {
        return await respond(endpoint, request);
      } catch (error) {
        // Not reached by design (every step above catches its own errors); kept so the
        // promise the adapters hold can never reject.
        report(error);
        return plain(500, "Internal error\n");
      }
    },
    notFound: plain(404, "Not found\n"),
  };
}

/** The 500 for `/metrics` and `/stats` when the registry could not be collected. */
function collectionFailed(error: unknown): Rendered {
  return rendered(500, TEXT_TYPE, `Collecting the registry failed: ${messageOf(error)}\n`);
}

function rendered(
  status: number,
  contentType: string,
  text: string,
  headers: Record<string, string> = {},
): Rendered {
  return { status, contentType, body: encoder.encode(text), headers };
}

/** Picks the coding the client accepts and builds the full header set. */
async function encode(page: Rendered, acceptEncoding: string | null | undefined) {
  const headers: Record<string, string> = { ...page.headers, Vary: "Accept-Encoding" };
  let body = page.body;
  if (body.byteLength >= GZIP_MIN_BYTES && acceptsGzip(acceptEncoding) && canGzip()) {
    // Collected pages come compressed (see renderer); the dashboard on first demand.
    page.gzipped ??= gzip(page.body).catch(() => undefined);
    const compressed = await page.gzipped;
    if (compressed !== undefined) {
      body = compressed;
      headers["Content-Encoding"] = "gzip";
    }
  }
  return answerOf(page.status, page.contentType, body, headers);
}

function plain(status: number, text: string, headers: Record<string, string> = {}): StatsAnswer {
  return answerOf(status, TEXT_TYPE, encoder.encode(text), headers);
}

function answerOf(
  status: number,
  contentType: string,
  body: Uint8Array<ArrayBuffer>,
  headers: Record<string, string>,
): StatsAnswer {
  return {
    status,
    headers: {
      "Content-Type": contentType,
      "Content-Length": String(body.byteLength),
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
      ...headers,
    },
    body,
  };
}

function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "unprintable error";
  }
}

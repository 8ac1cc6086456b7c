import type { StatisticsRegistry } from "../registry/registry.js";
import type { HandlerOptions } from "./options.js";
import { createResponder, type StatsAnswer } from "./responder.js";

/** Options of {@link createFetchHandler}; `authorize` receives the `Request`. */
export type FetchHandlerOptions = HandlerOptions<Request>;

/** A Web-standard request handler, the shape Bun, Deno, Workers, Hono and Next.js call. */
export type FetchHandler = (request: Request) => Promise<Response>;

/**
 * Serves a registry as a Web-standard `(Request) => Promise<Response>` function:
 * the same endpoints, options and answers as {@link createStatsHandler} (it is the
 * same implementation behind another adapter), for Bun, Deno, Cloudflare Workers,
 * Next.js route handlers, Hono, or Node through any fetch adapter. It uses only Web
 * APIs (`Response`, `TextEncoder`, `CompressionStream`).
 *
 * A path that is not served gets 404. Paths are matched on the path of
 * `request.url`, which the runtime has already parsed as a URL: dot segments,
 * `%2e` dots and backslashes are resolved by then, and every middleware in front of
 * the handler sees the same resolved path, so a guard and the handler agree. What
 * the URL parser keeps (empty segments, `%2f`, other percent-encodings) is matched
 * as is and serves nothing.
 *
 * When `request.signal` aborts before the answer is ready, the answer is a bodiless
 * 499 that nobody reads, and a render no other client waits for is skipped.
 *
 * @param registry - a {@link StatisticsRegistry}, or anything with its `collect()`.
 * @param options - mount path, access control, sharing and dashboard settings.
 * @returns the fetch handler.
 * @throws TypeError or RangeError naming the option that is not valid.
 * @example
 * ```ts
 * const handler = createFetchHandler(registry, { basePath: "/_stats" });
 * Bun.serve({ hostname: "127.0.0.1", port: 3000, fetch: handler });
 * ```
 */
export function createFetchHandler(
  registry: Pick<StatisticsRegistry, "collect">,
  options: FetchHandlerOptions = {},
): FetchHandler {
  const responder = createResponder<Request>(registry, options);
  return async (request) => {
    const endpoint = responder.route(request.url);
    if (endpoint === undefined) return toResponse(request, responder.notFound);
    const answer = await responder.answer(endpoint, {
      method: request.method,
      acceptEncoding: request.headers.get("accept-encoding"),
      signal: request.signal,
      native: request,
    });
    // The client is gone: this response is never read.
    if (answer === undefined) return new Response(null, { status: 499 });
    return toResponse(request, answer);
  };
}

function toResponse(request: Request, answer: StatsAnswer): Response {
  // HEAD gets GET's status and headers, Content-Length included, and no body.
  const body = request.method === "HEAD" ? null : answer.body;
  return new Response(body, { status: answer.status, headers: answer.headers });
}

import type { IncomingMessage, ServerResponse } from "node:http";
import type { StatisticsRegistry } from "../registry/registry.js";
import type { HandlerOptions } from "./options.js";
import { createResponder, type StatsAnswer } from "./responder.js";

/**
 * Options of {@link createStatsHandler}; `authorize` receives the request as the
 * framework hands it over (`IncomingMessage`, or Express's `Request`).
 */
export type StatsHandlerOptions<Req extends IncomingMessage = IncomingMessage> =
  HandlerOptions<Req>;

/**
 * A `node:http` request listener that also works as Connect/Express middleware: with
 * `next`, requests it does not serve are passed on instead of answered with 404.
 */
export type StatsRequestHandler<Req extends IncomingMessage = IncomingMessage> = (
  req: Req,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

/**
 * Serves a registry over HTTP on `node:http`, Express, Connect or any framework that
 * hands over Node's `req` and `res`. Under `basePath`:
 *
 * | path | answer |
 * | --- | --- |
 * | `/metrics` | the Prometheus text exposition |
 * | `/stats` | the JSON export (redacted unless `redact: false`) |
 * | `/health`, `/health/ready` | the verdict as JSON: 200 when healthy, else 503 (also when the registry cannot be collected) |
 * | `/health/live` | 200 whenever the process can answer; collects nothing |
 * | `/` (and the mount without its slash) | the dashboard |
 *
 * `HEAD` gets exactly GET's status and headers without a body; other methods get 405
 * with `Allow`. Paths are matched on the raw request target (see
 * {@link requestTargetPath}): `/x/../metrics`, `/%6detrics` or `//metrics` match
 * nothing. A path that is not served is passed to `next`, or answered 404 without it.
 * Every answer is `Cache-Control: no-store`; `Accept-Encoding: gzip` gets gzip.
 *
 * Requests for the same endpoint that arrive while its answer is being collected or
 * rendered, or within as long as that took after (at least `reuseMs`), share that one
 * collection and render; a render whose clients have all gone is skipped.
 *
 * This is an adapter over the same implementation as {@link createFetchHandler}.
 *
 * @typeParam Req - the request type `authorize` receives; inferred from it.
 * @param registry - a {@link StatisticsRegistry}, or anything with its `collect()`.
 * @param options - mount path, access control, sharing and dashboard settings.
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
 * }).listen(3000, "127.0.0.1");
 * ```
 */
export function createStatsHandler<Req extends IncomingMessage = IncomingMessage>(
  registry: Pick<StatisticsRegistry, "collect">,
  options: StatsHandlerOptions<Req> = {},
): StatsRequestHandler<Req> {
  const responder = createResponder<Req>(registry, options);
  return (req, res, next) => {
    const endpoint = responder.route(req.url);
    if (endpoint === undefined) {
      if (typeof next === "function") next();
      else write(req, res, responder.notFound);
      return;
    }
    const served = (async () => {
      const aborted = watchClient(req, res);
      const answer = await responder.answer(endpoint, {
        method: req.method ?? "",
        acceptEncoding: req.headers["accept-encoding"],
        signal: aborted.signal,
        native: req,
      });
      if (answer !== undefined) write(req, res, answer);
    })();
    served.catch((error: unknown) => {
      // Only reached when writing the answer itself failed (a destroyed socket).
      res.destroy(error instanceof Error ? error : undefined);
    });
  };
}

/**
 * A signal that aborts when the client goes away before its answer is written, so a
 * render nobody waits for is skipped. A client may be gone already: middleware in
 * front of the handler may have awaited while it left. And the socket's 'close' is
 * watched too: a response queued behind a pipelined one has no socket of its own yet,
 * and never emits 'close' when the client leaves. The socket listener goes with the
 * response, so a keep-alive socket does not gather one per request.
 */
function watchClient(req: IncomingMessage, res: ServerResponse): AbortController {
  const aborted = new AbortController();
  const socket = req.socket as IncomingMessage["socket"] | null;
  if (res.destroyed || socket?.destroyed === true) {
    aborted.abort();
    return aborted;
  }
  // 'close' before the answer is written means the client went away; after, it is the normal end.
  const leave = () => {
    if (!res.writableEnded) aborted.abort();
  };
  socket?.once("close", leave);
  res.once("close", () => {
    socket?.off("close", leave);
    leave();
  });
  return aborted;
}

function write(req: IncomingMessage, res: ServerResponse, answer: StatsAnswer): void {
  res.statusCode = answer.status;
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  // HEAD gets GET's headers, Content-Length included, and no body.
  res.end(req.method === "HEAD" ? undefined : answer.body);
}

import { checkPrefix } from "../export/metric-name.js";
import type { PrometheusOptions } from "../export/prometheus.js";
import { type Clock, checkClockOption, systemClock } from "../shared/clock.js";
import { checkInteger, describeValue } from "../shared/validate.js";
import type { Authorize } from "./authorize.js";
import { normalizeBasePath } from "./routes.js";

/** Options both handlers take: {@link createStatsHandler} and {@link createFetchHandler}. */
export interface HandlerOptions<Req> {
  /**
   * Path the endpoints live under, such as `"/admin/stats"`. Leave it at `"/"` when a
   * framework strips the mount path itself (Express's `app.use("/admin/stats", handler)`).
   * It may not contain `%`, `\`, `?`, `#`, spaces, empty or dot segments.
   * @defaultValue "/"
   */
  basePath?: string | undefined;
  /**
   * Prefix of every Prometheus metric name.
   * @defaultValue the Prometheus exporter's default, `"component_stats_"`
   */
  prefix?: string | undefined;
  /**
   * Whether `/stats` redacts sensitive keys inside error details.
   * @defaultValue true
   */
  redact?: boolean | undefined;
  /**
   * Whether `GET /` serves the dashboard; when false it is an unknown path.
   * @defaultValue true
   */
  dashboard?: boolean | undefined;
  /**
   * The dashboard's heading.
   * @defaultValue "component-stats"
   */
  title?: string | undefined;
  /**
   * How often the dashboard polls `/stats`, in milliseconds (100 to 3 600 000).
   * @defaultValue 1000
   */
  pollIntervalMs?: number | undefined;
  /**
   * How much latency history the dashboard's charts keep, in milliseconds (1 000 to 3 600 000).
   * @defaultValue 300000 (5 minutes)
   */
  historyMs?: number | undefined;
  /**
   * Who may read what: called once per request to a served endpoint, after the
   * method is accepted and before anything is collected. Without it every endpoint
   * is open. See {@link Authorize}.
   * @example
   * ```ts
   * // /metrics and the health probes stay open; /stats and the dashboard need the token.
   * authorize: (req, endpoint) =>
   *   ["metrics", "health", "ready", "live"].includes(endpoint) ||
   *   req.headers.authorization === `Bearer ${process.env.STATS_TOKEN}`,
   * ```
   */
  authorize?: Authorize<Req> | undefined;
  /**
   * The `WWW-Authenticate` challenge sent with a 401. `'Basic realm="stats"'` makes a
   * browser ask for a user name and password, which it then also sends with the
   * dashboard's polls of `stats`.
   * @defaultValue `'Bearer realm="component-stats"'`
   */
  challenge?: string | undefined;
  /**
   * The least time a rendered `/metrics`, `/stats` or `/health` answer is handed to
   * later requests, in milliseconds (0 to 60 000), measured from when it was rendered.
   * Whatever this is, requests that arrive while an answer is being collected or
   * rendered share it, and so do the requests that come within as long as the answer
   * took to make (the ones that queued behind a synchronous render): a burst of
   * scrapes costs one render, and no answer is older than it took to make. A larger
   * value also spares renders to requests that come later, at the price of answers up
   * to that old; keep it below the dashboard's `pollIntervalMs`, or its charts repeat
   * points.
   * @defaultValue 0
   */
  reuseMs?: number | undefined;
  /** The clock `reuseMs` is measured on. @defaultValue {@link systemClock} */
  clock?: Clock | undefined;
  /**
   * Called with each error the handler turns into a 5xx answer: an `authorize` that
   * threw, a `collect()` that rejected, an export that failed. Errors it throws are
   * ignored. Without it such errors are not reported anywhere but the answer.
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** Every option checked, with its default applied. */
export interface ResolvedOptions<Req> {
  readonly mount: string;
  readonly prometheus: PrometheusOptions;
  readonly redact: boolean;
  readonly dashboard: boolean;
  readonly title: string;
  readonly pollIntervalMs: number;
  readonly historyMs: number;
  readonly authorize: Authorize<Req> | undefined;
  readonly challenge: string;
  readonly reuseMs: number;
  readonly clock: Clock;
  readonly onError: ((error: unknown) => void) | undefined;
}

/** The reuse time when none is given: see {@link HandlerOptions.reuseMs}. */
export const DEFAULT_REUSE_MS = 0;

/**
 * Checks the options once, at creation, with errors that name the option.
 *
 * @throws TypeError or RangeError naming the option that is not valid.
 */
export function resolveOptions<Req>(options: unknown): ResolvedOptions<Req> {
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
    authorize,
    challenge = 'Bearer realm="component-stats"',
    reuseMs = DEFAULT_REUSE_MS,
    clock = systemClock,
    onError,
  } = options as HandlerOptions<Req>;
  const mount = normalizeBasePath(basePath);
  checkBoolean(redact, "redact");
  checkBoolean(dashboard, "dashboard");
  if (typeof title !== "string") {
    throw new TypeError(`Expected \`title\` to be a string, got ${describeValue(title)}`);
  }
  checkInteger(pollIntervalMs, "pollIntervalMs", 100, 3_600_000);
  checkInteger(historyMs, "historyMs", 1000, 3_600_000);
  checkFunction(authorize, "authorize");
  if (typeof challenge !== "string" || !/^[\t\x20-\x7e]+$/.test(challenge)) {
    const ErrorType = typeof challenge === "string" ? RangeError : TypeError;
    throw new ErrorType(
      `Expected \`challenge\` to be a non-empty header value of printable ASCII, got ${describeValue(challenge)}`,
    );
  }
  checkInteger(reuseMs, "reuseMs", 0, 60_000);
  checkClockOption(clock, "clock");
  checkFunction(onError, "onError");
  const prometheus = prefix === undefined ? {} : { prefix };
  // The exporter checks the prefix when it formats; check it now, with the same check,
  // so a bad prefix fails at startup instead of on every scrape.
  if (prefix !== undefined) checkPrefix(prefix);
  return {
    mount,
    prometheus,
    redact,
    dashboard,
    title,
    pollIntervalMs,
    historyMs,
    authorize,
    challenge,
    reuseMs,
    clock,
    onError,
  };
}

function checkBoolean(value: unknown, option: string): void {
  if (typeof value !== "boolean") {
    throw new TypeError(`Expected \`${option}\` to be a boolean, got ${describeValue(value)}`);
  }
}

function checkFunction(value: unknown, option: string): void {
  if (value !== undefined && typeof value !== "function") {
    throw new TypeError(
      `Expected \`${option}\` to be a function or undefined, got ${describeValue(value)}`,
    );
  }
}

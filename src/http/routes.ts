import { describeValue } from "../shared/validate.js";

/**
 * What a request asks for. `health` and `ready` give the same answer (`/health` and
 * `/health/ready`); `live` answers 200 whenever the process can answer.
 */
export type StatsEndpoint = "metrics" | "stats" | "health" | "ready" | "live" | "dashboard";

/** The paths every handler serves, relative to its mount. */
const ENDPOINT_PATHS: readonly (readonly [string, StatsEndpoint])[] = [
  ["/metrics", "metrics"],
  ["/stats", "stats"],
  ["/health", "health"],
  ["/health/ready", "ready"],
  ["/health/live", "live"],
];

/**
 * The exact raw paths served under a mount, each mapped to its endpoint. Matching is
 * by string equality on the raw path (see {@link requestTargetPath}), so a target
 * that would only reach an endpoint after decoding or resolving dot segments
 * matches nothing.
 *
 * @param mount - the normalised mount path: `""` for the root, else `/a/b` without a trailing slash.
 * @param dashboard - whether the mount itself (with or without its slash) serves the dashboard.
 * @returns path → endpoint.
 */
export function routeTable(mount: string, dashboard: boolean): ReadonlyMap<string, StatsEndpoint> {
  const table = new Map<string, StatsEndpoint>();
  for (const [path, endpoint] of ENDPOINT_PATHS) table.set(mount + path, endpoint);
  if (dashboard) {
    table.set(`${mount}/`, "dashboard");
    if (mount !== "") table.set(mount, "dashboard");
  }
  return table;
}

/**
 * `"/"` → `""`, `"/admin/stats/"` → `"/admin/stats"`. A mount is matched as raw text,
 * so it may hold only what a client sends as it is: the characters a URL path keeps
 * unencoded (RFC 3986: letters, digits, `-._~!$&'()*+,;=:@` and `/`). Anything else
 * (a query, a fragment, `%`, a backslash, white space, `"<>{}` or any character that
 * is not ASCII) arrives percent-encoded or not at all, and would match nothing; so
 * would an empty or a dot segment.
 *
 * @throws TypeError when `basePath` is not a string; RangeError when it is not such a path.
 */
/** A path of the characters RFC 3986 lets a path segment hold unencoded, and slashes. */
const PLAIN_PATH = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

export function normalizeBasePath(basePath: unknown): string {
  if (typeof basePath !== "string") {
    throw new TypeError(`Expected \`basePath\` to be a string, got ${describeValue(basePath)}`);
  }
  const mount = basePath.replace(/\/+$/, "");
  const segments = mount.split("/").slice(1);
  if (
    !basePath.startsWith("/") ||
    !PLAIN_PATH.test(basePath) ||
    basePath.includes("//") ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..")
  ) {
    throw new RangeError(
      `Expected \`basePath\` to be a path starting with "/" of letters, digits and -._~!$&'()*+,;=:@ (what a client sends unencoded), without empty or dot segments, got ${describeValue(basePath)}`,
    );
  }
  return mount;
}

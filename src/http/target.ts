/**
 * `http:` or `https:` followed by an authority: what RFC 9112's absolute-form starts
 * with. The authority ends at the first `/`, `?` or `#`; nothing in it is interpreted.
 */
const ABSOLUTE_FORM = /^https?:\/\/[^/?#]*/i;

/**
 * The raw path of an HTTP request target, exactly as the handlers match it: the query
 * is removed and nothing else changes. Dot segments (`..`), percent-encoded dots or
 * slashes, backslashes and empty segments are kept as sent, so a target such as
 * `/x/../_stats/metrics` keeps its `/x/..` and matches no endpoint.
 *
 * A target in origin-form (`/_stats/metrics?x=1`) gives its path; one in absolute-form
 * (`http://host/_stats/metrics`, which RFC 9112 §3.2.2 says a server must accept)
 * gives the path after its authority. Anything else (`*`, an authority-form target,
 * an absolute URL without a path) has no path.
 *
 * A guard placed in front of the handler should compare this path, not the target:
 * `req.url` of an absolute-form request does not start with `/`.
 *
 * @param target - the request target, such as `req.url` on `node:http` or a
 *   `Request`'s `url`.
 * @returns the path, starting with `/`, or `undefined` when the target has none.
 * @example
 * ```ts
 * requestTargetPath("/_stats/metrics?name[]=x"); // "/_stats/metrics"
 * requestTargetPath("http://example.com/_stats/metrics"); // "/_stats/metrics"
 * requestTargetPath("/x/%2e%2e/_stats/metrics"); // "/x/%2e%2e/_stats/metrics"
 * ```
 */
export function requestTargetPath(target: string | undefined): string | undefined {
  if (typeof target !== "string") return undefined;
  let path = target;
  if (!path.startsWith("/")) {
    const authority = ABSOLUTE_FORM.exec(path);
    if (authority === null) return undefined;
    path = path.slice(authority[0].length);
    if (!path.startsWith("/")) return undefined;
  }
  const query = path.indexOf("?");
  return query === -1 ? path : path.slice(0, query);
}

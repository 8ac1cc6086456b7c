import { expect } from "vitest";
import { PROMETHEUS_CONTENT_TYPE } from "../../src/index.js";
import { headerList } from "../http/contract.js";
import { send } from "../http/serve.js";

/** Every path served under a mount, the mount itself (the dashboard) included. */
const SERVED = ["/metrics", "/stats", "/health", "/health/ready", "/health/live", "/", ""];

/** Headers a framework or the server sets per response, which may differ between two answers. */
const PER_RESPONSE = new Set(["date", "connection", "keep-alive"]);
const stable = (response: Response) =>
  headerList(response).filter((line) => !PER_RESPONSE.has(line.slice(0, line.indexOf(":"))));

/**
 * What every framework must serve, through its own routing, for a handler mounted at
 * `mount` over the contract fixture (`healthy` says which): every endpoint with GET,
 * HEAD with exactly GET's status and headers, 405 with Allow, and 404 for paths it
 * does not serve, hostile ones included.
 */
export async function expectEveryEndpoint(
  origin: string,
  mount: string,
  healthy: boolean,
  options: { resolvesDotSegments?: boolean } = {},
): Promise<void> {
  for (const path of SERVED) {
    for (const headers of [{}, { "accept-encoding": "gzip" }]) {
      const target = mount + path;
      const get = await send(origin, target, { headers });
      const label = `GET ${target} ${JSON.stringify(headers)}`;
      const health = path.startsWith("/health") && path !== "/health/live";
      expect(get.status, label).toBe(health && !healthy ? 503 : 200);
      const head = await send(origin, target, { method: "HEAD", headers });
      expect(head.status, `HEAD ${target}`).toBe(get.status);
      expect(stable(head), `HEAD ${target}`).toEqual(stable(get));
      expect((await head.arrayBuffer()).byteLength).toBe(0);
      expect(Number(get.headers.get("content-length"))).toBe((await get.arrayBuffer()).byteLength);
    }
  }
  const metrics = await send(origin, `${mount}/metrics`);
  expect(metrics.headers.get("content-type")).toBe(PROMETHEUS_CONTENT_TYPE);
  expect(await metrics.text()).toContain(
    'component_stats_orders_placed_total{component="orders"} 100',
  );
  const verdict = (await (await send(origin, `${mount}/health`)).json()) as { healthy: boolean };
  expect(verdict.healthy).toBe(healthy);
  const dashboard = await send(origin, `${mount}/`);
  expect(dashboard.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(dashboard.headers.get("content-security-policy")).toContain("default-src 'none'");

  for (const path of SERVED) {
    for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
      const response = await send(origin, mount + path, { method });
      expect(response.status, `${method} ${mount}${path}`).toBe(405);
      expect(response.headers.get("allow")).toBe("GET, HEAD");
    }
  }
  // A server that parses the target as a URL first (@hono/node-server) resolves dot
  // segments before any route, guard or handler sees them; the others pass them on raw.
  const unknown = ["/nope", "/metrics/", "/%2e%2e/stats", "/METRICS", "//metrics"];
  if (options.resolvesDotSegments !== true) unknown.push("/x/../metrics", "/x/%2e%2e/stats");
  for (const path of unknown) {
    for (const method of ["GET", "HEAD"]) {
      const response = await send(origin, mount + path, { method });
      expect(response.status, `${method} ${mount}${path}`).toBe(404);
      expect(await response.text()).not.toContain("orders");
    }
  }
}

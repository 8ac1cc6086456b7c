import { describe, expect, it } from "vitest";
import { normalizeBasePath, routeTable } from "../../src/http/routes.js";

describe("routeTable", () => {
  it("maps exactly the served paths under the root mount", () => {
    expect(Object.fromEntries(routeTable("", true))).toEqual({
      "/metrics": "metrics",
      "/stats": "stats",
      "/health": "health",
      "/health/ready": "ready",
      "/health/live": "live",
      "/": "dashboard",
    });
  });

  it("serves the dashboard at the mount with and without its slash", () => {
    const table = routeTable("/admin/stats", true);
    expect(table.get("/admin/stats")).toBe("dashboard");
    expect(table.get("/admin/stats/")).toBe("dashboard");
    expect(table.get("/admin/stats/health/live")).toBe("live");
    expect(table.size).toBe(7);
  });

  it("leaves the dashboard out when it is off", () => {
    const table = routeTable("/s", false);
    expect(table.has("/s")).toBe(false);
    expect(table.has("/s/")).toBe(false);
    expect(table.size).toBe(5);
  });
});

describe("normalizeBasePath", () => {
  it.each([
    ["/", ""],
    ["/admin/stats", "/admin/stats"],
    ["/admin/stats/", "/admin/stats"],
    ["/_stats", "/_stats"],
    ["/a.b/c-d_e~f", "/a.b/c-d_e~f"],
    ["/v1:stats/@me/a+b,c;d=e!$&'()*", "/v1:stats/@me/a+b,c;d=e!$&'()*"],
  ])("%j → %j", (basePath, mount) => {
    expect(normalizeBasePath(basePath)).toBe(mount);
  });

  it.each([
    "",
    "admin",
    "/a?b",
    "/a#b",
    "/a b",
    "/a//b",
    "///",
    "/a/./b",
    "/a/../b",
    "/..",
    "/a%2fb",
    "/a\\b",
    // Sent percent-encoded by clients (or not at all), so they could never match.
    "/ståts",
    "/métriques/santé",
    "/a{b}",
    '/a"b',
    "/a<b>",
    "/a`b",
    "/a\u0000b",
    "/a\tb",
  ])("rejects %j, naming basePath", (basePath) => {
    expect(() => normalizeBasePath(basePath)).toThrow(/`basePath`/);
    expect(() => normalizeBasePath(basePath)).toThrow(RangeError);
  });

  it("rejects a value that is not a string with a TypeError", () => {
    expect(() => normalizeBasePath(7)).toThrow(TypeError);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { requestTargetPath } from "../../src/http/target.js";

describe("requestTargetPath", () => {
  it.each([
    ["/metrics", "/metrics"],
    ["/metrics?name[]=x", "/metrics"],
    ["/metrics?", "/metrics"],
    ["/", "/"],
    ["/x/../_stats/metrics", "/x/../_stats/metrics"],
    ["/x/%2e%2e/_stats/metrics", "/x/%2e%2e/_stats/metrics"],
    ["/x\\..\\_stats\\health", "/x\\..\\_stats\\health"],
    ["//h/_stats/metrics", "//h/_stats/metrics"],
    ["//evil.example/metrics", "//evil.example/metrics"],
    ["/_stats%2Fmetrics", "/_stats%2Fmetrics"],
    ["/a#b", "/a#b"],
    ["http://host/metrics", "/metrics"],
    ["HTTPS://host:8443/metrics?x", "/metrics"],
    ["http://user:pw@host/a/../b", "/a/../b"],
    ["http://host//metrics", "//metrics"],
  ])("%j → %j", (target, path) => {
    expect(requestTargetPath(target)).toBe(path);
  });

  it.each([
    "*",
    "host:443",
    "",
    "metrics",
    "http://host",
    "http://host?/metrics",
    "http://host#/metrics",
    "http:/metrics",
    "ftp://host/metrics",
    "javascript://host/metrics",
  ])("%j has no path", (target) => {
    expect(requestTargetPath(target)).toBeUndefined();
  });

  it("has no path without a target", () => {
    expect(requestTargetPath(undefined)).toBeUndefined();
  });

  it("only ever removes the query of an origin-form target, against a naive oracle", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (path, query) => {
        const clean = `/${path.replace(/\?/g, "")}`;
        expect(requestTargetPath(`${clean}?${query}`)).toBe(clean);
        expect(requestTargetPath(clean)).toBe(clean);
      }),
    );
  });

  it("reads a 100 KB target in linear time", () => {
    const target = `/${"../".repeat(34_000)}metrics?${"x".repeat(1000)}`;
    const started = performance.now();
    expect(requestTargetPath(target)).toBe(target.slice(0, target.indexOf("?")));
    expect(requestTargetPath(`http://${"h".repeat(100_000)}`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });
});

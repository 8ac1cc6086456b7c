import { describe, expect, it } from "vitest";
import { isStatisticsProvider } from "../../src/tracker/provider.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";

const methods = [
  "increment",
  "setGauge",
  "recordTiming",
  "trackError",
  "getStats",
  "getHealthScore",
] as const;

function provider(): Record<string, unknown> {
  return Object.fromEntries(methods.map((m) => [m, async () => undefined]));
}

describe("isStatisticsProvider", () => {
  it("accepts a tracker, a subclass and a plain object with the six methods", () => {
    class Feed extends BaseStatisticsTracker {}
    expect(isStatisticsProvider(new BaseStatisticsTracker("a"))).toBe(true);
    expect(isStatisticsProvider(new Feed("feed"))).toBe(true);
    expect(isStatisticsProvider(provider())).toBe(true);
    expect(isStatisticsProvider(Object.assign(() => {}, provider()))).toBe(true);
  });

  it.each(methods)("rejects an object missing %s or having a non-function there", (method) => {
    const missing = provider();
    delete missing[method];
    expect(isStatisticsProvider(missing)).toBe(false);
    expect(isStatisticsProvider({ ...provider(), [method]: "not a function" })).toBe(false);
  });

  it.each([null, undefined, 0, "provider", true, Symbol("p")])("rejects %s", (value) => {
    expect(isStatisticsProvider(value)).toBe(false);
  });

  it("rejects a throwing getter or a revoked proxy instead of throwing", () => {
    const throwing = Object.defineProperty(provider(), "getStats", {
      get() {
        throw new Error("no");
      },
    });
    expect(isStatisticsProvider(throwing)).toBe(false);
    const { proxy, revoke } = Proxy.revocable(provider(), {});
    expect(isStatisticsProvider(proxy)).toBe(true);
    revoke();
    expect(isStatisticsProvider(proxy)).toBe(false);
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_REUSE_MS, type HandlerOptions, resolveOptions } from "../../src/http/options.js";
import { manualClock, systemClock } from "../../src/index.js";

describe("resolveOptions", () => {
  it("applies every default", () => {
    const resolved = resolveOptions({});
    expect(resolved).toEqual({
      mount: "",
      prometheus: {},
      redact: true,
      dashboard: true,
      title: "component-stats",
      pollIntervalMs: 1000,
      historyMs: 300_000,
      authorize: undefined,
      challenge: 'Bearer realm="component-stats"',
      reuseMs: DEFAULT_REUSE_MS,
      clock: systemClock,
      onError: undefined,
    });
    expect(DEFAULT_REUSE_MS).toBe(0);
  });

  it("treats an explicit undefined as the default", () => {
    const resolved = resolveOptions({
      basePath: undefined,
      prefix: undefined,
      reuseMs: undefined,
      clock: undefined,
      authorize: undefined,
    });
    expect(resolved.mount).toBe("");
    expect(resolved.reuseMs).toBe(DEFAULT_REUSE_MS);
    expect(resolved.clock).toBe(systemClock);
  });

  it("takes every option given as undefined for its default", () => {
    // Typed with every key, so a new option must be added here (and accept undefined).
    const allUndefined: { [K in keyof Required<HandlerOptions<unknown>>]: undefined } = {
      basePath: undefined,
      prefix: undefined,
      redact: undefined,
      dashboard: undefined,
      title: undefined,
      pollIntervalMs: undefined,
      historyMs: undefined,
      authorize: undefined,
      challenge: undefined,
      reuseMs: undefined,
      clock: undefined,
      onError: undefined,
    };
    expect(resolveOptions(allUndefined)).toEqual(resolveOptions({}));
  });

  it("keeps what is given", () => {
    const clock = manualClock(0);
    const authorize = () => true;
    const resolved = resolveOptions({
      basePath: "/_stats/",
      prefix: "sdk_",
      reuseMs: 0,
      clock,
      authorize,
      challenge: 'Basic realm="x"',
    });
    expect(resolved).toMatchObject({
      mount: "/_stats",
      prometheus: { prefix: "sdk_" },
      reuseMs: 0,
      clock,
      authorize,
      challenge: 'Basic realm="x"',
    });
  });

  it.each([
    [{ reuseMs: 60_001 }, RangeError, /`reuseMs`/],
    [{ reuseMs: 0.5 }, RangeError, /`reuseMs`/],
    [{ reuseMs: "1" }, TypeError, /`reuseMs`/],
    [{ challenge: "" }, RangeError, /`challenge`/],
    [{ challenge: "Basic\n" }, RangeError, /`challenge`/],
    [{ challenge: 1 }, TypeError, /`challenge`/],
    [{ clock: {} }, TypeError, /`clock`/],
    [{ clock: null }, TypeError, /`clock`/],
    [{ authorize: {} }, TypeError, /`authorize`/],
    [{ onError: "log" }, TypeError, /`onError`/],
  ])("rejects %j", (options, type, message) => {
    expect(() => resolveOptions(options)).toThrow(type);
    expect(() => resolveOptions(options)).toThrow(message);
  });
});

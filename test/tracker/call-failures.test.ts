import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type * as CallFailures from "../../src/tracker/call-failures.js";

/** A fresh module per test: the set of causes already warned about is per module instance. */
let module: typeof CallFailures;

beforeEach(async () => {
  vi.resetModules();
  module = await import("../../src/tracker/call-failures.js");
});

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe("markHandled", () => {
  it("returns the same promise, still rejecting for whoever awaits it", async () => {
    const failure = new RangeError("bad");
    const promise = Promise.reject(failure);
    expect(module.markHandled(promise)).toBe(promise);
    await expect(promise).rejects.toBe(failure);
  });

  it("keeps an unawaited rejection from becoming an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      module.markHandled(Promise.reject(new Error("nobody awaits this")));
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });
});

describe("reportCallFailure with onError", () => {
  it("calls onError with the error and the call, and emits no warning", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const onError = vi.fn();
    const failure = new TypeError("Expected `metric` to be a non-empty string, got 5 (number)");
    module.reportCallFailure(failure, "increment", "feed", onError);
    module.reportCallFailure(failure, "increment", "feed", onError);
    expect(onError.mock.calls).toEqual([
      [failure, "increment"],
      [failure, "increment"],
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it("ignores an async onError that rejects: no unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", listener);
    try {
      const onError = async () => {
        throw new Error("log sink unreachable");
      };
      module.reportCallFailure(new Error("x"), "increment", "feed", onError);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off("unhandledRejection", listener);
    }
    expect(unhandled).toEqual([]);
  });

  it("ignores an onError that throws", () => {
    const onError = () => {
      throw new Error("handler bug");
    };
    expect(() =>
      module.reportCallFailure(new Error("x"), "getStats", "feed", onError),
    ).not.toThrow();
  });
});

describe("reportCallFailure without onError", () => {
  it("emits one process warning per cause: the message up to the value that arrived", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    const empty = new RangeError(
      'Expected `metric` to be a non-empty string of at most 256 characters, got "" (string)',
    );
    const long = new RangeError(
      'Expected `metric` to be a non-empty string of at most 256 characters, got "xxx…" (string)',
    );
    module.reportCallFailure(empty, "increment", "feed", undefined);
    module.reportCallFailure(long, "setGauge", "orders", undefined);
    module.reportCallFailure(new Error("clock unplugged"), "getStats", "feed", undefined);
    module.reportCallFailure(new Error("clock unplugged"), "getStats", "feed", undefined);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0]).toEqual([
      `component-stats: "feed".increment() rejected: ${empty.message} (reported once per cause; pass \`onError\` to handle these)`,
      { type: "ComponentStatsWarning", code: "COMPONENT_STATS_CALL_FAILED" },
    ]);
    expect(warn.mock.calls[1]?.[0]).toMatch(/"feed"\.getStats\(\) rejected: clock unplugged/);
  });

  it("warns about at most MAX_WARNED_CAUSES causes, then says once that it stops", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    for (let i = 0; i < module.MAX_WARNED_CAUSES + 50; i++) {
      module.reportCallFailure(new Error(`cause ${i}`), "increment", "feed", undefined);
    }
    expect(warn).toHaveBeenCalledTimes(module.MAX_WARNED_CAUSES + 1);
    expect(warn.mock.calls.at(-1)?.[0]).toMatch(/more than 100 distinct causes.*no more/);
    module.reportCallFailure(new Error("cause 0"), "increment", "feed", undefined);
    expect(warn).toHaveBeenCalledTimes(module.MAX_WARNED_CAUSES + 1);
  });

  it("describes anything thrown, even a value whose conversion throws", () => {
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    module.reportCallFailure("a string", "getUptime", "feed", undefined);
    module.reportCallFailure(
      {
        toString() {
          throw new Error("no");
        },
      },
      "getUptime",
      "feed",
      undefined,
    );
    expect(warn.mock.calls.map((call) => call[0])).toEqual([
      expect.stringMatching(/rejected: a string /),
      expect.stringMatching(/rejected: \[unprintable error\] /),
    ]);
  });

  it("falls back to console.warn where there is no process.emitWarning (a browser)", () => {
    vi.stubGlobal("process", undefined);
    const consoleWarn = vi.spyOn(console, "warn").mockImplementation(() => {});
    module.reportCallFailure(new Error("in a browser"), "increment", "feed", undefined);
    vi.unstubAllGlobals();
    expect(consoleWarn).toHaveBeenCalledTimes(1);
    expect(consoleWarn.mock.calls[0]?.[0]).toMatch(/rejected: in a browser/);
  });

  it("never throws, even when the warning cannot be shown", () => {
    vi.spyOn(process, "emitWarning").mockImplementation(() => {
      throw new Error("stderr closed");
    });
    expect(() =>
      module.reportCallFailure(new Error("unshowable"), "increment", "feed", undefined),
    ).not.toThrow();
  });
});

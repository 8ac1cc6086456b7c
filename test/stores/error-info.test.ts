import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/shared/clock.js";
import {
  ErrorInfo,
  errorMessage,
  errorType,
  MAX_MESSAGE_LENGTH,
} from "../../src/stores/error-info.js";

class FeedError extends Error {}

describe("ErrorInfo", () => {
  it("keeps an Error's message and class name, context, details and timestamp", () => {
    const info = new ErrorInfo(new TypeError("bad tick"), "feed.parse", { symbol: "ES" }, 1234);
    expect(info.toJSON()).toEqual({
      error: "bad tick",
      errorType: "TypeError",
      context: "feed.parse",
      details: { symbol: "ES" },
      timestamp: 1234,
    });
    expect(new ErrorInfo(new FeedError("x"), "c").errorType).toBe("FeedError");
  });

  it("keeps an explicit timestamp of 0", () => {
    expect(new ErrorInfo(new Error("e"), "c", undefined, 0).timestamp).toBe(0);
    expect(new ErrorInfo(new Error("e"), "c", {}, 0).toJSON().timestamp).toBe(0);
  });

  it.each([
    [Number.NaN, RangeError, /`timestamp`.*NaN/],
    [Number.POSITIVE_INFINITY, RangeError, /`timestamp`.*Infinity/],
    ["5", TypeError, /`timestamp`.*"5"/],
  ])(
    "throws for the timestamp %s, naming it, as it would not survive JSON",
    (bad, type, message) => {
      expect(() => new ErrorInfo("e", "c", {}, bad as number)).toThrow(type);
      expect(() => new ErrorInfo("e", "c", {}, bad as number)).toThrow(message);
    },
  );

  it("stamps the system clock when no timestamp is given", () => {
    const before = systemClock.now();
    const info = new ErrorInfo("e", "c");
    expect(info.timestamp).toBeGreaterThanOrEqual(before);
    expect(info.timestamp).toBeLessThanOrEqual(systemClock.now());
  });

  it.each([
    ["a string", "boom", "boom"],
    ["a number", 42, "42"],
    ["null", null, "null"],
    ["undefined", undefined, "undefined"],
    ["a boolean", false, "false"],
    ["a bigint", 10n, "10"],
    ["a symbol", Symbol("sym"), "Symbol(sym)"],
    ["an object with toString", { toString: () => "custom" }, "custom"],
  ])("uses String(value) and type Unknown for %s", (_, value, message) => {
    const info = new ErrorInfo(value, "ctx");
    expect(info.error).toBe(message);
    expect(info.errorType).toBe("Unknown");
  });

  it("copies details: later changes to the caller's object do not show", () => {
    const details = { attempt: 1, nested: { ids: [1, 2] } };
    const info = new ErrorInfo(new Error("e"), "c", details);
    details.attempt = 2;
    details.nested.ids.push(3);
    expect(info.details).toEqual({ attempt: 1, nested: { ids: [1, 2] } });
    expect(info.details).not.toBe(details);
  });

  it("returns a fresh copy from toJSON", () => {
    const info = new ErrorInfo(new Error("e"), "c", { nested: { a: 1 } });
    const record = info.toJSON();
    (record.details.nested as { a: number }).a = 2;
    record.details.extra = true;
    expect(info.toJSON().details).toEqual({ nested: { a: 1 } });
  });

  it("gives empty details when none are passed", () => {
    expect(new ErrorInfo("e", "c").details).toEqual({});
    expect(new ErrorInfo("e", "c", undefined).toJSON().details).toEqual({});
  });

  it("throws a TypeError naming `context` when it is not a string", () => {
    expect(() => new ErrorInfo("e", 5 as unknown as string)).toThrow(TypeError);
    expect(() => new ErrorInfo("e", 5 as unknown as string)).toThrow(/`context`.*5 \(number\)/);
  });

  it("bounds the message and context", () => {
    const info = new ErrorInfo(new Error("m".repeat(5000)), "c".repeat(5000));
    expect(info.error).toBe(`${"m".repeat(MAX_MESSAGE_LENGTH)}… (5000 characters)`);
    expect(info.context.startsWith("c".repeat(MAX_MESSAGE_LENGTH))).toBe(true);
    expect(info.context.length).toBeLessThan(MAX_MESSAGE_LENGTH + 30);
  });

  it("gives a record for a revoked proxy or a proxy whose traps throw", () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const revoked = new ErrorInfo(proxy, "ctx");
    expect(revoked.context).toBe("ctx");
    expect(typeof revoked.error).toBe("string");
    const trapping = new Proxy(new Error("inner"), {
      getPrototypeOf() {
        throw new Error("trap");
      },
    });
    expect(new ErrorInfo(trapping, "ctx").context).toBe("ctx");
  });
});

describe("errorMessage", () => {
  it("uses an error-like object's string message", () => {
    expect(errorMessage({ message: "from fetch" })).toBe("from fetch");
  });

  it("renders a plain object as bounded JSON instead of [object Object]", () => {
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
  });

  it("lists the first inner messages of an AggregateError", () => {
    const error = new AggregateError(
      [new Error("a"), "b", new Error("c"), new Error("d"), new Error("e")],
      "all failed",
    );
    expect(errorMessage(error)).toBe("all failed [5 errors: a; b; c, … 2 more]");
    expect(errorMessage(new AggregateError([new Error("x")], "one"))).toBe("one [1 errors: x]");
  });

  it("never throws, whatever the value does", () => {
    const error = new Error("e");
    Object.defineProperty(error, "message", {
      get() {
        throw new Error("getter");
      },
    });
    expect(errorMessage(error)).toBe("[unprintable error]");
    const noPrimitive = Object.create(null);
    expect(errorMessage(noPrimitive)).toBe("[unprintable error]");
  });
});

describe("errorType", () => {
  it("prefers the name of a renamed plain Error", () => {
    const error = new Error("late");
    error.name = "TimeoutError";
    expect(errorType(error)).toBe("TimeoutError");
  });

  it("uses the class name for subclasses and Error for a bare error", () => {
    expect(errorType(new RangeError("r"))).toBe("RangeError");
    expect(errorType(new Error("e"))).toBe("Error");
    const nameless = new Error("e");
    nameless.name = "";
    expect(errorType(nameless)).toBe("Error");
  });

  it("falls back to Error when the constructor cannot be read", () => {
    const error = new FeedError("e");
    Object.defineProperty(error, "constructor", {
      get() {
        throw new Error("no");
      },
    });
    expect(errorType(error)).toBe("Error");
  });

  it("is Unknown for values that are not Errors", () => {
    expect(errorType("boom")).toBe("Unknown");
    expect(errorType({ name: "TypeError", message: "fake" })).toBe("Unknown");
  });
});

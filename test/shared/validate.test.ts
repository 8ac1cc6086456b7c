import { describe, expect, it } from "vitest";
import {
  checkDuration,
  checkFinite,
  checkInteger,
  checkName,
  checkString,
  describeValue,
  MAX_DURATION_MS,
  MAX_NAME_LENGTH,
} from "../../src/shared/validate.js";

describe("describeValue", () => {
  it.each([
    ["", '"" (string)'],
    ["orders", '"orders" (string)'],
    [42, "42 (number)"],
    [Number.NaN, "NaN (number)"],
    [Number.NEGATIVE_INFINITY, "-Infinity (number)"],
    [true, "true (boolean)"],
    [undefined, "undefined (undefined)"],
    [null, "null (null)"],
    [12n, "12n (bigint)"],
    [Symbol("s"), "Symbol(s) (symbol)"],
    [[1, 2, 3], "array of length 3 (object)"],
    [{ a: 1 }, "an object (object)"],
  ])("renders %s as %s", (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it("names functions, anonymous ones too", () => {
    function namedFn() {}
    expect(describeValue(namedFn)).toBe("function namedFn (function)");
    expect(describeValue(Object.defineProperty(() => {}, "name", { value: "" }))).toBe(
      "function anonymous (function)",
    );
  });

  it("previews a long string instead of copying it", () => {
    const long = "x".repeat(10_000);
    const text = describeValue(long);
    expect(text).toBe(`"${"x".repeat(40)}… (10000 characters)" (string)`);
  });

  it("never throws, even for a revoked proxy or an array proxy whose getters throw", () => {
    const { proxy, revoke } = Proxy.revocable([], {});
    revoke();
    expect(describeValue(proxy)).toMatch(/\(object\)$/);
    const hostile = new Proxy([], {
      get() {
        throw new Error("trap");
      },
    });
    expect(describeValue(hostile)).toMatch(/\(object\)$/);
  });
});

describe("checkName", () => {
  it("accepts non-empty strings up to the maximum length, any Unicode", () => {
    expect(() => checkName("a", "metric")).not.toThrow();
    expect(() => checkName("延迟 ⏱", "metric")).not.toThrow();
    expect(() => checkName("n".repeat(MAX_NAME_LENGTH), "metric")).not.toThrow();
  });

  it("throws a TypeError naming the argument and the value for a non-string", () => {
    expect(() => checkName(7, "metric")).toThrow(TypeError);
    expect(() => checkName(7, "metric")).toThrow(
      "Expected `metric` to be a non-empty string, got 7 (number)",
    );
    expect(() => checkName(undefined, "operation")).toThrow(/`operation`.*undefined/);
  });

  it("throws a RangeError for an empty or too long string", () => {
    expect(() => checkName("", "metric")).toThrow(RangeError);
    expect(() => checkName("", "metric")).toThrow(/`metric`.*got "" \(string\)/);
    expect(() => checkName("n".repeat(MAX_NAME_LENGTH + 1), "metric")).toThrow(
      /at most 256 characters.*257 characters/,
    );
  });
});

describe("checkFinite", () => {
  it("accepts finite numbers, -0 and negatives included", () => {
    for (const value of [0, -0, -5, 1.5, Number.MAX_VALUE, Number.MIN_VALUE]) {
      expect(() => checkFinite(value, "value")).not.toThrow();
    }
  });

  it("throws RangeError for non-finite numbers and TypeError for other types", () => {
    expect(() => checkFinite(Number.NaN, "value")).toThrow(RangeError);
    expect(() => checkFinite(Number.POSITIVE_INFINITY, "value")).toThrow(
      "Expected `value` to be a finite number, got Infinity (number)",
    );
    expect(() => checkFinite("1", "value")).toThrow(TypeError);
    expect(() => checkFinite(1n, "value")).toThrow(/`value`.*1n \(bigint\)/);
  });
});

describe("checkDuration", () => {
  it("accepts 0 and positive durations", () => {
    expect(() => checkDuration(0, "durationMs")).not.toThrow();
    expect(() => checkDuration(12.5, "durationMs")).not.toThrow();
  });

  it("rejects negative, non-finite and non-number durations", () => {
    expect(() => checkDuration(-1, "durationMs")).toThrow(
      "Expected `durationMs` to be a finite number >= 0, got -1 (number)",
    );
    expect(() => checkDuration(-1, "durationMs")).toThrow(RangeError);
    expect(() => checkDuration(Number.NaN, "durationMs")).toThrow(RangeError);
    expect(() => checkDuration(null, "durationMs")).toThrow(TypeError);
  });

  it("accepts up to MAX_DURATION_MS and rejects more with a RangeError naming the limit", () => {
    expect(MAX_DURATION_MS).toBe(2 ** 53 - 1);
    expect(() => checkDuration(MAX_DURATION_MS, "durationMs")).not.toThrow();
    expect(() => checkDuration(MAX_DURATION_MS + 2, "durationMs")).toThrow(RangeError);
    expect(() => checkDuration(1e308, "durationMs")).toThrow(
      "Expected `durationMs` to be at most MAX_DURATION_MS (9007199254740991 ms), got 1e+308 (number)",
    );
    expect(() => checkDuration(Number.MAX_VALUE, "durationMs")).toThrow(/MAX_DURATION_MS/);
  });

  it("keeps every sum of accepted durations a tracker holds finite", () => {
    // A window holds at most 2^24 samples; a lifetime count stays below 2^53.
    expect(Number.isFinite(MAX_DURATION_MS * 2 ** 24)).toBe(true);
    expect(MAX_DURATION_MS * 2 ** 53).toBeLessThan(1e32);
  });
});

describe("checkString", () => {
  it("accepts any string, the empty one included", () => {
    expect(() => checkString("", "context")).not.toThrow();
  });

  it("throws a TypeError naming the argument", () => {
    expect(() => checkString(3, "context")).toThrow(TypeError);
    expect(() => checkString(3, "context")).toThrow(
      "Expected `context` to be a string, got 3 (number)",
    );
  });
});

describe("checkInteger", () => {
  it("accepts integers in range, bounds included", () => {
    expect(() => checkInteger(0, "limit", 0)).not.toThrow();
    expect(() => checkInteger(10, "window", 1, 10)).not.toThrow();
  });

  it("throws TypeError for a non-number and RangeError for fractions and out-of-range values", () => {
    expect(() => checkInteger("1", "limit", 0)).toThrow(TypeError);
    expect(() => checkInteger("1", "limit", 0)).toThrow(/`limit` to be an integer, got "1"/);
    expect(() => checkInteger(1.5, "limit", 0)).toThrow(RangeError);
    expect(() => checkInteger(-1, "limit", 0)).toThrow(
      "Expected `limit` to be an integer >= 0, got -1 (number)",
    );
    expect(() => checkInteger(11, "window", 1, 10)).toThrow(
      "Expected `window` to be an integer from 1 to 10, got 11 (number)",
    );
    expect(() => checkInteger(Number.NaN, "limit", 0)).toThrow(RangeError);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SANITIZE_LIMITS, sanitizeDetails, truncate } from "../../src/shared/sanitize.js";

describe("truncate", () => {
  it("keeps short text and says how long cut text was", () => {
    expect(truncate("abc", 3)).toBe("abc");
    expect(truncate("abcd", 3)).toBe("abc… (4 characters)");
  });
});

describe("sanitizeDetails", () => {
  it("gives {} for undefined and null, and wraps a non-object", () => {
    expect(sanitizeDetails(undefined)).toEqual({});
    expect(sanitizeDetails(null)).toEqual({});
    expect(sanitizeDetails("text")).toEqual({ value: "text" });
    expect(sanitizeDetails([1, 2])).toEqual({ value: [1, 2] });
  });

  it("copies plain data deeply", () => {
    const details = { a: 1, b: "x", c: true, d: null, e: { f: [1, { g: 2 }] } };
    const copy = sanitizeDetails(details);
    expect(copy).toEqual(details);
    expect(copy).not.toBe(details);
    expect(copy.e).not.toBe(details.e);
  });

  it("turns values JSON cannot hold into strings or null", () => {
    function named() {}
    const copy = sanitizeDetails({
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      big: 12n,
      sym: Symbol("s"),
      fn: named,
      anon: Object.defineProperty(() => {}, "name", { value: "" }),
      undef: undefined,
      date: new Date(0),
      badDate: new Date(Number.NaN),
      error: new RangeError("out"),
      bytes: new Uint8Array(3),
      set: new Set([1, 2]),
      map: new Map([["k", 1]]),
    });
    expect(copy).toEqual({
      nan: "NaN",
      inf: "Infinity",
      big: "12n",
      sym: "Symbol(s)",
      fn: "[Function named]",
      anon: "[Function anonymous]",
      undef: null,
      date: "1970-01-01T00:00:00.000Z",
      badDate: "Invalid Date",
      error: { name: "RangeError", message: "out" },
      bytes: "[Uint8Array(3 bytes)]",
      set: [1, 2],
      map: [["k", 1]],
    });
  });

  it("marks cycles but copies a shared (non-circular) object twice", () => {
    const shared = { v: 1 };
    const details: Record<string, unknown> = { a: shared, b: shared };
    details.self = details;
    expect(sanitizeDetails(details)).toEqual({ a: { v: 1 }, b: { v: 1 }, self: "[Circular]" });
  });

  it("cuts deep nesting", () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 10; i++) deep = { deep };
    const text = JSON.stringify(sanitizeDetails(deep));
    expect(text).toContain("[Truncated: depth]");
    expect(text).not.toContain("leaf");
  });

  it("keeps at most maxEntries entries per object and list", () => {
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`k${i}`, i]));
    const copy = sanitizeDetails(many);
    expect(Object.keys(copy)).toHaveLength(DEFAULT_SANITIZE_LIMITS.maxEntries + 1);
    expect(copy["…"]).toBe("10 more keys");
    const list = sanitizeDetails({ list: Array.from({ length: 52 }, (_, i) => i) }).list;
    expect(list).toHaveLength(51);
    expect((list as unknown[]).at(-1)).toBe("… 2 more items");
  });

  it("bounds strings one by one and in total", () => {
    const copy = sanitizeDetails({ body: "x".repeat(5000) });
    expect(copy.body).toBe(`${"x".repeat(1024)}… (5000 characters)`);
    const many = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`s${i}`, "y".repeat(1000)]),
    );
    const bounded = sanitizeDetails(many);
    const texts = Object.values(bounded) as string[];
    expect(texts.filter((t) => t === "[Truncated]").length).toBeGreaterThan(0);
    expect(JSON.stringify(bounded).length).toBeLessThan(
      DEFAULT_SANITIZE_LIMITS.maxTotalChars + 2000,
    );
  });

  it("keeps no value under a key it has to cut, which redaction could no longer judge", () => {
    const details: Record<string, unknown> = {};
    for (let i = 0; i < 8; i++) details[`part${i}`] = "x".repeat(1024);
    details.stripe_refresh_token = 987654321;
    details.oauth_client_secret = { pin: 4321 };
    details.password = 55555;
    details.headers = new Map<unknown, unknown>([
      ["x_stripe_api_secret", 123456],
      [7, "a number key is copied as before"],
    ]);
    const copy = sanitizeDetails(details);
    expect(copy).toMatchObject({
      "stripe_refresh_t… (20 characters)": "[Truncated]",
      "oauth_client_sec… (19 characters)": "[Truncated]",
      // Short enough to keep whole past the budget: kept, for redaction to judge.
      password: 55555,
      headers: [
        ["x_stripe_api_sec… (19 characters)", "[Truncated]"],
        [7, "[Truncated]"],
      ],
    });
    // A key longer than maxStringLength is cut with the budget unspent.
    const long = `${"k".repeat(1100)}_token`;
    expect(sanitizeDetails({ [long]: 1 })).toEqual({
      [`${"k".repeat(1024)}… (1106 characters)`]: "[Truncated]",
    });
  });

  it("bounds a Map's string keys as keys, and keeps its depth and shape", () => {
    const limits = { maxDepth: 4, maxEntries: 2, maxStringLength: 4, maxTotalChars: 100 };
    const map = new Map<unknown, unknown>([
      ["abcd", { in: new Map([["k", [1]]]) }],
      ["abcdef", 2],
      ["more", 3],
    ]);
    expect(sanitizeDetails({ map }, limits)).toEqual({
      map: [
        ["abcd", { in: "[Truncated: depth]" }],
        ["abcd… (6 characters)", "[Truncated]"],
        "… 1 more items",
      ],
    });
    expect(sanitizeDetails({ a: { map } }, { ...limits, maxDepth: 3 })).toEqual({
      a: { map: ["[Truncated: depth]", "[Truncated: depth]", "… 1 more items"] },
    });
  });

  it("keeps a value only under a key kept whole (property)", () => {
    const key = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.constantFrom("password", "stripe_refresh_token", "oauth_client_secret"),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small" },
        fc.string({ maxLength: 300 }),
        fc.integer(),
        fc.dictionary(key, tie("tree")),
        fc.array(fc.tuple(key, tie("tree"))).map((entries) => new Map(entries)),
      ),
    }));
    const limits = { ...DEFAULT_SANITIZE_LIMITS, maxStringLength: 200, maxTotalChars: 400 };
    /** Walks the copy beside the input: what sits under a key the input lacks is cut. */
    const check = (input: unknown, copy: unknown): void => {
      // A string here is a marker ("[Truncated: depth]", "[Truncated]") or a string copied.
      if (typeof copy !== "object" || copy === null) return;
      const entries =
        input instanceof Map
          ? (copy as unknown[]).flatMap((pair, i) =>
              Array.isArray(pair)
                ? [
                    {
                      value: pair[1],
                      whole: pair[0] === [...input.keys()][i],
                      original: [...input.values()][i],
                    },
                  ]
                : [],
            )
          : Object.entries(copy)
              .filter(([k]) => k !== "…")
              .map(([k, value]) => ({
                value,
                whole: Object.hasOwn(input as object, k),
                original: (input as Record<string, unknown>)[k],
              }));
      for (const { value, whole, original } of entries) {
        if (whole) check(original, value);
        else expect(value).toBe("[Truncated]");
      }
    };
    fc.assert(
      fc.property(fc.dictionary(key, tree), (details) => {
        check(details, sanitizeDetails(details, limits));
      }),
    );
  });

  it("honours custom limits", () => {
    const limits = { maxDepth: 1, maxEntries: 1, maxStringLength: 2, maxTotalChars: 100 };
    expect(sanitizeDetails({ a: "abc", b: 2 }, limits)).toEqual({
      a: "ab… (3 characters)",
      "…": "1 more keys",
    });
    expect(sanitizeDetails({ a: { b: 1 } }, limits)).toEqual({ a: "[Truncated: depth]" });
  });

  it("takes maxValues given as undefined for its default, 1000 values", () => {
    const wide = { list: Array.from({ length: 40 }, () => Array.from({ length: 40 }, () => 1)) };
    const limits = { ...DEFAULT_SANITIZE_LIMITS, maxEntries: 100, maxValues: undefined };
    const copy = sanitizeDetails(wide, limits);
    expect(copy).toEqual(sanitizeDetails(wide, { ...DEFAULT_SANITIZE_LIMITS, maxEntries: 100 }));
    // 1 + 40 lists + 1600 numbers: the 1000th value ends the copy, 24 full rows in.
    expect((copy as { list: unknown[] }).list.at(-1)).toBe("… 15 more items");
  });

  it("never throws on getters that throw, revoked proxies or hostile errors", () => {
    const getter = Object.defineProperty({}, "bad", {
      enumerable: true,
      get() {
        throw new Error("no read");
      },
    });
    expect(sanitizeDetails(getter)).toEqual({ bad: "[Thrown: no read]" });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const copy = sanitizeDetails({ proxy });
    expect(copy.proxy).toMatch(/^\[Thrown: /);
    const hostile = new Error("x");
    Object.defineProperty(hostile, "message", {
      get() {
        throw "plain string";
      },
    });
    expect(sanitizeDetails({ hostile }).hostile).toEqual({
      name: "Error",
      message: "[Thrown: plain string]",
    });
    const unprintable = Object.defineProperty({}, "bad", {
      enumerable: true,
      get() {
        throw Object.create(null);
      },
    });
    expect(sanitizeDetails(unprintable)).toEqual({ bad: "[Thrown: unprintable]" });
  });

  it("stores -0 as 0, which JSON can hold", () => {
    const copy = sanitizeDetails({ zero: -0, list: [-0] });
    expect(Object.is(copy.zero, 0)).toBe(true);
    expect(Object.is((copy.list as number[])[0], 0)).toBe(true);
  });

  it("gives plain data that JSON round-trips (property)", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true }),
        (value) => {
          const copy = sanitizeDetails(value);
          expect(JSON.parse(JSON.stringify(copy))).toEqual(copy);
        },
      ),
    );
  });
});

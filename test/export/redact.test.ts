import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isSensitiveKey, REDACTED, redactSensitive, sanitizeDetails } from "../../src/index.js";

const LISTED = [
  "password",
  "secret",
  "token",
  "api_key",
  "apikey",
  "authorization",
  "auth_token",
  "session_token",
  "access_token",
  "refresh_token",
  "account_id",
  "account_number",
];

describe("isSensitiveKey", () => {
  it.each(LISTED)("matches %s in any case", (key) => {
    expect(isSensitiveKey(key)).toBe(true);
    expect(isSensitiveKey(key.toUpperCase())).toBe(true);
    expect(isSensitiveKey(key[0]?.toUpperCase() + key.slice(1))).toBe(true);
  });

  it("matches keys ending in _token or _secret", () => {
    for (const key of ["csrf_token", "GITHUB_TOKEN", "client_secret", "x_Secret"]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
  });

  it("matches camelCase and kebab-case spellings of the same keys", () => {
    for (const key of [
      "accessToken",
      "apiKey",
      "sessionToken",
      "clientSecret",
      "refresh-token",
      "accountId",
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
  });

  it("matches PascalCase keys that start with or hold an acronym", () => {
    for (const key of [
      "CSRFToken",
      "APIToken",
      "IDToken",
      "JWTToken",
      "AWSSecret",
      "APIKey",
      "OAuthToken",
      "GetAPIToken",
      "stripeAPISecret",
    ]) {
      expect(isSensitiveKey(key), key).toBe(true);
    }
  });

  it("reads no acronym into a key that is not sensitive", () => {
    for (const key of [
      "APITokenizer",
      "IDTokens",
      "CSRFTokenCount",
      "JWTTokenExpiry",
      "AWSSecretary",
      "TokenID",
      "AccountIDs",
      "XMLHttpRequest",
      "HTTPStatus",
      "OAuth",
    ]) {
      expect(isSensitiveKey(key), key).toBe(false);
    }
  });

  it("judges a key spelled in camelCase, PascalCase or with acronyms as in snake_case (property)", () => {
    const word = fc.oneof(
      fc.constantFrom("token", "secret", "api", "key", "id", "csrf", "access", "account"),
      fc.constantFrom("number", "session", "auth", "refresh", "client", "count", "tokens"),
      fc.stringMatching(/^[a-z]{2,6}$/),
    );
    // An acronym is only followed by a capitalised word: `CSRFTOKEN` has no boundary to read.
    const spelled = fc.array(fc.tuple(word, fc.constantFrom("lower", "Capital", "ACRONYM")), {
      minLength: 1,
      maxLength: 4,
    });
    fc.assert(
      fc.property(spelled, (words) => {
        const snake = words.map(([w]) => w).join("_");
        const spelling = words
          .map(([w, style], i) => {
            const next = words[i + 1]?.[1];
            if (i === 0 && style === "lower") return w;
            if (style === "ACRONYM" && next === "Capital") return w.toUpperCase();
            return w[0]?.toUpperCase() + w.slice(1);
          })
          .join("");
        expect(isSensitiveKey(spelling), `${spelling} vs ${snake}`).toBe(isSensitiveKey(snake));
      }),
    );
  });

  it("leaves other keys alone", () => {
    for (const key of [
      "user",
      "tokens",
      "token_count",
      "secretary",
      "passwords_changed",
      "authorized",
      "account",
      "tokenizer",
      "id",
      "",
    ]) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });
});

describe("redactSensitive", () => {
  it("replaces values of sensitive keys at any depth, inside arrays too", () => {
    expect(
      redactSensitive({
        a: 1,
        Password: { nested: "whole object goes" },
        list: [{ token: "t" }, [{ deep: { refresh_token: "r", keep: null } }]],
      }),
    ).toEqual({
      a: 1,
      Password: REDACTED,
      list: [{ token: REDACTED }, [{ deep: { refresh_token: REDACTED, keep: null } }]],
    });
    expect(REDACTED).toBe("[REDACTED]");
  });

  it("copies: the input is not changed", () => {
    const input = { secret: "s", inner: { token: "t" } };
    const output = redactSensitive(input) as typeof input;
    expect(input).toEqual({ secret: "s", inner: { token: "t" } });
    output.inner.token = "changed";
    expect(input.inner.token).toBe("t");
  });

  it("passes primitives through, cuts cycles and keeps __proto__ as data", () => {
    expect(redactSensitive("x")).toBe("x");
    expect(redactSensitive(null)).toBe(null);
    const cyclic: Record<string, unknown> = { token: "t" };
    cyclic.self = cyclic;
    expect(redactSensitive(cyclic)).toEqual({ token: REDACTED, self: "[Circular]" });
    const withProto = JSON.parse('{"__proto__": {"password": "p"}}');
    const copy = redactSensitive(withProto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.hasOwn(copy, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(copy, "__proto__")?.value).toEqual({
      password: REDACTED,
    });
  });

  it("reads keys in a Map as error details record it: [key, value] pairs", () => {
    const details = sanitizeDetails({
      headers: new Map<unknown, unknown>([
        ["Authorization", "Bearer sk_live_MAP"],
        ["accept", "json"],
        ["session", new Map([["refresh_token", { nested: 1 }]])],
        [7, "number key"],
      ]),
    });
    expect(redactSensitive(details)).toEqual({
      headers: [
        ["Authorization", REDACTED],
        ["accept", "json"],
        ["session", [["refresh_token", REDACTED]]],
        [7, "number key"],
      ],
    });
    // A Map cut at maxEntries ends with a string saying so; its pairs are still read.
    const big = new Map<string, number>([["password", 1234]]);
    for (let i = 0; i < 60; i++) big.set(`k${i}`, i);
    const cut = sanitizeDetails({ big }).big as unknown[];
    expect(cut.at(-1)).toBe("… 11 more items");
    expect((redactSensitive(cut) as unknown[])[0]).toEqual(["password", REDACTED]);
    // Pairs from Object.entries are the same form.
    expect(redactSensitive(Object.entries({ token: "t", user: "u" }))).toEqual([
      ["token", REDACTED],
      ["user", "u"],
    ]);
  });

  it("leaves lists that are not all pairs as they are", () => {
    for (const list of [
      ["password", "hunter2"],
      [
        ["token", "t"],
        ["a", "b", "c"],
      ],
      [["token", "t"], "not last", ["a", "b"]],
      ["only a string"],
      [],
    ]) {
      expect(redactSensitive(list)).toEqual(list);
    }
  });

  it("leaves no sensitive value anywhere in any JSON value", () => {
    const key = fc.oneof(fc.string(), fc.constantFrom(...LISTED, "my_token", "AccessToken"));
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: "small" },
        fc.string(),
        fc.integer(),
        fc.array(tie("tree")),
        fc.array(fc.tuple(key, tie("tree"))),
        fc.dictionary(key, tie("tree")),
      ),
    }));
    fc.assert(
      fc.property(tree, (value) => {
        const visit = (node: unknown): void => {
          if (Array.isArray(node)) {
            const pairs = node.length > 0 && node.every((i) => Array.isArray(i) && i.length === 2);
            for (const item of node) {
              if (pairs && typeof item[0] === "string" && isSensitiveKey(item[0])) {
                expect(item[1]).toBe(REDACTED);
              } else visit(item);
            }
          } else if (typeof node === "object" && node !== null) {
            for (const [k, v] of Object.entries(node)) {
              if (isSensitiveKey(k)) expect(v).toBe(REDACTED);
              else visit(v);
            }
          }
        };
        visit(redactSensitive(value));
      }),
    );
  });
});

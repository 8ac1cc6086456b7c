import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableStringify } from "../../src/export/json.js";
import {
  BaseStatisticsTracker,
  type ComponentReport,
  exportJson,
  type JsonExportOptions,
  manualClock,
  type RegistrySnapshot,
  StatisticsRegistry,
} from "../../src/index.js";

const START = Date.UTC(2024, 4, 1, 12, 0, 0);

async function snapshotWithSecrets(): Promise<RegistrySnapshot> {
  const clock = manualClock(START);
  const registry = new StatisticsRegistry({ clock });
  const t = new BaseStatisticsTracker("gateway", { clock });
  await t.increment("zeta");
  await t.increment("alpha", 2);
  await t.increment("10");
  await t.increment("9");
  await t.trackError(new Error("401"), "login", {
    user: "ann",
    password: "hunter2",
    headers: { Authorization: "Bearer abc", "X-Request-Id": "r1" },
    attempts: [{ session_token: "s1", ok: false }, { note: "kept" }],
    config: { deep: { deeper: { API_KEY: "k", client_secret: "cs", keep: 1 } } },
  });
  registry.register(t);
  return registry.collect();
}

function details(json: string): unknown {
  const parsed = JSON.parse(json) as { components: ComponentReport[] };
  return parsed.components[0]?.recentErrors?.[0]?.details;
}

describe("exportJson", () => {
  it("writes the timestamp as ISO 8601 and keeps the rest of the snapshot", async () => {
    const snapshot = await snapshotWithSecrets();
    const parsed = JSON.parse(exportJson(snapshot, { redact: false }));
    expect(parsed.timestamp).toBe("2024-05-01T12:00:00.000Z");
    expect({ ...parsed, timestamp: snapshot.timestamp }).toEqual(snapshot);
  });

  it("sorts keys at every depth, integer-like keys included", async () => {
    const json = exportJson(await snapshotWithSecrets(), { redact: false });
    expect(json.indexOf('"components"')).toBeLessThan(json.indexOf('"health"'));
    expect(json).toContain('"counters":{"10":1,"9":1,"alpha":2,"zeta":1}');
    expect(json.startsWith('{"components":[{"healthScore":')).toBe(true);
  });

  it("gives byte-identical output for equal snapshots built in different orders", () => {
    const a = { b: 1, a: { d: [3, { f: 1, e: 2 }], c: null } };
    const b = { a: { c: null, d: [3, { e: 2, f: 1 }] }, b: 1 };
    expect(stableStringify(a)).toBe(stableStringify(b));
    expect(stableStringify(a)).toBe('{"a":{"c":null,"d":[3,{"e":2,"f":1}]},"b":1}');
  });

  it("redacts sensitive keys in error details at any depth, by default", async () => {
    expect(details(exportJson(await snapshotWithSecrets()))).toEqual({
      user: "ann",
      password: "[REDACTED]",
      headers: { Authorization: "[REDACTED]", "X-Request-Id": "r1" },
      attempts: [{ session_token: "[REDACTED]", ok: false }, { note: "kept" }],
      config: { deep: { deeper: { API_KEY: "[REDACTED]", client_secret: "[REDACTED]", keep: 1 } } },
    });
  });

  it("redacts sensitive keys of a Map in error details", async () => {
    const registry = new StatisticsRegistry({ clock: manualClock(START) });
    const t = new BaseStatisticsTracker("api", { clock: manualClock(START) });
    registry.register(t);
    await t.trackError(new Error("401"), "fetch", {
      headers: new Map([
        ["Authorization", "Bearer sk_live_MAP_SECRET"],
        ["accept", "json"],
      ]),
    });
    const json = exportJson(await registry.collect());
    expect(json).not.toContain("MAP_SECRET");
    expect(details(json)).toEqual({
      headers: [
        ["Authorization", "[REDACTED]"],
        ["accept", "json"],
      ],
    });
  });

  it("redacts a sensitive key's value however the details' text budget runs", async () => {
    // Repro: 8 KiB of body spends the budget, after which long keys are cut short.
    const registry = new StatisticsRegistry({ clock: manualClock(START) });
    const t = new BaseStatisticsTracker("api", { clock: manualClock(START) });
    registry.register(t);
    const repro: Record<string, unknown> = {};
    for (let i = 0; i < 8; i++) repro[`part${i}`] = "x".repeat(1024);
    Object.assign(repro, {
      stripe_refresh_token: 987654321,
      oauth_client_secret: { pin: 4321 },
      password: 55555,
    });
    await t.trackError(new Error("big"), "post", repro);
    const json = exportJson(await registry.collect());
    for (const secret of ["987654321", "4321", "55555"]) expect(json).not.toContain(secret);

    const sensitive = fc.constantFrom(
      "password",
      "token",
      "apiKey",
      "stripe_refresh_token",
      "oauthClientSecret",
      "x-very-long-service-account-token",
    );
    const secret = fc.constantFrom<unknown>(987654321, { pin: 24680 }, ["S3CR3T"], "S3CR3T");
    const secrets = fc.array(fc.tuple(sensitive, secret), { minLength: 1, maxLength: 4 });
    const holder = fc.oneof(
      secrets.map((entries) => Object.fromEntries(entries)),
      secrets.map((entries) => new Map(entries)),
      secrets.map((entries) => ({ nested: { deeper: new Map(entries) } })),
    );
    const filler = fc.array(fc.nat(1500), { maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(
        filler,
        fc.array(holder, { minLength: 1, maxLength: 3 }),
        async (sizes, holders) => {
          const clock = manualClock(START);
          const r = new StatisticsRegistry({ clock });
          const tracker = new BaseStatisticsTracker("api", { clock });
          r.register(tracker);
          const details: Record<string, unknown> = {};
          sizes.forEach((size, i) => {
            details[`part${i}`] = "x".repeat(size);
          });
          holders.forEach((h, i) => {
            details[`holder${i}`] = h;
          });
          await tracker.trackError(new Error("e"), "ctx", details);
          const text = exportJson(await r.collect());
          for (const leaked of ["987654321", "24680", "S3CR3T"]) expect(text).not.toContain(leaked);
        },
      ),
    );
  });

  it("keeps details as they are with redact: false, and never changes the snapshot", async () => {
    const snapshot = await snapshotWithSecrets();
    const before = structuredClone(snapshot);
    exportJson(snapshot);
    expect(snapshot).toEqual(before);
    expect(details(exportJson(snapshot, { redact: false }))).toMatchObject({ password: "hunter2" });
  });

  it("takes every option given as undefined for its default: redacted, on one line", async () => {
    const snapshot = await snapshotWithSecrets();
    const allUndefined: { [K in keyof Required<JsonExportOptions>]: undefined } = {
      redact: undefined,
      space: undefined,
    };
    const json = exportJson(snapshot, allUndefined);
    expect(json).toBe(exportJson(snapshot));
    expect(json).not.toContain("\n");
    expect(details(json)).toMatchObject({ password: "[REDACTED]" });
  });

  it("indents like JSON.stringify with space", async () => {
    const snapshot = await snapshotWithSecrets();
    const indented = exportJson(snapshot, { space: 2 });
    expect(JSON.parse(indented)).toEqual(JSON.parse(exportJson(snapshot)));
    // A component that never set a status is degraded since issue 10, so healthy (serving).
    expect(indented).toContain('\n  "health": {\n    "healthy": true,');
    expect(stableStringify({ a: [], b: {}, c: [1] }, "  ")).toBe(
      JSON.stringify({ a: [], b: {}, c: [1] }, null, 2),
    );
  });

  it("matches JSON.stringify with sorted keys on any JSON value", () => {
    const sortKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortKeys);
      if (typeof value !== "object" || value === null) return value;
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      );
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(4), (value, space) => {
        const text = stableStringify(value, " ".repeat(space));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
        // Without integer-like keys, objects keep sorted order and the texts agree exactly.
        const hasIntegerKey = /"(0|[1-9]\d*)":/.test(JSON.stringify(value));
        if (!hasIntegerKey) expect(text).toBe(JSON.stringify(sortKeys(value), null, space));
      }),
    );
  });

  it("writes what JSON cannot hold as JSON.stringify would, and never throws on it", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(
      stableStringify({
        n: Number.NaN,
        i: Number.POSITIVE_INFINITY,
        u: undefined,
        f: () => 1,
        s: Symbol("s"),
        big: 12n,
        list: [undefined, () => 1],
        date: new Date(0),
        cyclic,
        ["__proto__"]: 1,
      }),
    ).toBe(
      '{"__proto__":1,"big":"12n","cyclic":{"a":1,"self":"[Circular]"},"date":"1970-01-01T00:00:00.000Z","i":null,"list":[null,null],"n":null}',
    );
    // Holes and non-finite numbers in arrays of numbers are null, as JSON.stringify writes them.
    // biome-ignore lint/suspicious/noSparseArray: the hole is the case tested
    const holes = [1, , 3];
    expect(stableStringify({ holes, nan: [1, Number.NaN], ok: [1, -0, 2.5] })).toBe(
      JSON.stringify({ holes, nan: [1, Number.NaN], ok: [1, -0, 2.5] }),
    );
    const withProto = JSON.parse('{"__proto__": {"x": 1}}');
    expect(stableStringify(withProto)).toBe('{"__proto__":{"x":1}}');
  });

  it.each([
    [{ redact: "no" }, TypeError, /`redact`.*"no" \(string\)/],
    [{ space: -1 }, RangeError, /`space`.*-1/],
    [{ space: 11 }, RangeError, /`space`/],
    [{ space: 1.5 }, RangeError, /`space`/],
    [{ space: "  " }, TypeError, /`space`/],
  ])("rejects the options %o", async (options, type, message) => {
    const snapshot = await snapshotWithSecrets();
    expect(() => exportJson(snapshot, options as never)).toThrow(type);
    expect(() => exportJson(snapshot, options as never)).toThrow(message);
  });

  it("rejects a timestamp that is no date", async () => {
    const snapshot = { ...(await snapshotWithSecrets()), timestamp: 1e20 };
    expect(() => exportJson(snapshot)).toThrow(/`snapshot.timestamp`/);
    expect(() => exportJson(snapshot, null as never)).toThrow(/`options`/);
  });
});

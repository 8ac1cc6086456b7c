import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_VERDICT_RULES,
  isBetterVerdict,
  judgeComponent,
  judgeRegistry,
  resolveVerdictRules,
  type VerdictInput,
  type VerdictOptions,
  worseVerdict,
} from "../../src/compute/verdict.js";
import type { Verdict } from "../../src/index.js";

const recent = (calls: number, errors: number) => ({
  windowMs: 60_000,
  calls,
  errors,
  errorRate: Math.max(calls, errors) > 0 ? errors / Math.max(calls, errors) : 0,
});

const ok = (overrides: Partial<VerdictInput> = {}): VerdictInput => ({
  outcome: "ok",
  status: "connected",
  healthScore: 80,
  recent: recent(0, 0),
  ...overrides,
});

describe("judgeComponent: the status table", () => {
  it.each([
    ["connected", "healthy", []],
    ["active", "healthy", []],
    ["initializing", "degraded", ['status "initializing"']],
    ["lagging", "degraded", ['status "lagging"']],
    ["disconnected", "unhealthy", ['status "disconnected"']],
    ["error", "unhealthy", ['status "error"']],
    ["reconnecting", "degraded", ['status "reconnecting" (not in the status table)']],
    ["__proto__", "degraded", ['status "__proto__" (not in the status table)']],
  ] as const)("status %s is %s", (status, verdict, reasons) => {
    expect(judgeComponent(ok({ status }))).toEqual({ verdict, reasons });
  });

  it("is unhealthy when the component could not be collected, whatever else it says", () => {
    expect(judgeComponent({ outcome: "timeout", status: "timeout", healthScore: 0 })).toEqual({
      verdict: "unhealthy",
      reasons: ["not collected (timeout)"],
    });
    expect(
      judgeComponent({
        outcome: "error",
        status: "error",
        healthScore: 0,
        reason: "TypeError: boom",
      }),
    ).toEqual({ verdict: "unhealthy", reasons: ["not collected (error): TypeError: boom"] });
  });
});

describe("judgeComponent: recent failures", () => {
  it.each([
    [100, 49, "degraded"],
    [100, 50, "unhealthy"],
    [100, 5, "degraded"],
    [100, 4, "healthy"],
    [20, 1, "degraded"],
    [10, 5, "unhealthy"],
    // Fewer than 10 calls: too few to judge, even all failed.
    [9, 9, "healthy"],
    // Failures with no counted call: each counts as a failed call.
    [0, 10, "unhealthy"],
    [0, 9, "healthy"],
  ] as const)("%d calls with %d failures is %s", (calls, errors, verdict) => {
    expect(judgeComponent(ok({ recent: recent(calls, errors) })).verdict).toBe(verdict);
  });

  it("says how many calls failed over which window", () => {
    expect(judgeComponent(ok({ recent: recent(300, 150) })).reasons).toEqual([
      "150 of 300 calls failed in the last 60 s (50%)",
    ]);
    expect(
      judgeComponent(ok({ recent: { windowMs: 1500, calls: 40.25, errors: 3, errorRate: 0 } }))
        .reasons,
    ).toEqual(["3 of 40.25 calls failed in the last 1.5 s (7.5%)"]);
  });

  it("judges a component that reports no recent activity by its status alone", () => {
    expect(judgeComponent({ outcome: "ok", status: "active", healthScore: 12 })).toEqual({
      verdict: "healthy",
      reasons: [],
    });
  });

  it("lists every finding, the verdict being the worst", () => {
    expect(judgeComponent(ok({ status: "reconnecting", recent: recent(10, 10) }))).toEqual({
      verdict: "unhealthy",
      reasons: [
        'status "reconnecting" (not in the status table)',
        "10 of 10 calls failed in the last 60 s (100%)",
      ],
    });
  });
});

describe("judgeComponent: the score", () => {
  it("decides nothing by default: a score of 0 with a good status and no failures is healthy", () => {
    expect(judgeComponent(ok({ healthScore: 0 })).verdict).toBe("healthy");
  });

  it("makes a component below minScore unhealthy when one is set", () => {
    const rules = resolveVerdictRules({ minScore: 70 });
    expect(judgeComponent(ok({ healthScore: 69.9 }), rules)).toEqual({
      verdict: "unhealthy",
      reasons: ["health score 69.9 is below the minimum 70"],
    });
    expect(judgeComponent(ok({ healthScore: 70 }), rules).verdict).toBe("healthy");
  });
});

describe("judgeComponent: configured rules", () => {
  it("takes other statuses, shares and minimum", () => {
    const rules = resolveVerdictRules({
      statuses: { reconnecting: "unhealthy", initializing: "healthy" },
      unknownStatus: "healthy",
      unhealthyErrorRate: 0.2,
      degradedErrorRate: 0.01,
      minCalls: 100,
    });
    expect(judgeComponent(ok({ status: "reconnecting" }), rules).verdict).toBe("unhealthy");
    expect(judgeComponent(ok({ status: "initializing" }), rules).verdict).toBe("healthy");
    expect(judgeComponent(ok({ status: "paused" }), rules).verdict).toBe("healthy");
    expect(judgeComponent(ok({ status: "error" }), rules).verdict).toBe("unhealthy");
    expect(judgeComponent(ok({ recent: recent(99, 99) }), rules).verdict).toBe("healthy");
    expect(judgeComponent(ok({ recent: recent(100, 20) }), rules).verdict).toBe("unhealthy");
    expect(judgeComponent(ok({ recent: recent(100, 1) }), rules).verdict).toBe("degraded");
  });

  it("is a pure function of the input and the rules (property)", () => {
    const input = fc.record({
      outcome: fc.constantFrom("ok", "error", "timeout" as const),
      status: fc.constantFrom("connected", "active", "initializing", "error", "x"),
      healthScore: fc.double({ min: 0, max: 100, noNaN: true }),
      recent: fc.tuple(fc.nat(1000), fc.nat(1000)).map(([calls, errors]) => recent(calls, errors)),
    });
    fc.assert(
      fc.property(input, (value) => {
        const first = judgeComponent(value as VerdictInput);
        expect(judgeComponent(structuredClone(value) as VerdictInput)).toEqual(first);
        expect(first.reasons.length === 0).toBe(first.verdict === "healthy");
      }),
    );
  });
});

describe("judgeRegistry", () => {
  const component = (name: string, verdict: Verdict, reasons: string[] = []) => ({
    name,
    verdict,
    reasons,
  });

  it("is healthy with no components", () => {
    expect(judgeRegistry([])).toEqual({ verdict: "healthy", reasons: [] });
  });

  it("is as bad as its worst component, naming each one that is not healthy", () => {
    expect(
      judgeRegistry([
        component("feed", "healthy"),
        component("orders", "degraded", ['status "initializing"']),
        component("broker", "unhealthy", ['status "disconnected"', "12 of 12 calls failed"]),
      ]),
    ).toEqual({
      verdict: "unhealthy",
      reasons: [
        'orders is degraded: status "initializing"',
        'broker is unhealthy: status "disconnected"; 12 of 12 calls failed',
      ],
    });
  });

  it("counts an unhealthy non-critical component as degraded", () => {
    const rules = resolveVerdictRules({ nonCritical: ["cache"] });
    expect(judgeRegistry([component("cache", "unhealthy", ['status "error"'])], rules)).toEqual({
      verdict: "degraded",
      reasons: ['cache is unhealthy (not critical): status "error"'],
    });
    expect(
      judgeRegistry(
        [component("cache", "unhealthy", ['status "error"']), component("db", "unhealthy")],
        rules,
      ).verdict,
    ).toBe("unhealthy");
  });
});

describe("verdict order", () => {
  it("orders healthy < degraded < unhealthy", () => {
    expect(worseVerdict("healthy", "degraded")).toBe("degraded");
    expect(worseVerdict("unhealthy", "degraded")).toBe("unhealthy");
    expect(worseVerdict("degraded", "degraded")).toBe("degraded");
    expect(isBetterVerdict("healthy", "degraded")).toBe(true);
    expect(isBetterVerdict("degraded", "degraded")).toBe(false);
    expect(isBetterVerdict("unhealthy", "healthy")).toBe(false);
  });
});

describe("resolveVerdictRules", () => {
  it("gives the documented defaults, frozen", () => {
    const rules = resolveVerdictRules();
    expect(rules).toEqual(DEFAULT_VERDICT_RULES);
    expect(rules).toEqual({
      statuses: {
        connected: "healthy",
        active: "healthy",
        initializing: "degraded",
        lagging: "degraded",
        disconnected: "unhealthy",
        error: "unhealthy",
      },
      unknownStatus: "degraded",
      unhealthyErrorRate: 0.5,
      degradedErrorRate: 0.05,
      minCalls: 10,
      minScore: null,
      nonCritical: [],
    });
    expect(Object.isFrozen(rules)).toBe(true);
    expect(Object.isFrozen(rules.statuses)).toBe(true);
    expect(Object.isFrozen(rules.nonCritical)).toBe(true);
  });

  it("merges statuses key by key and copies the caller's arrays", () => {
    const nonCritical = ["cache"];
    const rules = resolveVerdictRules({ statuses: { paused: "healthy" }, nonCritical });
    nonCritical.push("db");
    expect(rules.statuses).toMatchObject({ paused: "healthy", error: "unhealthy" });
    expect(rules.nonCritical).toEqual(["cache"]);
  });

  it("keeps a status named __proto__ as data", () => {
    const statuses = JSON.parse('{"__proto__": "unhealthy"}') as Record<string, Verdict>;
    const rules = resolveVerdictRules({ statuses });
    expect(judgeComponent(ok({ status: "__proto__" }), rules).verdict).toBe("unhealthy");
  });

  it("accepts an explicit undefined as the default", () => {
    expect(resolveVerdictRules({ minCalls: undefined, minScore: undefined })).toEqual(
      DEFAULT_VERDICT_RULES,
    );
    const allUndefined: { [K in keyof Required<VerdictOptions>]: undefined } = {
      statuses: undefined,
      unknownStatus: undefined,
      unhealthyErrorRate: undefined,
      degradedErrorRate: undefined,
      minCalls: undefined,
      minScore: undefined,
      nonCritical: undefined,
    };
    expect(resolveVerdictRules(allUndefined)).toEqual(DEFAULT_VERDICT_RULES);
  });

  it.each([
    [null, TypeError, /`verdict` to be an object, got null/],
    [{ statuses: [] }, TypeError, /`verdict\.statuses` to be an object/],
    [{ statuses: { up: "fine" } }, TypeError, /`verdict\.statuses\.up` to be "healthy"/],
    [{ unknownStatus: "ok" }, TypeError, /`verdict\.unknownStatus`/],
    [{ unhealthyErrorRate: 0 }, RangeError, /`verdict\.unhealthyErrorRate` to be a share > 0/],
    [{ degradedErrorRate: 1.5 }, RangeError, /`verdict\.degradedErrorRate`/],
    [{ degradedErrorRate: Number.NaN }, RangeError, /`verdict\.degradedErrorRate`/],
    [
      { degradedErrorRate: 0.6 },
      RangeError,
      /`verdict\.degradedErrorRate` \(0\.6\) to be <= `verdict\.unhealthyErrorRate` \(0\.5\)/,
    ],
    [{ minCalls: -1 }, RangeError, /`verdict\.minCalls` to be >= 0/],
    [{ minCalls: "10" }, TypeError, /`verdict\.minCalls`/],
    [{ minScore: 101 }, RangeError, /`verdict\.minScore` to be null or a number from 0 to 100/],
    [{ nonCritical: "cache" }, TypeError, /`verdict\.nonCritical` to be an array/],
    [{ nonCritical: [1] }, TypeError, /`verdict\.nonCritical\[0\]`/],
  ])("rejects %j", (options, ErrorType, message) => {
    expect(() => resolveVerdictRules(options as never)).toThrow(ErrorType);
    expect(() => resolveVerdictRules(options as never)).toThrow(message);
  });
});

import { describe, expect, it } from "vitest";
import {
  decodeReply,
  isReplyTo,
  isRequest,
  PROTOCOL_VERSION,
  REPLY_TYPE,
  REQUEST_TYPE,
  type StatsReply,
  samplesToBase64,
} from "../../src/cluster/protocol.js";
import type { ComponentReport, RegistrySnapshot } from "../../src/registry/types.js";

const STATS = {
  name: "api",
  status: "connected",
  uptimeSeconds: 1,
  lastActivity: null,
  errorCount: 0,
  memoryUsageMb: 0,
  healthScore: 100,
  counters: { r: 1 },
  gauges: {},
  performanceMetrics: {},
};

function reply(
  overrides: Record<string, unknown> = {},
  report: Record<string, unknown> = {},
): StatsReply {
  return {
    type: REPLY_TYPE,
    v: PROTOCOL_VERSION,
    id: "r",
    snapshot: {
      timestamp: 0,
      components: [
        {
          name: "api",
          outcome: "ok",
          status: "connected",
          healthScore: 100,
          weight: 1,
          stats: STATS,
          verdict: "healthy",
          reasons: [],
          ...report,
        },
      ],
    } as never,
    windows: [["api", [["get", Float64Array.from([1, 2])]]]],
    ...overrides,
  };
}

describe("message shapes", () => {
  it("tells requests and replies from the application's messages", () => {
    expect(isRequest({ type: REQUEST_TYPE, v: 1, id: "a" })).toBe(true);
    expect(isRequest({ type: REQUEST_TYPE, v: 1 })).toBe(false);
    expect(isRequest({ type: "collect", id: "a" })).toBe(false);
    expect(isRequest(null)).toBe(false);
    expect(isRequest("component-stats:collect")).toBe(false);
    expect(isReplyTo(reply(), "r")).toBe(true);
    expect(isReplyTo(reply(), "other")).toBe(false);
    expect(isReplyTo({ ...reply(), type: REQUEST_TYPE }, "r")).toBe(false);
  });
});

describe("decodeReply", () => {
  it("decodes windows sent as Float64Arrays or base64, into the same samples", () => {
    const samples = Float64Array.from([0, 0.1, 7.25, 1e300]);
    const binary = decodeReply(reply({ windows: [["api", [["get", samples]]]] }));
    const text = decodeReply(reply({ windows: [["api", [["get", samplesToBase64(samples)]]]] }));
    expect(text.windows).toEqual(binary.windows);
    expect([...(text.windows.get("api")?.get("get") ?? [])]).toEqual([...samples]);
  });

  it("keeps fields it does not know on reports, for the merge table to read", () => {
    const decoded = decodeReply(reply({}, { team: "orders" }));
    expect((decoded.snapshot.components[0] as ComponentReport & { team?: string }).team).toBe(
      "orders",
    );
  });

  it("keeps the contract's fields of stats, and gives stats without a score the report's", () => {
    const { healthScore: _, ...unscored } = STATS;
    const decoded = decodeReply(
      reply({}, { healthScore: 42, stats: { ...unscored, extra: 1, countingSince: 5 } }),
    );
    expect(decoded.snapshot.components[0]?.stats).toEqual({
      ...unscored,
      healthScore: 42,
      countingSince: 5,
    });
  });

  it.each([
    ["another protocol version", reply({ v: 2 }), /protocol version 1, got 2/],
    ["no snapshot", reply({ snapshot: undefined }), /snapshot to be an object/],
    [
      "components that are not an array",
      reply({ snapshot: { components: {} } }),
      /snapshot.components to be an array/,
    ],
    ["a report without a name", reply({}, { name: "" }), /components\[0\].name/],
    [
      "an unknown outcome",
      reply({}, { outcome: "maybe" }),
      /outcome to be "ok", "error" or "timeout"/,
    ],
    ["a status that is not a string", reply({}, { status: 3 }), /status to be a string/],
    ["a health score above 100", reply({}, { healthScore: 101 }), /getHealthScore\(\)/],
    ["a weight of 0", reply({}, { weight: 0 }), /weight to be a finite number > 0/],
    ["a reason that is not a string", reply({}, { reason: 1 }), /reason to be a string/],
    [
      "an unknown verdict",
      reply({}, { verdict: "fine" }),
      /components\[0\].verdict to be "healthy", "degraded" or "unhealthy", got "fine"/,
    ],
    ["no verdict", reply({}, { verdict: undefined }), /components\[0\].verdict/],
    [
      "reasons that are not strings",
      reply({}, { reasons: [1] }),
      /components\[0\].reasons to be an array of strings/,
    ],
    ["no reasons", reply({}, { reasons: undefined }), /components\[0\].reasons/],
    [
      "a pending time that is not finite",
      reply({}, { outcome: "timeout", stats: undefined, pendingSinceMs: Number.NaN }),
      /components\[0\].pendingSinceMs to be a finite number/,
    ],
    [
      "an ok report without stats",
      reply({}, { stats: undefined }),
      /stats for a component collected "ok"/,
    ],
    [
      "stats with a NaN counter",
      reply({}, { stats: { ...STATS, counters: { r: Number.NaN } } }),
      /counters\["r"\]/,
    ],
    [
      "recent errors without a time",
      reply({}, { recentErrors: [{ error: "x" }] }),
      /recentErrors\[0\].timestamp/,
    ],
    ["windows that are not an array", reply({ windows: {} }), /windows to be an array/],
    ["a window entry that is not a pair", reply({ windows: [["api"]] }), /\[name, value\] pair/],
    [
      "operations that are not an array",
      reply({ windows: [["api", {}]] }),
      /windows of "api" to be an array/,
    ],
    [
      "samples of another type",
      reply({ windows: [["api", [["get", [1, 2]]]]] }),
      /Float64Array or a base64 string/,
    ],
    [
      "samples out of order",
      reply({ windows: [["api", [["get", Float64Array.from([2, 1])]]]] }),
      /ascending finite durations/,
    ],
    [
      "a negative sample",
      reply({ windows: [["api", [["get", Float64Array.from([-1])]]]] }),
      /ascending finite durations/,
    ],
    [
      "an infinite sample",
      reply({ windows: [["api", [["get", Float64Array.from([1, Number.POSITIVE_INFINITY])]]]] }),
      /finite/,
    ],
    [
      "a NaN sample",
      reply({ windows: [["api", [["get", Float64Array.from([Number.NaN])]]]] }),
      /finite/,
    ],
    [
      "base64 of a partial sample",
      reply({ windows: [["api", [["get", Buffer.from([1, 2, 3]).toString("base64")]]]] }),
      /whole 8-byte samples/,
    ],
  ])("rejects %s, naming what is wrong", (_, message, error) => {
    expect(() => decodeReply(message)).toThrow(error);
  });

  it("copies what it keeps of the message: records, unknown fields and the snapshot's own", () => {
    const record = { timestamp: 1, error: "x", details: { n: 1 } };
    const message = reply({}, { recentErrors: [record], team: { name: "orders" } });
    const sent = (message.snapshot as RegistrySnapshot).components[0] as ComponentReport & {
      team?: object;
    };
    const report = decodeReply(message).snapshot.components[0] as typeof sent;
    expect(report.recentErrors).toEqual([record]);
    expect(report.recentErrors?.[0]).not.toBe(record);
    expect(report.recentErrors?.[0]?.details).not.toBe(record.details);
    expect(report.team).toEqual({ name: "orders" });
    expect(report.team).not.toBe(sent.team);
    expect(report.reasons).not.toBe(sent.reasons);

    const totals = { components: 0 };
    const bare = decodeReply(reply({ snapshot: { timestamp: 0, components: [], totals } }));
    expect(bare.snapshot.totals).toEqual(totals);
    expect(bare.snapshot.totals).not.toBe(totals);
  });

  it.each([
    [
      "a record",
      reply({}, { recentErrors: [{ timestamp: 1, details: { callback: () => {} } }] }),
      "snapshot.components[0].recentErrors",
    ],
    ["a field it does not know", reply({}, { team: () => {} }), "snapshot.components[0]"],
    [
      "the snapshot's own fields",
      reply({ snapshot: { timestamp: 0, components: [], health: { check: () => {} } } }),
      "snapshot",
    ],
  ])("rejects %s that cannot be copied, naming where it is", (_, message, path) => {
    expect(() => decodeReply(message)).toThrow(TypeError);
    expect(() => decodeReply(message)).toThrow(
      `Expected ${path} to hold only data that can be copied, got: `,
    );
  });

  it("rejects two components of one name", () => {
    const twice = reply();
    const components = (twice.snapshot as { components: unknown[] }).components;
    components.push(components[0]);
    expect(() => decodeReply(twice)).toThrow(/unique, got "api" twice/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BUILT_IN_FAMILIES } from "../../src/export/families.js";
import {
  checkPrefix,
  joinName,
  KIND_SUFFIX,
  MAX_FRAGMENT_LENGTH,
  metricNameFragment,
  metricStem,
  nameHash,
  type UserMetricKind,
} from "../../src/export/metric-name.js";

const KINDS: readonly UserMetricKind[] = ["counter", "upDownCounter", "gauge"];

/** Every sample name a built-in family writes, after the prefix. */
const BUILT_IN_SAMPLE_NAMES = Object.values(BUILT_IN_FAMILIES).flatMap((family) =>
  family.type === "histogram"
    ? [`${family.suffix}_bucket`, `${family.suffix}_sum`, `${family.suffix}_count`]
    : family.type === "summary"
      ? [family.suffix, `${family.suffix}_sum`, `${family.suffix}_count`]
      : [family.suffix],
);

/** The exported name of a library metric without prefix: stem and the kind's suffix. */
const exported = (kind: UserMetricKind, name: string) => metricStem(kind, name) + KIND_SUFFIX[kind];

/** Names that sanitise to few fragments, so that lossy collisions are frequent. */
const collidingName = fc.oneof(
  fc.stringMatching(/^[a-cA-C_.\- ]{1,6}$/),
  fc.constantFrom("x_total", "x", "x_net", "errors", "status", "health_score", "a_b_0123abcd"),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.string({ maxLength: 200 }),
);

describe("metricNameFragment", () => {
  it("maps any Unicode to [a-z0-9_] by the documented steps", () => {
    expect(metricNameFragment("Größe")).toBe("gro_e");
    expect(metricNameFragment("ﬁle")).toBe("file");
    expect(metricNameFragment("ordersPlaced")).toBe("orders_placed");
    expect(metricNameFragment("a::b")).toBe("a_b");
    expect(metricNameFragment("__x__")).toBe("x");
    expect(metricNameFragment("✓")).toBe("metric");
  });
});

describe("nameHash", () => {
  it("is FNV-1a over UTF-16 code units: the same in every process and version", () => {
    expect(nameHash("")).toBe("811c9dc5");
    expect(nameHash("a")).toBe("e40c292c");
    expect(nameHash("foobar")).toBe("bf9cf968");
    // Lone surrogates are code units like any other: distinct names, distinct hashes.
    expect(nameHash("lone\uD800")).not.toBe(nameHash("lone\uDC00"));
  });
});

describe("metricStem", () => {
  it("keeps a name that is already a plain metric name", () => {
    expect(metricStem("counter", "orders_placed")).toBe("orders_placed");
    expect(metricStem("gauge", "queue_depth")).toBe("queue_depth");
    expect(metricStem("counter", "requests_total")).toBe("requests_total");
    expect(metricStem("upDownCounter", "x_total")).toBe("x_total");
  });

  it("adds the hash of the original to a name that sanitising changed", () => {
    expect(metricStem("counter", "orders.placed")).toBe(
      `orders_placed_${nameHash("orders.placed")}`,
    );
    expect(metricStem("counter", "orders-placed")).toBe(
      `orders_placed_${nameHash("orders-placed")}`,
    );
    expect(metricStem("gauge", "✓")).toBe(`metric_${nameHash("✓")}`);
    // A plain name that looks like it already carries a hash gets one of its own.
    expect(metricStem("counter", "build_deadbeef")).toBe(
      `build_deadbeef_${nameHash("build_deadbeef")}`,
    );
  });

  it("never lets a library metric take a built-in or another kind's name", () => {
    expect(metricStem("counter", "errors")).toMatch(/^errors_[0-9a-f]{8}$/);
    expect(metricStem("gauge", "health_score")).toMatch(/^health_score_[0-9a-f]{8}$/);
    for (const reserved of ["x_total", "x_net", "x_sum", "x_count", "x_bucket"]) {
      expect(metricStem("gauge", reserved)).toMatch(/_[0-9a-f]{8}$/);
    }
  });

  it("never lets a library metric take a built-in family's OpenTelemetry name", () => {
    const otelNames = Object.values(BUILT_IN_FAMILIES).map((family) => family.otelSuffix);
    for (const name of [...otelNames, "uptime", "memory", "errors"]) {
      for (const kind of KINDS) expect(otelNames).not.toContain(exported(kind, name));
    }
    expect(metricStem("gauge", "uptime")).toBe(`uptime_${nameHash("uptime")}`);
    // Other kinds keep them plain: their suffix already sets them apart.
    expect(metricStem("upDownCounter", "uptime")).toBe("uptime");
    expect(metricStem("counter", "memory")).toBe("memory");
  });

  it("cuts long names and stays a valid OpenTelemetry name under a 64-character prefix", () => {
    const stem = metricStem("counter", "x".repeat(256));
    expect(stem).toBe(`${"x".repeat(MAX_FRAGMENT_LENGTH)}_${nameHash("x".repeat(256))}`);
    expect(`${"p".repeat(64)}${stem}_total`.length).toBeLessThanOrEqual(255);
  });

  it("gives distinct names distinct series, whatever else exists (property)", () => {
    fc.assert(
      fc.property(fc.uniqueArray(collidingName, { maxLength: 40 }), (names) => {
        for (const kind of KINDS) {
          const stems = names.map((name) => metricStem(kind, name));
          expect(new Set(stems).size).toBe(names.length);
          // Only the name and kind decide: computed alone or among others, the same.
          for (const [i, name] of names.entries()) expect(metricStem(kind, name)).toBe(stems[i]);
        }
      }),
    );
  });

  it("keeps the kinds and the built-in families apart (property)", () => {
    fc.assert(
      fc.property(collidingName, collidingName, (a, b) => {
        for (const kind of KINDS) {
          const name = exported(kind, a);
          expect(name).toMatch(/^[a-z0-9_]+$/);
          expect(BUILT_IN_SAMPLE_NAMES).not.toContain(name);
          for (const other of KINDS) {
            if (other !== kind) expect(exported(other, b)).not.toBe(name);
          }
        }
      }),
    );
  });
});

describe("checkPrefix and joinName", () => {
  it("accepts an empty or valid prefix and puts _ before a leading digit", () => {
    expect(() => checkPrefix("")).not.toThrow();
    expect(() => checkPrefix("app:")).not.toThrow();
    expect(() => checkPrefix("9x")).toThrow(RangeError);
    expect(() => checkPrefix(1)).toThrow(TypeError);
    expect(joinName("", "5xx")).toBe("_5xx");
    expect(joinName("app_", "5xx")).toBe("app_5xx");
  });
});

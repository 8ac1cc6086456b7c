import { describe, expect, it } from "vitest";
import { metricRows, metricsSummary } from "../../../src/http/dashboard/metric-rows.js";

describe("metricRows", () => {
  it("lists counters then gauges, each by name, with shortened values", () => {
    expect(metricRows({ orders: 12_345, cancels: 3 }, { queue_depth: 7.5 })).toEqual([
      { kind: "counter", name: "cancels", value: "3" },
      { kind: "counter", name: "orders", value: "12.3k" },
      { kind: "gauge", name: "queue_depth", value: "7.5" },
    ]);
    expect(metricRows({}, {})).toEqual([]);
  });
});

describe("metricsSummary", () => {
  it("counts both kinds", () => {
    expect(metricsSummary({ a: 1, b: 2, c: 3 }, { d: 4 })).toBe("Counters (3) \u00b7 gauges (1)");
  });
});

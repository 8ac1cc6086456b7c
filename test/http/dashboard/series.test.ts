import { describe, expect, it } from "vitest";
import { SERIES } from "../../../src/http/dashboard/series.js";
import { PERCENTILE_FIELDS, SUMMARY_PERCENTILES } from "../../../src/types.js";

describe("SERIES", () => {
  it("draws one line per percentile of the data contract, labelled by it", () => {
    expect(SERIES.map((s) => s.key)).toEqual([...PERCENTILE_FIELDS]);
    expect(SERIES.map((s) => s.label)).toEqual(SUMMARY_PERCENTILES.map((p) => `p${p}`));
    expect(SERIES.map((s) => s.label)).toEqual(["p50", "p90", "p95", "p99"]);
  });

  it("gives every line its own colour", () => {
    expect(new Set(SERIES.map((s) => s.color)).size).toBe(SERIES.length);
    for (const series of SERIES) expect(series.width).toBeGreaterThan(0);
  });
});

import { describe, expect, it } from "vitest";
import { estimateMemoryMb } from "../../src/compute/memory.js";

const empty = { counters: 0, gauges: 0, errors: 0, operations: 0, timingBytes: 0 };

describe("estimateMemoryMb", () => {
  it("reports the fixed overhead of an empty tracker", () => {
    expect(estimateMemoryMb(empty)).toBe(0.0078); // 8 KiB
  });

  it("counts buffers exactly and entries at their measured sizes", () => {
    expect(estimateMemoryMb({ ...empty, timingBytes: 2 ** 20 })).toBe(1.0078);
    expect(estimateMemoryMb({ ...empty, counters: 1000, gauges: 1000 })).toBe(
      Math.round(((8192 + 2000 * 120) / 2 ** 20) * 10_000) / 10_000,
    );
    expect(estimateMemoryMb({ ...empty, errors: 100 })).toBe(
      Math.round(((8192 + 100 * 1024) / 2 ** 20) * 10_000) / 10_000,
    );
    expect(estimateMemoryMb({ ...empty, operations: 10 })).toBe(
      Math.round(((8192 + 4000) / 2 ** 20) * 10_000) / 10_000,
    );
  });

  it("rounds to 4 decimals and grows with every kind of data", () => {
    const base = estimateMemoryMb(empty);
    for (const key of Object.keys(empty) as (keyof typeof empty)[]) {
      const more = estimateMemoryMb({ ...empty, [key]: 100_000 });
      expect(more).toBeGreaterThan(base);
      expect(Math.round(more * 10_000) / 10_000).toBe(more);
    }
  });
});

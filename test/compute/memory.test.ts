import { describe, expect, it } from "vitest";
import { estimateMemoryMb } from "../../src/compute/memory.js";

const empty = { counters: 0, gauges: 0, errors: 0, operations: 0, timingBytes: 0 };

// Reference values computed by hand from the documented sizes: 8 KiB of fixed
// overhead, 120 B per counter or gauge, 1 KiB per error record, 400 B per operation,
// timing buffers counted exactly, and MB = 2^20 bytes, rounded to 4 decimals.
describe("estimateMemoryMb", () => {
  it("reports the fixed overhead of an empty tracker: 8192 B = 0.0078 MB", () => {
    expect(estimateMemoryMb(empty)).toBe(0.0078);
  });

  it.each([
    ["1000 counters: 8192 + 120000 = 128192 B", { counters: 1000 }, 0.1223],
    ["1000 gauges, the same size as counters", { gauges: 1000 }, 0.1223],
    ["1000 counters and 1000 gauges: 248192 B", { counters: 1000, gauges: 1000 }, 0.2367],
    ["100 error records: 8192 + 102400 = 110592 B", { errors: 100 }, 0.1055],
    ["1000 error records: 1032192 B", { errors: 1000 }, 0.9844],
    ["10 operations: 8192 + 4000 = 12192 B", { operations: 10 }, 0.0116],
    ["1000 operations: 408192 B", { operations: 1000 }, 0.3893],
    ["1 MiB of timing buffers, counted exactly: 1056768 B", { timingBytes: 2 ** 20 }, 1.0078],
  ])("%s", (_, sizes, expectedMb) => {
    expect(estimateMemoryMb({ ...empty, ...sizes })).toBe(expectedMb);
  });

  it("adds every kind up: 10 counters, 5 gauges, 3 errors, 2 operations and 20 KiB of buffers = 34344 B", () => {
    expect(
      estimateMemoryMb({ counters: 10, gauges: 5, errors: 3, operations: 2, timingBytes: 20_480 }),
    ).toBe(0.0328);
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

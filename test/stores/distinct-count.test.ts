import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DistinctCounter, EXACT_LIMIT, hashString } from "../../src/stores/distinct-count.js";

function addRange(counter: DistinctCounter, from: number, to: number, prefix = "name-"): void {
  for (let i = from; i < to; i++) counter.add(`${prefix}${i}`);
}

describe("DistinctCounter", () => {
  it("counts exactly while at most 1024 distinct values were added (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 4 }), { maxLength: 300 }), (values) => {
        const counter = new DistinctCounter();
        for (const value of values) counter.add(value);
        expect(counter.count()).toBe(new Set(values).size);
        expect(counter.exact).toBe(true);
      }),
    );
  });

  it("stays exact at exactly 1024 distinct values, repeats included", () => {
    const counter = new DistinctCounter();
    expect(EXACT_LIMIT).toBe(1024);
    addRange(counter, 0, 1024);
    addRange(counter, 0, 1024);
    expect(counter.exact).toBe(true);
    expect(counter.count()).toBe(1024);
  });

  it("switches to an estimate past 1024 and never reports 1024 or fewer", () => {
    const counter = new DistinctCounter();
    addRange(counter, 0, 1025);
    expect(counter.exact).toBe(false);
    expect(counter.count()).toBeGreaterThanOrEqual(1025);
    expect(Math.abs(counter.count() - 1025) / 1025).toBeLessThan(0.03);
  });

  it.each([2_000, 5_000, 20_000, 100_000, 400_000])(
    "estimates %i distinct values within 5%%",
    (n) => {
      const counter = new DistinctCounter();
      addRange(counter, 0, n, `op-${n}-`);
      // Repeats must not change the estimate.
      addRange(counter, 0, Math.min(n, 1000), `op-${n}-`);
      const estimate = counter.count();
      expect(Math.abs(estimate - n) / n).toBeLessThan(0.05);
    },
  );

  it("returns to exact counting after clear", () => {
    const counter = new DistinctCounter();
    addRange(counter, 0, 3000);
    counter.clear();
    expect(counter.exact).toBe(true);
    expect(counter.count()).toBe(0);
    counter.add("a");
    counter.add("a");
    expect(counter.count()).toBe(1);
  });
});

describe("hashString", () => {
  it("is a deterministic unsigned 32-bit hash", () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const hash = hashString(value);
        expect(hash).toBe(hashString(value));
        expect(Number.isInteger(hash)).toBe(true);
        expect(hash).toBeGreaterThanOrEqual(0);
        expect(hash).toBeLessThan(2 ** 32);
      }),
    );
  });

  it("spreads similar strings over the top bits that pick a register", () => {
    const buckets = new Set<number>();
    for (let i = 0; i < 4096; i++) buckets.add(hashString(`k${i}`) >>> 20);
    // 4096 balls in 4096 bins fill about 63% of them when the hash is uniform.
    expect(buckets.size).toBeGreaterThan(2400);
    expect(buckets.size).toBeLessThan(2800);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CounterStore } from "../../src/stores/counters.js";
import { OVERFLOW_NAME } from "../../src/stores/name-limit.js";

const names = fc.constantFrom("a", "b", "c", "requests", "__proto__", "constructor");
const values = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }),
);

describe("CounterStore", () => {
  it("matches a plain per-name sum (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(names, values), { maxLength: 200 }), (ops) => {
        const store = new CounterStore(100);
        const oracle = new Map<string, number>();
        for (const [name, value] of ops) {
          store.add(name, value);
          oracle.set(name, (oracle.get(name) ?? 0) + value);
        }
        // Compared as numbers: whether a sum of -0 alone reads -0 or 0 is not the point here.
        for (const name of ["a", "b", "c", "requests", "__proto__", "constructor", "absent"]) {
          expect(store.get(name) + 0).toBe((oracle.get(name) ?? 0) + 0);
        }
        expect(store.size).toBe(oracle.size);
        let total = 0;
        for (const value of oracle.values()) total += value;
        expect(store.sum() + 0).toBe(total + 0);
        const object = store.toObject();
        expect(Object.keys(object).sort()).toEqual([...oracle.keys()].sort());
        for (const [name, value] of oracle) {
          expect(Object.hasOwn(object, name)).toBe(true);
          expect((object[name] as number) + 0).toBe(value + 0);
        }
      }),
    );
  });

  it("sums the named counters only, absent names counting 0", () => {
    const store = new CounterStore(10);
    store.add("requests", 10);
    store.add("bytes", 5000);
    store.add("retries", 2);
    expect(store.sum(["requests", "retries", "absent"])).toBe(12);
    expect(store.sum([])).toBe(0);
    expect(store.sum()).toBe(5012);
  });

  it("adds 1-by-1 exactly, as integers stay exact in doubles", () => {
    const store = new CounterStore(1);
    for (let i = 0; i < 10_000; i++) store.add("n", 1);
    expect(store.get("n")).toBe(10_000);
  });

  it("rejects a sum that would not be finite and keeps the old value", () => {
    const store = new CounterStore(10);
    store.add("big", Number.MAX_VALUE);
    expect(() => store.add("big", Number.MAX_VALUE)).toThrow(RangeError);
    expect(() => store.add("big", Number.MAX_VALUE)).toThrow(/"big".*Infinity/);
    expect(store.get("big")).toBe(Number.MAX_VALUE);
  });

  it("names `value` in the overflow message, before the value that arrived", () => {
    const store = new CounterStore(10);
    store.add("big", -Number.MAX_VALUE);
    expect(() => store.add("big", -1e308)).toThrow(
      'Expected `value` to keep the counter finite, got -1e+308 (number): counter "big" would be -Infinity',
    );
  });

  it("keeps the sum of counters finite: past Number.MAX_VALUE it is summed rescaled and saturates", () => {
    const store = new CounterStore(10);
    store.add("a", Number.MAX_VALUE);
    store.add("b", Number.MAX_VALUE);
    expect(store.sum()).toBe(Number.MAX_VALUE);
    store.add("c", -Number.MAX_VALUE);
    store.add("d", -Number.MAX_VALUE);
    // A left-to-right sum is Infinity after b and stays there (or NaN): the exact sum is 0.
    expect(store.sum()).toBe(0);
    store.add("e", 5);
    expect(store.sum()).toBe(5);
    expect(store.sum(["a", "b", "e"])).toBe(Number.MAX_VALUE);
    expect(store.sum(["c", "d"])).toBe(-Number.MAX_VALUE);
    expect(store.sum(["a", "c", "e"])).toBe(5);
  });

  it("sums any finite counters to a finite number within rounding of the exact sum (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.double({ noNaN: true, noDefaultInfinity: true }),
            fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e308, -1e308, 5e-324, -0),
          ),
          { maxLength: 12 },
        ),
        (values) => {
          const store = new CounterStore(100);
          for (const [i, value] of values.entries()) store.add(`c${i}`, value);
          const sum = store.sum();
          expect(Number.isFinite(sum)).toBe(true);
          const plain = values.reduce((total, value) => total + value, 0);
          if (Number.isFinite(plain)) expect(sum).toBe(plain + 0);
          // The exact sum, scaled far down where nothing overflows (bigger error, same sign).
          const exact = values.reduce((total, value) => total + value / 2 ** 100, 0) * 2 ** 100;
          if (Math.abs(exact) > Number.MAX_VALUE) expect(Math.sign(sum)).toBe(Math.sign(exact));
          else if (Math.abs(exact) > 1e300) expect(sum / exact).toBeCloseTo(1, 6);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("folds new names into the overflow entry once full, keeping totals right", () => {
    const store = new CounterStore(2);
    store.add("a", 1);
    store.add("b", 2);
    store.add("c", 3);
    store.add("d", 4);
    store.add("c", 5);
    store.add("a", 10);
    expect(store.get("a")).toBe(11);
    expect(store.get("c")).toBe(0);
    expect(store.get(OVERFLOW_NAME)).toBe(12);
    expect(store.foldedNames).toBe(2);
    expect(store.size).toBe(3);
    expect(store.sum()).toBe(25);
  });

  it("returns a copy from toObject", () => {
    const store = new CounterStore(10);
    store.add("a", 1);
    const object = store.toObject();
    object.a = 99;
    object.b = 1;
    expect(store.get("a")).toBe(1);
    expect(store.toObject()).toEqual({ a: 1 });
  });

  it("clears values and folded names", () => {
    const store = new CounterStore(1);
    store.add("a", 1);
    store.add("b", 1);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.foldedNames).toBe(0);
    expect(store.sum()).toBe(0);
    store.add("b", 1);
    expect(store.get("b")).toBe(1);
  });
});

describe("CounterStore up-down counters", () => {
  it("remembers the counters that ever received a negative increment, until clear", () => {
    const store = new CounterStore(2);
    store.add("up", 5);
    store.add("down", 5);
    store.add("down", -2);
    store.add("down", 3); // back up: still a counter that can go down
    store.add("late", -1); // past the cap: the overflow entry goes down
    expect(store.upDownNames()).toEqual(["down", OVERFLOW_NAME]);
    expect(() => store.add("up", -Number.MAX_VALUE * 2)).toThrow(RangeError);
    expect(store.upDownNames()).toEqual(["down", OVERFLOW_NAME]); // a rejected add changes nothing
    store.clear();
    expect(store.upDownNames()).toEqual([]);
    store.add("down", 1);
    expect(store.upDownNames()).toEqual([]);
  });
});

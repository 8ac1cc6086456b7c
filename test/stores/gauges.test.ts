import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GaugeStore } from "../../src/stores/gauges.js";
import { OVERFLOW_NAME } from "../../src/stores/name-limit.js";

describe("GaugeStore", () => {
  it("keeps the last value written per name (property)", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom("cpu", "queue", "__proto__"),
            fc.double({ noNaN: true, noDefaultInfinity: true }),
          ),
          { maxLength: 100 },
        ),
        (ops) => {
          const store = new GaugeStore(10);
          const oracle = new Map<string, number>();
          for (const [name, value] of ops) {
            store.set(name, value);
            oracle.set(name, value);
          }
          for (const name of ["cpu", "queue", "__proto__"]) {
            expect(store.get(name)).toBe(oracle.get(name));
          }
          expect(store.size).toBe(oracle.size);
          expect(new Map(Object.entries(store.toObject()))).toEqual(oracle);
        },
      ),
    );
  });

  it("returns undefined for an absent gauge", () => {
    const store = new GaugeStore(10);
    expect(store.get("absent")).toBeUndefined();
    store.set("zero", 0);
    expect(store.get("zero")).toBe(0);
  });

  it("folds new names into the overflow entry once full; known names still update", () => {
    const store = new GaugeStore(1);
    store.set("a", 1);
    store.set("b", 2);
    store.set("c", 3);
    store.set("a", 4);
    expect(store.get("a")).toBe(4);
    expect(store.get("b")).toBeUndefined();
    expect(store.get(OVERFLOW_NAME)).toBe(3);
    expect(store.foldedNames).toBe(2);
    expect(store.size).toBe(2);
  });

  it("returns a copy from toObject and clears everything", () => {
    const store = new GaugeStore(1);
    store.set("a", 1);
    store.set("b", 1);
    const object = store.toObject();
    object.a = 5;
    expect(store.get("a")).toBe(1);
    store.clear();
    expect(store.size).toBe(0);
    expect(store.foldedNames).toBe(0);
    expect(store.toObject()).toEqual({});
  });
});

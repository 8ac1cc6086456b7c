import { describe, expect, it } from "vitest";
import {
  add,
  first,
  keysOf,
  latest,
  lifetime,
  live,
  type MergeTable,
  max,
  mergeFields,
  min,
  sum,
  sumEach,
  sumRecords,
} from "../../src/cluster/merge-fields.js";

interface Shape {
  name: string;
  total: number;
  level: number;
  counts: Record<string, number>;
  extra?: number;
}

const TABLE: MergeTable<Shape, { seen: string[] }> = {
  name: live(first),
  total: lifetime(sum),
  level: live(max),
  counts: lifetime(sumRecords),
  extra: live((values, context) => {
    context.seen.push(...context.owners);
    return sum(values);
  }),
};

describe("mergeFields", () => {
  it("merges lifetime rows over fresh and carried values, live rows over fresh ones only", () => {
    const merged = mergeFields(
      TABLE,
      [
        { owner: "a", value: { name: "x", total: 1, level: 5, counts: { r: 1 } } },
        { owner: "b", value: { name: "x", total: 2, level: 7, counts: { r: 2, s: 1 } } },
      ],
      [{ owner: "gone", value: { name: "x", total: 10, level: 99, counts: { r: 10, old: 4 } } }],
      { seen: [] },
    );
    // The carried worker adds to `total` and `counts.r`, not to `level`, and adds no key.
    expect(merged).toEqual({ name: "x", total: 13, level: 7, counts: { r: 13, s: 1 } });
  });

  it("leaves out an optional field no fresh value has, even when a carried one has it", () => {
    const seen: string[] = [];
    const merged = mergeFields(
      TABLE,
      [{ owner: "a", value: { name: "x", total: 1, level: 1, counts: {} } }],
      [{ owner: "gone", value: { name: "x", total: 1, level: 1, counts: {}, extra: 3 } }],
      { seen },
    );
    expect("extra" in merged).toBe(false);
    const withExtra = mergeFields(
      TABLE,
      [
        { owner: "a", value: { name: "x", total: 1, level: 1, counts: {} } },
        { owner: "b", value: { name: "x", total: 1, level: 1, counts: {}, extra: 2 } },
      ],
      [],
      { seen },
    );
    expect(withExtra.extra).toBe(2);
    // Owners stay aligned with the values that are present.
    expect(seen).toEqual(["b"]);
  });

  it("keeps a key named __proto__ as data", () => {
    const counts = JSON.parse('{"__proto__": 2}') as Record<string, number>;
    const merged = sumRecords([counts, counts], { owners: ["a", "b"], fresh: 2 });
    expect(Object.keys(merged)).toEqual(["__proto__"]);
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")?.value).toBe(4);
  });
});

describe("generic rules", () => {
  it("add and sum stay within ±Number.MAX_VALUE", () => {
    expect(add(Number.MAX_VALUE, Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(add(-Number.MAX_VALUE, -Number.MAX_VALUE)).toBe(-Number.MAX_VALUE);
    expect(sum([Number.MAX_VALUE, 1e308])).toBe(Number.MAX_VALUE);
    expect(sum([1, 2, 3.5])).toBe(6.5);
  });

  it("min, max, latest and keysOf", () => {
    expect(min([3, -1, 2])).toBe(-1);
    expect(max([3, -1, 2])).toBe(3);
    expect(latest([null, 5, 9, null, 7])).toBe(9);
    expect(latest([null, null])).toBeNull();
    expect(
      keysOf([
        { b: 1, a: 1 },
        { c: 1, a: 2 },
      ]),
    ).toEqual(["b", "a", "c"]);
  });

  it("sumEach adds arrays element-wise and leaves out one that cannot be aligned", () => {
    expect(
      sumEach([
        [1, 2, 3],
        [10, 20, 30],
        [5, 5],
      ]),
    ).toEqual([11, 22, 33]);
    expect(sumEach([[Number.MAX_VALUE], [Number.MAX_VALUE]])).toEqual([Number.MAX_VALUE]);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  cardMatches,
  listOperations,
  matchingOperations,
  normalizeFilter,
  operationOrder,
  orderComponents,
  sortOperations,
  VISIBLE_OPERATIONS,
} from "../../../src/http/dashboard/order.js";
import type { Verdict } from "../../../src/types.js";

const op = (name: string, count: number, p99Ms: number) => ({ name, latest: { count, p99Ms } });
const OPERATIONS = [
  op("risk_check", 205, 0.57),
  op("place_order", 203, 27.8),
  op("fill_latency", 168, 864),
  op("cancel_order", 31, 21.3),
  op("modify_order", 31, 22.4),
];
const names = (list: { name: string }[]) => list.map((o) => o.name);

describe("sortOperations", () => {
  it("sorts busiest first, ties by name", () => {
    expect(names(sortOperations(OPERATIONS, "busiest"))).toEqual([
      "risk_check",
      "place_order",
      "fill_latency",
      "cancel_order",
      "modify_order",
    ]);
  });

  it("sorts slowest p99 first", () => {
    expect(names(sortOperations(OPERATIONS, "slowest"))).toEqual([
      "fill_latency",
      "place_order",
      "modify_order",
      "cancel_order",
      "risk_check",
    ]);
  });

  it("sorts by name, by UTF-16 code units, and leaves its input alone", () => {
    const input = [op("b", 1, 1), op("B", 1, 1), op("a", 1, 1)];
    expect(names(sortOperations(input, "name"))).toEqual(["B", "a", "b"]);
    expect(names(input)).toEqual(["b", "B", "a"]);
  });

  it("keeps equal names in their order", () => {
    const input = [op("same", 1, 1), op("same", 2, 2)];
    expect(sortOperations(input, "name").map((o) => o.latest.count)).toEqual([1, 2]);
  });

  it("counts missing numbers as 0", () => {
    const list = [{ name: "x", latest: {} }, op("y", 3, 1)];
    expect(names(sortOperations(list, "busiest"))).toEqual(["y", "x"]);
  });

  it("agrees with a sort by (-count, name) (oracle)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(fc.string(), fc.integer({ min: 0, max: 5 })), {
          selector: ([name]) => name,
        }),
        (entries) => {
          const list = entries.map(([name, count]) => op(name, count, 0));
          const expected = entries
            .slice()
            .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
            .map(([name]) => name);
          expect(names(sortOperations(list, "busiest"))).toEqual(expected);
        },
      ),
    );
  });

  it("reads an unknown control value as by name", () => {
    expect(operationOrder("busiest")).toBe("busiest");
    expect(operationOrder("slowest")).toBe("slowest");
    expect(operationOrder("name")).toBe("name");
    expect(operationOrder("fastest")).toBe("name");
  });
});

describe("orderComponents", () => {
  const component = (name: string, healthScore: number, verdict?: Verdict) =>
    verdict === undefined ? { name, healthScore } : { name, healthScore, verdict };

  it("keeps the registration order unless asked for the worst first", () => {
    const list = [component("a", 90), component("b", 10)];
    expect(orderComponents(list, "registered")).toEqual(list);
    expect(orderComponents(list, "registered")).not.toBe(list);
    expect(names(orderComponents(list, "worst"))).toEqual(["b", "a"]);
  });

  it("puts unhealthy before degraded before healthy, then the lowest score first", () => {
    const list = [
      component("healthy-low", 40, "healthy"),
      component("degraded", 95, "degraded"),
      component("unhealthy-high", 80, "unhealthy"),
      component("unhealthy-low", 20, "unhealthy"),
      component("no-verdict", 30),
    ];
    expect(names(orderComponents(list, "worst"))).toEqual([
      "unhealthy-low",
      "unhealthy-high",
      "degraded",
      "no-verdict",
      "healthy-low",
    ]);
  });

  it("keeps equal components in registration order", () => {
    const list = [component("x", 50), component("y", 50), component("z", 50)];
    expect(names(orderComponents(list, "worst"))).toEqual(["x", "y", "z"]);
  });
});

describe("the filter", () => {
  it("matches trimmed, case-insensitive substrings of the component or an operation", () => {
    const needle = normalizeFilter("  Service_07 ");
    expect(needle).toBe("service_07");
    expect(cardMatches("service_07_gateway", [], needle)).toBe(true);
    expect(cardMatches("service_08_gateway", ["op"], needle)).toBe(false);
    expect(cardMatches("gateway", ["x", "call_SERVICE_07"], needle)).toBe(true);
    expect(cardMatches("anything", [], "")).toBe(true);
  });

  it("lists every operation when the component matches, else the matching ones", () => {
    const sorted = sortOperations(OPERATIONS, "name");
    expect(names(matchingOperations("order_manager", sorted, "manager"))).toEqual(names(sorted));
    expect(names(matchingOperations("order_manager", sorted, "_order"))).toEqual([
      "cancel_order",
      "modify_order",
      "place_order",
    ]);
    expect(matchingOperations("order_manager", sorted, "nothing")).toEqual([]);
  });
});

describe("listOperations", () => {
  const many = Array.from({ length: 50 }, (_, i) => `op_${i}`);

  it("shows the top five and offers the rest", () => {
    const listing = listOperations(many, false);
    expect(listing.visible).toEqual(many.slice(0, VISIBLE_OPERATIONS));
    expect(listing.showButton).toBe(true);
    expect(listing.buttonLabel).toBe("Show all 50 operations (45 more)");
  });

  it("shows all once expanded, and offers to go back", () => {
    const listing = listOperations(many, true);
    expect(listing.visible).toEqual(many);
    expect(listing.buttonLabel).toBe("Show the top 5");
  });

  it("offers no button for five or fewer", () => {
    expect(listOperations(many.slice(0, 5), false)).toMatchObject({ showButton: false });
    expect(listOperations(many.slice(0, 6), false)).toMatchObject({
      showButton: true,
      buttonLabel: "Show all 6 operations (1 more)",
    });
  });
});

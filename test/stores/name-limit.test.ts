import { describe, expect, it } from "vitest";
import { NameLimit, OVERFLOW_NAME } from "../../src/stores/name-limit.js";

describe("NameLimit", () => {
  it("admits names while the store holds fewer than maxNames", () => {
    const limit = new NameLimit(3);
    expect(limit.admit("a", 0)).toBe("a");
    expect(limit.admit("c", 2)).toBe("c");
    expect(limit.foldedNames).toBe(0);
  });

  it("folds names into the overflow entry once full and counts distinct folded names", () => {
    const limit = new NameLimit(2);
    expect(OVERFLOW_NAME).toBe("__overflow__");
    expect(limit.admit("x", 2)).toBe(OVERFLOW_NAME);
    expect(limit.admit("y", 3)).toBe(OVERFLOW_NAME);
    expect(limit.admit("x", 3)).toBe(OVERFLOW_NAME);
    expect(limit.foldedNames).toBe(2);
  });

  it("forgets folded names on clear", () => {
    const limit = new NameLimit(1);
    limit.admit("x", 1);
    limit.clear();
    expect(limit.foldedNames).toBe(0);
    expect(limit.admit("x", 0)).toBe("x");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { copyString } from "../../src/shared/copy-string.js";
import { bigString, MB, retainedBytes } from "../hardening/heap.js";

describe("copyString", () => {
  it("returns an equal string for any text, short, long, astral or with lone surrogates", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 40 }),
          fc.string({ unit: "grapheme", maxLength: 40 }),
          fc.constantFrom("", "a", "x".repeat(12), "x".repeat(13), "\uD800", "\u{1F600}"),
        ),
        (text) => {
          expect(copyString(text)).toBe(text);
          expect(copyString(text)).toHaveLength(text.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps no reference to the string a slice came from: 100 slices of 1 MB strings retain kilobytes", async () => {
    const grown = await retainedBytes(() => {
      const kept: string[] = [];
      for (let i = 0; i < 100; i++) kept.push(copyString(bigString(MB, i).slice(0, 40)));
      return kept;
    });
    expect(grown).toBeLessThan(MB / 4);
  });

  it("the same slices kept without copying retain the megabytes (what the copy prevents)", async () => {
    const grown = await retainedBytes(() => {
      const kept: string[] = [];
      for (let i = 0; i < 20; i++) kept.push(bigString(MB, i).slice(0, 40));
      return kept;
    });
    expect(grown).toBeGreaterThan(10 * MB);
  });
});

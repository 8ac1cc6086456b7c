import { describe, expect, it } from "vitest";
import { mbToBytes } from "../../src/export/families.js";

describe("mbToBytes", () => {
  it("gives whole bytes of 2^20 per MB", () => {
    expect(mbToBytes(0.5)).toBe(524_288);
    expect(mbToBytes(0.0001)).toBe(105);
    expect(mbToBytes(0)).toBe(0);
  });

  it("stays finite for any finite figure", () => {
    // 1e305 MB is about 1e311 bytes: past Number.MAX_VALUE.
    expect(mbToBytes(1e305)).toBe(Number.MAX_VALUE);
    expect(mbToBytes(Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
  });
});

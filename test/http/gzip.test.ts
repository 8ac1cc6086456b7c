import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptsGzip, canGzip, GZIP_MIN_BYTES, gzip } from "../../src/http/gzip.js";

describe("acceptsGzip", () => {
  it.each([
    ["gzip", true],
    ["gzip, deflate, br", true],
    ["GZIP", true],
    ["x-gzip", true],
    ["br;q=1.0, gzip;q=0.8, *;q=0.1", true],
    ["*", true],
    ["identity, *;q=0.5", true],
    ["gzip;q=0", false],
    ["gzip; q=0.000", false],
    ["gzip;q=0, *", false],
    ["*;q=0", false],
    ["br, deflate", false],
    ["identity", false],
    ["gzipped", false],
    ["gzip;q=abc", false],
    ["gzip;q=", false],
    ["", false],
  ])("%j → %s", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
  });

  it("accepts nothing without a header", () => {
    expect(acceptsGzip(null)).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});

describe("gzip", () => {
  it("compresses with the Compression Streams API into a member zlib reads back", async () => {
    expect(canGzip()).toBe(true);
    const text = "component_stats_up 1\n".repeat(5000);
    const compressed = await gzip(new TextEncoder().encode(text));
    expect(compressed[0]).toBe(0x1f);
    expect(compressed[1]).toBe(0x8b);
    expect(compressed.byteLength).toBeLessThan(text.length / 10);
    expect(gunzipSync(compressed).toString("utf8")).toBe(text);
  });

  it("sets the threshold at 1 KiB", () => {
    expect(GZIP_MIN_BYTES).toBe(1024);
  });
});

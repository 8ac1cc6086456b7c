import { describe, expect, it } from "vitest";
import {
  MAX_RETRY_DELAY_MS,
  nextPollDelayMs,
  pageSettings,
  requestTimeoutMs,
  statsUrl,
} from "../../../src/http/dashboard/polling.js";

describe("statsUrl", () => {
  it("fetches stats beside the page, under any mount path", () => {
    expect(statsUrl("/")).toBe("/stats");
    expect(statsUrl("/admin/stats")).toBe("/admin/stats/stats");
    expect(statsUrl("/_stats/")).toBe("/_stats/stats");
  });
});

describe("pageSettings", () => {
  it("reads the body's attributes, with the handler's defaults for anything unusable", () => {
    expect(pageSettings("200", "30000")).toEqual({ pollMs: 200, historyMs: 30_000 });
    for (const bad of [null, "", "0", "-5", "soon", "Infinity"]) {
      expect(pageSettings(bad, bad)).toEqual({ pollMs: 1000, historyMs: 300_000 });
    }
  });
});

describe("nextPollDelayMs", () => {
  it("waits one interval, doubling per consecutive failure up to 30 s", () => {
    expect(nextPollDelayMs(1000, 0)).toBe(1000);
    expect(nextPollDelayMs(1000, 1)).toBe(2000);
    expect(nextPollDelayMs(1000, 3)).toBe(8000);
    expect(nextPollDelayMs(1000, 10)).toBe(MAX_RETRY_DELAY_MS);
    expect(nextPollDelayMs(200, 2)).toBe(800);
  });
});

describe("requestTimeoutMs", () => {
  it("aborts a poll after three intervals, and never before 5 s", () => {
    expect(requestTimeoutMs(200)).toBe(5000);
    expect(requestTimeoutMs(10_000)).toBe(30_000);
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_CONFIG } from "../../src/compute/health.js";
import { manualClock } from "../../src/shared/clock.js";
import { resolveTrackerOptions, type TrackerOptions } from "../../src/tracker/options.js";

describe("resolveTrackerOptions", () => {
  it("fills in the documented defaults", () => {
    expect(resolveTrackerOptions({})).toEqual({
      maxErrors: 100,
      cacheTtlMs: 5000,
      timingWindow: 1000,
      maxMetricNames: 10_000,
      clock: undefined,
      health: DEFAULT_HEALTH_CONFIG,
      onError: undefined,
      recentWindowMs: 60_000,
      timingBucketsMs: undefined,
    });
  });

  it("keeps what was given, explicit undefined meaning the default", () => {
    const clock = manualClock(5);
    const onError = () => {};
    const resolved = resolveTrackerOptions({
      maxErrors: 0,
      cacheTtlMs: 0,
      timingWindow: 1,
      maxMetricNames: 1,
      clock,
      onError,
      health: { unknownStatusScore: 10 },
    });
    expect(resolved).toMatchObject({
      maxErrors: 0,
      cacheTtlMs: 0,
      timingWindow: 1,
      maxMetricNames: 1,
      clock,
      onError,
    });
    expect(resolved.health.unknownStatusScore).toBe(10);
    expect(resolveTrackerOptions({ cacheTtlMs: undefined }).cacheTtlMs).toBe(5000);
  });

  it("takes every option given as undefined for its default", () => {
    // Typed with every key, so a new option must be added here (and accept undefined).
    const allUndefined: { [K in keyof Required<TrackerOptions>]: undefined } = {
      maxErrors: undefined,
      cacheTtlMs: undefined,
      timingWindow: undefined,
      timingBucketsMs: undefined,
      maxMetricNames: undefined,
      clock: undefined,
      health: undefined,
      onError: undefined,
      recentWindowMs: undefined,
    };
    expect(resolveTrackerOptions(allUndefined)).toEqual(resolveTrackerOptions({}));
  });

  it.each([
    [null, TypeError, /`options` to be an object, got null/],
    [5, TypeError, /`options` to be an object, got 5/],
    [{ maxErrors: -1 }, RangeError, /`maxErrors`/],
    [{ maxErrors: 1_000_001 }, RangeError, /`maxErrors` to be an integer from 0 to 1000000/],
    [{ cacheTtlMs: 0.5 }, RangeError, /`cacheTtlMs`/],
    [{ timingWindow: 0 }, RangeError, /`timingWindow`/],
    [{ maxMetricNames: "10" }, TypeError, /`maxMetricNames`/],
    [{ clock: Date }, TypeError, /`clock` to be an object with a now\(\) method/],
    [{ clock: { now: 5 } }, TypeError, /`clock`/],
    [{ onError: "log" }, TypeError, /`onError` to be a function, got "log"/],
    [{ onError: null }, TypeError, /`onError` to be a function, got null/],
    [{ health: { weights: { errors: 2 } } }, RangeError, /`health\.weights`/],
  ])("rejects %o naming the option", (options, type, message) => {
    expect(() => resolveTrackerOptions(options)).toThrow(type);
    expect(() => resolveTrackerOptions(options)).toThrow(message);
  });
});

import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  COARSE_RESOLUTION_MS,
  checkClockOption,
  coarseNow,
  elapsedMs,
  manualClock,
  readClock,
  systemClock,
} from "../../src/shared/clock.js";

describe("manualClock", () => {
  it("starts at 0 by default and at startMs when given", () => {
    expect(manualClock().now()).toBe(0);
    expect(manualClock(1_700_000_000_000).now()).toBe(1_700_000_000_000);
  });

  it("moves only when advanced or set, also backwards", () => {
    const clock = manualClock(100);
    expect(clock.now()).toBe(100);
    expect(clock.now()).toBe(100);
    clock.advance(250.5);
    expect(clock.now()).toBe(350.5);
    clock.advance(-50.5);
    expect(clock.now()).toBe(300);
    clock.set(7);
    expect(clock.now()).toBe(7);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    "rejects a non-finite reading (%s), naming the argument and keeping its time",
    (bad) => {
      expect(() => manualClock(bad)).toThrow(RangeError);
      expect(() => manualClock(bad)).toThrow(/`startMs`.*got (NaN|-?Infinity)/);
      const clock = manualClock(5);
      expect(() => clock.advance(bad)).toThrow(/`ms`/);
      expect(() => clock.set(bad)).toThrow(RangeError);
      expect(clock.now()).toBe(5);
    },
  );

  it("rejects a value that is not a number", () => {
    expect(() => manualClock("5" as unknown as number)).toThrow(/got 5/);
  });
});

describe("systemClock", () => {
  it("is epoch-aligned and monotonic", () => {
    const before = performance.timeOrigin + performance.now();
    const readings = Array.from({ length: 1000 }, () => systemClock.now());
    const after = performance.timeOrigin + performance.now();
    for (let i = 1; i < readings.length; i++) {
      expect(readings[i]).toBeGreaterThanOrEqual(readings[i - 1] as number);
    }
    expect(readings[0]).toBeGreaterThanOrEqual(before);
    expect(readings.at(-1)).toBeLessThanOrEqual(after);
    // Epoch-aligned: the monotonic clock tracks the wall clock (loosely: NTP may slew it).
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(60_000);
  });

  it("is frozen so nobody can swap the default clock", () => {
    expect(Object.isFrozen(systemClock)).toBe(true);
  });
});

describe("coarseNow", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.resetModules();
  });

  it("reuses one reading within a synchronous run and is never ahead of systemClock", () => {
    const first = coarseNow();
    const second = coarseNow();
    expect(second).toBe(first);
    expect(first).toBeLessThanOrEqual(systemClock.now());
    expect(systemClock.now() - first).toBeLessThan(1000);
  });

  it("expires on the timers it loaded with, so fake timers installed later cannot pin it", async () => {
    vi.resetModules();
    const clock = await import("../../src/shared/clock.js");
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    clock.coarseNow();
    // The expiry went to the real timers: uninstalling the fake ones cannot drop it.
    expect(vi.getTimerCount()).toBe(0);
    vi.useRealTimers();
    const first = clock.coarseNow();
    await new Promise((resolve) => setTimeout(resolve, 5 * COARSE_RESOLUTION_MS));
    expect(clock.coarseNow()).toBeGreaterThan(first);
  });

  it("refreshes once its resolution has passed", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "performance"] });
    vi.resetModules();
    // A fresh module instance, so no reading taken on real timers is cached.
    const clock = await import("../../src/shared/clock.js");
    const first = clock.coarseNow();
    vi.advanceTimersByTime(0.5);
    expect(clock.coarseNow()).toBe(first);
    vi.advanceTimersByTime(COARSE_RESOLUTION_MS);
    const refreshed = clock.coarseNow();
    expect(refreshed - first).toBeCloseTo(1.5, 6);
    expect(refreshed).toBe(clock.systemClock.now());
  });
});

describe("checkClockOption", () => {
  it("accepts undefined and any object with a now() method", () => {
    expect(() => checkClockOption(undefined, "clock")).not.toThrow();
    expect(() => checkClockOption(manualClock(), "clock")).not.toThrow();
    expect(() => checkClockOption({ now: () => 1 }, "clock")).not.toThrow();
  });

  it.each([
    [null, "null (null)"],
    [5, "5 (number)"],
    [{}, "an object (object)"],
    [{ now: 5 }, "an object (object)"],
  ])("throws a TypeError naming the option for %o", (value, shown) => {
    expect(() => checkClockOption(value, "options.clock")).toThrow(TypeError);
    expect(() => checkClockOption(value, "options.clock")).toThrow(
      `Expected \`options.clock\` to be an object with a now() method, got ${shown}`,
    );
  });
});

describe("readClock", () => {
  it("returns a finite reading, -0 as 0", () => {
    expect(readClock(manualClock(1234.5))).toBe(1234.5);
    expect(Object.is(readClock(manualClock(-0)), 0)).toBe(true);
    expect(readClock({ now: () => -Number.MAX_VALUE })).toBe(-Number.MAX_VALUE);
  });

  it.each([
    [Number.NaN, "NaN (number)"],
    [Number.POSITIVE_INFINITY, "Infinity (number)"],
    [Number.NEGATIVE_INFINITY, "-Infinity (number)"],
    ["12", '"12" (string)'],
    [undefined, "undefined (undefined)"],
  ])("throws a RangeError naming clock.now() for %s", (reading, shown) => {
    const clock = { now: () => reading as number };
    expect(() => readClock(clock)).toThrow(RangeError);
    expect(() => readClock(clock)).toThrow(
      `Expected \`clock.now()\` to return a finite number, got ${shown}`,
    );
  });

  it("lets what now() throws through unchanged", () => {
    const failure = new Error("unplugged");
    expect(() =>
      readClock({
        now: () => {
          throw failure;
        },
      }),
    ).toThrow(failure);
  });
});

describe("elapsedMs", () => {
  it("is the difference when it is >= 0", () => {
    expect(elapsedMs(1000, 1500.5)).toBe(500.5);
    expect(elapsedMs(-5, 5)).toBe(10);
    expect(elapsedMs(7, 7)).toBe(0);
  });

  it("is 0 when the clock stepped back, and never -0", () => {
    expect(elapsedMs(1500, 1000)).toBe(0);
    expect(Object.is(elapsedMs(0, -0), 0)).toBe(true);
  });

  it("is Number.MAX_VALUE where the difference of two finite readings overflows", () => {
    expect(elapsedMs(-Number.MAX_VALUE, Number.MAX_VALUE)).toBe(Number.MAX_VALUE);
    expect(elapsedMs(Number.MAX_VALUE, -Number.MAX_VALUE)).toBe(0);
  });

  it("is finite and >= 0 for any two finite readings (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        (startMs, endMs) => {
          const elapsed = elapsedMs(startMs, endMs);
          expect(Number.isFinite(elapsed)).toBe(true);
          expect(elapsed >= 0 && !Object.is(elapsed, -0)).toBe(true);
          if (Number.isFinite(endMs - startMs) && endMs >= startMs) {
            expect(elapsed).toBe(endMs - startMs);
          }
        },
      ),
    );
  });
});

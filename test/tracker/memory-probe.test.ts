import { afterEach, describe, expect, it, vi } from "vitest";
import { DeadlineError } from "../../src/shared/deadline.js";
import { MemoryProbe } from "../../src/tracker/memory-probe.js";

afterEach(() => {
  vi.useRealTimers();
});

/** A probe whose failures are collected and answered with `fallbackMb`. */
function probe(measure: () => unknown, timeoutMs = 1000, fallbackMb = 0.5) {
  const failures: unknown[] = [];
  const memory = new MemoryProbe(
    measure,
    async (error) => {
      failures.push(error);
      return fallbackMb;
    },
    timeoutMs,
  );
  return { memory, failures };
}

describe("MemoryProbe", () => {
  it("answers a measurement's figure, sync or async", async () => {
    expect(await probe(() => 3).memory.read()).toBe(3);
    expect(await probe(async () => 0).memory.read()).toBe(0);
  });

  it.each([
    ["NaN", Number.NaN, /finite number >= 0, got NaN/],
    ["a negative number", -0.5, /got -0.5/],
    ["Infinity", Number.POSITIVE_INFINITY, /got Infinity/],
    ["a string", "1", /got "1"/],
    ["undefined", undefined, /got undefined/],
  ])("hands %s to recover as a RangeError", async (_, figure, message) => {
    const { memory, failures } = probe(async () => figure);
    expect(await memory.read()).toBe(0.5);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(RangeError);
    expect(String(failures[0])).toMatch(message);
  });

  it("hands a throw or a rejection to recover as it is", async () => {
    const failure = new Error("probe failed");
    const sync = probe(() => {
      throw failure;
    });
    expect(await sync.memory.read()).toBe(0.5);
    const rejected = probe(() => Promise.reject("text"));
    expect(await rejected.memory.read()).toBe(0.5);
    expect([...sync.failures, ...rejected.failures]).toEqual([failure, "text"]);
  });

  it("gives up after timeoutMs with a DeadlineError and leaves no timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { memory, failures } = probe(() => new Promise(() => {}), 250);
    let answer: number | undefined;
    void memory.read().then((mb) => {
      answer = mb;
    });
    await vi.advanceTimersByTimeAsync(249);
    expect(answer).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(answer).toBe(0.5);
    expect(failures[0]).toBeInstanceOf(DeadlineError);
    expect(String((failures[0] as Error).message)).toBe(
      "getMemoryUsage() did not settle within 250 ms",
    );
    expect(vi.getTimerCount()).toBe(0);
  });

  it("shares one measurement between reads made while it runs, and measures again after", async () => {
    let calls = 0;
    let release: (mb: number) => void = () => {};
    const { memory } = probe(() => {
      calls++;
      return new Promise<number>((resolve) => {
        release = resolve;
      });
    });
    const first = memory.read();
    const second = memory.read();
    expect(second).toBe(first);
    release(7);
    expect(await Promise.all([first, second])).toEqual([7, 7]);
    const third = memory.read();
    expect(third).not.toBe(first);
    release(8);
    expect(await third).toBe(8);
    expect(calls).toBe(2);
  });
});

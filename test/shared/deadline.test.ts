import { afterEach, describe, expect, it, vi } from "vitest";
import { DeadlineError, withDeadline } from "../../src/shared/deadline.js";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const fakeTimers = () => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });

describe("withDeadline", () => {
  it("settles with what run returns or resolves to, and clears its timer at once", async () => {
    fakeTimers();
    expect(await withDeadline(() => 7, 1000, "late")).toBe(7);
    expect(await withDeadline(async () => "async", 1000, "late")).toBe("async");
    expect(vi.getTimerCount()).toBe(0);
  });

  it("passes on run's rejection and a synchronous throw as a rejection, clearing its timer", async () => {
    fakeTimers();
    await expect(
      withDeadline(() => Promise.reject(new Error("down")), 1000, "late"),
    ).rejects.toThrow("down");
    const thrown = withDeadline(
      () => {
        throw new TypeError("sync");
      },
      1000,
      "late",
    );
    await expect(thrown).rejects.toThrow(TypeError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with a DeadlineError named TimeoutError once timeoutMs has passed, not before", async () => {
    fakeTimers();
    let outcome: unknown;
    withDeadline(() => new Promise(() => {}), 50, "stuck did not answer").then(
      (value) => {
        outcome = value;
      },
      (error: unknown) => {
        outcome = error;
      },
    );
    await vi.advanceTimersByTimeAsync(49);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(outcome).toBeInstanceOf(DeadlineError);
    expect(outcome).toMatchObject({ name: "TimeoutError", message: "stuck did not answer" });
    expect(vi.getTimerCount()).toBe(0);
  });

  it("holds the process with its timer while pending, so a lone pending call still settles", async () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    let release: (value: string) => void = () => {};
    const pending = withDeadline(
      () =>
        new Promise<string>((resolve) => {
          release = resolve;
        }),
      60_000,
      "late",
    );
    const timer = spy.mock.results.at(-1)?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(true);
    release("done");
    expect(await pending).toBe("done");
  });
});

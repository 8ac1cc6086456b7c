import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CallSlot } from "../../src/registry/call-slot.js";
import { manualClock } from "../../src/shared/clock.js";

const START = 1_700_000_000_000;
const TIMEOUT_MS = 100;

/** A call whose answers the test releases one by one, counting how often it was made. */
function component() {
  const pending: { resolve: (value: string) => void; reject: (error: unknown) => void }[] = [];
  let calls = 0;
  const call = () => {
    calls++;
    return new Promise<string>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return {
    call,
    calls: () => calls,
    answer: (value: string) => pending.shift()?.resolve(value),
    fail: (error: unknown) => pending.shift()?.reject(error),
  };
}

/** Real and manual time move together: the deadline is a (fake) timer, the stamps read the clock. */
function setup() {
  const clock = manualClock(START);
  const slot = new CallSlot<string>(() => clock.now());
  const advance = async (ms: number) => {
    clock.advance(ms);
    await vi.advanceTimersByTimeAsync(ms);
  };
  return { clock, slot, advance };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe("CallSlot", () => {
  it("makes one call per ask while each answers, and clears its timer", async () => {
    const { slot } = setup();
    let n = 0;
    for (let i = 0; i < 3; i++) {
      expect(await slot.ask(() => `answer ${n++}`, TIMEOUT_MS)).toEqual({
        answered: true,
        value: `answer ${i}`,
        shared: false,
      });
    }
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects with what the call rejected or threw, and asks again next time", async () => {
    const { slot } = setup();
    await expect(slot.ask(() => Promise.reject(new Error("down")), TIMEOUT_MS)).rejects.toThrow(
      "down",
    );
    await expect(
      slot.ask(() => {
        throw new TypeError("sync");
      }, TIMEOUT_MS),
    ).rejects.toThrow(TypeError);
    expect(await slot.ask(() => "up", TIMEOUT_MS)).toMatchObject({ value: "up" });
  });

  it("times out a call, then refuses at once until it settles, then asks normally", async () => {
    const { slot, advance } = setup();
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS);
    await advance(TIMEOUT_MS);
    expect(await first).toEqual({ answered: false, pendingSinceMs: START, asked: true });

    await advance(60_000);
    for (let i = 0; i < 100; i++) {
      expect(await slot.ask(c.call, TIMEOUT_MS)).toEqual({
        answered: false,
        pendingSinceMs: START,
        asked: false,
      });
    }
    expect(c.calls()).toBe(1);
    expect(vi.getTimerCount()).toBe(0);

    c.answer("late");
    await Promise.resolve();
    const next = slot.ask(c.call, TIMEOUT_MS);
    expect(c.calls()).toBe(2);
    c.answer("fresh");
    expect(await next).toEqual({ answered: true, value: "fresh", shared: false });
  });

  it("lets a concurrent ask wait for the call in flight, then share one new call", async () => {
    const { slot } = setup();
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS);
    const second = slot.ask(c.call, TIMEOUT_MS);
    const third = slot.ask(c.call, TIMEOUT_MS);
    expect(c.calls()).toBe(1);
    // The call in flight was made before the later asks: its answer could predate a
    // write their callers awaited, so they get the next call's answer, made once.
    c.answer("before");
    await vi.advanceTimersByTimeAsync(0);
    expect(c.calls()).toBe(2);
    c.answer("after");
    expect(await first).toEqual({ answered: true, value: "before", shared: false });
    expect(await second).toEqual({ answered: true, value: "after", shared: true });
    expect(await third).toEqual({ answered: true, value: "after", shared: true });
    expect(c.calls()).toBe(2);
  });

  it("passes a failure of the shared call to every ask that waited for it", async () => {
    const { slot } = setup();
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS);
    const second = slot.ask(c.call, TIMEOUT_MS);
    const third = slot.ask(c.call, TIMEOUT_MS);
    c.answer("ok");
    await vi.advanceTimersByTimeAsync(0);
    c.fail(new Error("broke"));
    expect(await first).toMatchObject({ value: "ok" });
    await expect(second).rejects.toThrow("broke");
    await expect(third).rejects.toThrow("broke");
  });

  it("answers the asks queued behind a call as unanswered once it goes overdue, and drops their call", async () => {
    const { slot, advance } = setup();
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS);
    await advance(40);
    const queued = slot.ask(c.call, TIMEOUT_MS);
    await advance(60);
    expect(await first).toMatchObject({ answered: false, asked: true, pendingSinceMs: START });
    // The queued ask's own deadline has not passed, but the call it waits for is overdue.
    expect(await queued).toEqual({ answered: false, pendingSinceMs: START, asked: true });
    expect(vi.getTimerCount()).toBe(0);
    c.answer("late");
    await Promise.resolve();
    expect(c.calls()).toBe(1);
  });

  it("does not hold a queued call that started late against the ask that waited for it", async () => {
    const { slot, advance } = setup();
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS); // call 1 at START
    await advance(50);
    const waiting = slot.ask(c.call, TIMEOUT_MS); // deadline at START + 150
    await advance(30);
    c.answer("one"); // call 2, shared by `waiting`, starts at START + 80
    await advance(0);
    expect(await first).toMatchObject({ value: "one" });
    expect(c.calls()).toBe(2);
    await advance(70);
    // `waiting` gave up after its 100 ms; call 2 has run for 70 ms only: not overdue.
    expect(await waiting).toEqual({ answered: false, pendingSinceMs: START + 80, asked: true });
    const next = slot.ask(c.call, TIMEOUT_MS);
    await advance(100);
    // This ask waited behind call 2 for a whole timeout: now call 2 is overdue.
    expect(await next).toEqual({ answered: false, pendingSinceMs: START + 80, asked: true });
    expect(await slot.ask(c.call, TIMEOUT_MS)).toEqual({
      answered: false,
      pendingSinceMs: START + 80,
      asked: false,
    });
    expect(c.calls()).toBe(2);
  });

  it("rejects when the clock throws, making no call, and when it throws for a queued call", async () => {
    let broken = false;
    const slot = new CallSlot<string>(() => {
      if (broken) throw new RangeError("clock");
      return START;
    });
    const c = component();
    const first = slot.ask(c.call, TIMEOUT_MS);
    const queued = slot.ask(c.call, TIMEOUT_MS);
    broken = true;
    c.answer("one");
    expect(await first).toMatchObject({ value: "one" });
    await expect(queued).rejects.toThrow(RangeError);
    await expect(slot.ask(c.call, TIMEOUT_MS)).rejects.toThrow("clock");
    expect(c.calls()).toBe(1);
  });
});

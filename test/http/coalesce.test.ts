import { describe, expect, it } from "vitest";
import { coalesce } from "../../src/http/coalesce.js";
import { manualClock } from "../../src/index.js";

/** A producer that counts its runs and finishes when told to. */
function gated() {
  let runs = 0;
  let finish: (value: string) => void = () => {};
  const produce = async (wanted: () => boolean) => {
    runs++;
    const value = await new Promise<string>((resolve) => {
      finish = resolve;
    });
    return wanted() ? `${value}#${runs}` : undefined;
  };
  return {
    produce,
    finish: (value: string) => finish(value),
    get runs() {
      return runs;
    },
  };
}

describe("coalesce", () => {
  it("runs once for every caller that asks while a run is in progress", async () => {
    const source = gated();
    const get = coalesce(source.produce, 0, manualClock(0));
    const values = [get(), get(), get()];
    source.finish("a");
    expect(await Promise.all(values)).toEqual(["a#1", "a#1", "a#1"]);
    expect(source.runs).toBe(1);
  });

  it("hands out the last value for reuseMs after it was made, then runs again", async () => {
    const clock = manualClock(1000);
    let runs = 0;
    const get = coalesce(async () => `v${++runs}`, 250, clock);
    expect(await get()).toBe("v1");
    clock.advance(249);
    expect(await get()).toBe("v1");
    clock.advance(1);
    expect(await get()).toBe("v2");
    clock.set(900);
    expect(await get()).toBe("v3");
  });

  it("hands a value out for as long as it took to make, when that is longer than reuseMs", async () => {
    const clock = manualClock(0);
    let runs = 0;
    const get = coalesce(
      async () => {
        runs++;
        clock.advance(120); // the render took 120 ms
        return runs;
      },
      50,
      clock,
    );
    expect(await get()).toBe(1);
    clock.advance(119);
    expect(await get()).toBe(1);
    clock.advance(1);
    expect(await get()).toBe(2);
  });

  it("with reuseMs 0 runs again for every caller that comes after a run", async () => {
    let runs = 0;
    const get = coalesce(async () => ++runs, 0, manualClock(0));
    expect([await get(), await get(), await get()]).toEqual([1, 2, 3]);
  });

  it("tells the producer nobody waits once every caller aborted, and keeps nothing", async () => {
    const source = gated();
    const get = coalesce(source.produce, 60_000, manualClock(0));
    const first = new AbortController();
    const second = new AbortController();
    const values = [get(first.signal), get(second.signal)];
    first.abort();
    second.abort();
    expect(await Promise.all(values)).toEqual([undefined, undefined]);
    source.finish("a");
    await new Promise((resolve) => setTimeout(resolve, 0));
    const next = get();
    source.finish("b");
    expect(await next).toBe("b#2");
  });

  it("answers a caller whose signal already aborted with undefined, without a run", async () => {
    const source = gated();
    const get = coalesce(source.produce, 0, manualClock(0));
    expect(await get(AbortSignal.abort())).toBeUndefined();
    expect(source.runs).toBe(0);
  });

  it("starts a new run for a caller that joined a run its producer had already given up", async () => {
    let runs = 0;
    let late: Promise<string | undefined> | undefined;
    const leaving = new AbortController();
    const get = coalesce<string>(
      async (wanted) => {
        runs++;
        if (runs === 1) {
          leaving.abort();
          await Promise.resolve();
          // Everyone left; a caller arrives between this check and the run's end.
          if (!wanted()) {
            late = get();
            return undefined;
          }
        }
        return `run ${runs}`;
      },
      0,
      manualClock(0),
    );
    expect(await get(leaving.signal)).toBeUndefined();
    expect(await late).toBe("run 2");
    expect(runs).toBe(2);
  });

  it("passes a producer's rejection to every caller and runs again for the next", async () => {
    let runs = 0;
    const get = coalesce(
      async () => {
        runs++;
        if (runs === 1) throw new Error("boom");
        return "ok";
      },
      60_000,
      manualClock(0),
    );
    const signal = new AbortController().signal;
    await expect(Promise.all([get(), get(signal)])).rejects.toThrow("boom");
    expect(await get()).toBe("ok");
  });
});

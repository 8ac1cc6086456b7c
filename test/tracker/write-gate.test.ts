import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { WriteGate } from "../../src/tracker/write-gate.js";

function latch(): { wait: Promise<void>; open: () => void } {
  let open = () => {};
  const wait = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait, open };
}

/** Lets every queued promise job run. */
async function settle(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

describe("WriteGate fast path", () => {
  it("is open when nothing holds or waits, and runs a call synchronously then", async () => {
    const gate = new WriteGate();
    expect(gate.isOpen).toBe(true);
    let ran = false;
    const result = gate.run(() => {
      ran = true;
      return 7;
    });
    expect(ran).toBe(true); // before the promise was even awaited
    expect(await result).toBe(7);
    expect(gate.isOpen).toBe(true);
  });

  it("turns a throw into a rejection and stays open", async () => {
    const gate = new WriteGate();
    const failure = new RangeError("bad");
    const result = gate.run(() => {
      throw failure;
    });
    await expect(result).rejects.toBe(failure);
    expect(gate.isOpen).toBe(true);
    expect(await gate.run(() => "after")).toBe("after");
  });
});

describe("WriteGate queueing", () => {
  it("queues calls behind a held section and runs them after it, in call order", async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    const { wait, open } = latch();
    const section = gate.hold(async () => {
      log.push("section start");
      await wait;
      log.push("section end");
    });
    expect(gate.isOpen).toBe(false);
    const calls = [1, 2, 3].map((n) => gate.run(() => log.push(`call ${n}`)));
    await settle();
    expect(log).toEqual(["section start"]);
    open();
    await Promise.all([section, ...calls]);
    expect(log).toEqual(["section start", "section end", "call 1", "call 2", "call 3"]);
    expect(gate.isOpen).toBe(true);
  });

  it("stays closed until the last queued call settled, so a later call never overtakes", async () => {
    const gate = new WriteGate();
    const log: number[] = [];
    const { wait, open } = latch();
    const section = gate.hold(() => wait);
    const queued = gate.run(() => log.push(1));
    open();
    expect(gate.isOpen).toBe(false);
    await section;
    const later = gate.run(() => log.push(2));
    await Promise.all([queued, later]);
    expect(log).toEqual([1, 2]);
    expect(gate.isOpen).toBe(true);
  });

  it("passes a section's result and a rejection through, and releases the gate after either", async () => {
    const gate = new WriteGate();
    expect(await gate.hold(() => 5)).toBe(5);
    expect(await gate.hold(async () => "async")).toBe("async");
    const failure = new Error("inside");
    await expect(gate.hold(() => Promise.reject(failure))).rejects.toBe(failure);
    await expect(
      gate.hold(() => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(gate.isOpen).toBe(true);
    // A call queued behind a failing section still runs.
    const failing = gate.hold(async () => {
      await Promise.resolve();
      throw failure;
    });
    const after = gate.run(() => "ran");
    await expect(failing).rejects.toBe(failure);
    expect(await after).toBe("ran");
  });

  it("a queued call that throws rejects alone; the calls behind it still run", async () => {
    const gate = new WriteGate();
    const { wait, open } = latch();
    const section = gate.hold(() => wait);
    const failure = new TypeError("queued failure");
    const bad = gate.run(() => {
      throw failure;
    });
    const good = gate.run(() => "good");
    open();
    await section;
    await expect(bad).rejects.toBe(failure);
    expect(await good).toBe("good");
    expect(gate.isOpen).toBe(true);
  });

  it("applies any interleaving of calls and sections in call order (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("run", "hold", "hold-async", "throw"), { maxLength: 40 }),
        async (kinds) => {
          const gate = new WriteGate();
          const log: number[] = [];
          const pending = kinds.map((kind, i) => {
            if (kind === "run") return gate.run(() => log.push(i));
            if (kind === "throw") {
              return gate
                .run(() => {
                  log.push(i);
                  throw new Error(`call ${i}`);
                })
                .catch(() => {});
            }
            if (kind === "hold") return gate.hold(() => log.push(i));
            return gate.hold(async () => {
              await Promise.resolve();
              log.push(i);
            });
          });
          await Promise.all(pending);
          expect(log).toEqual(kinds.map((_, i) => i));
          expect(gate.isOpen).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});

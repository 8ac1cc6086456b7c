import { describe, expect, it } from "vitest";
import { invokeHandler } from "../../src/shared/invoke-handler.js";

/** Runs `fn`, lets the event loop turn, and returns the unhandled rejections it left. */
async function unhandledDuring(fn: () => void): Promise<unknown[]> {
  const unhandled: unknown[] = [];
  const listener = (reason: unknown) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  try {
    fn();
    await new Promise((resolve) => setTimeout(resolve, 10));
  } finally {
    process.off("unhandledRejection", listener);
  }
  return unhandled;
}

describe("invokeHandler", () => {
  it("calls the handler once", () => {
    let calls = 0;
    invokeHandler(() => {
      calls++;
    });
    expect(calls).toBe(1);
  });

  it("passes what a handler throws to onFailure, and ignores it without one", () => {
    const failure = new Error("handler bug");
    const failures: unknown[] = [];
    const throwing = () => {
      throw failure;
    };
    invokeHandler(throwing, (error) => failures.push(error));
    expect(failures).toEqual([failure]);
    expect(() => invokeHandler(throwing)).not.toThrow();
  });

  it("passes an async handler's rejection to onFailure", async () => {
    const failure = new Error("log sink unreachable");
    const failures: unknown[] = [];
    const unhandled = await unhandledDuring(() =>
      invokeHandler(
        async () => {
          throw failure;
        },
        (error) => failures.push(error),
      ),
    );
    expect(failures).toEqual([failure]);
    expect(unhandled).toEqual([]);
  });

  it("leaves no unhandled rejection from an async handler without onFailure", async () => {
    const unhandled = await unhandledDuring(() =>
      invokeHandler(() => Promise.reject(new Error("log sink unreachable"))),
    );
    expect(unhandled).toEqual([]);
  });

  it("treats a thenable whose then cannot be read or called as a failure", () => {
    const failures: unknown[] = [];
    const record = (error: unknown) => failures.push(error);
    invokeHandler(
      () => ({
        // biome-ignore lint/suspicious/noThenProperty: a hostile thenable, on purpose
        get then() {
          throw new Error("getter");
        },
      }),
      record,
    );
    invokeHandler(
      () => ({
        // biome-ignore lint/suspicious/noThenProperty: a hostile thenable, on purpose
        then() {
          throw new Error("then");
        },
      }),
      record,
    );
    expect(failures.map((error) => (error as Error).message)).toEqual(["getter", "then"]);
  });

  it("ignores what a handler returns that is not a thenable", () => {
    const failures: unknown[] = [];
    // biome-ignore lint/suspicious/noThenProperty: a `then` that is not a function, on purpose
    const notThenable = { then: 1 };
    for (const value of [undefined, null, 0, "x", notThenable, () => {}]) {
      invokeHandler(
        () => value,
        (error) => failures.push(error),
      );
    }
    expect(failures).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { checkAccess } from "../../src/http/authorize.js";

describe("checkAccess", () => {
  it("lets everything through without a check", async () => {
    expect(await checkAccess(undefined, {}, "stats")).toEqual({ kind: "allowed" });
  });

  it("passes the request and the endpoint to the check", async () => {
    const seen: unknown[] = [];
    const request = { id: 1 };
    await checkAccess(
      (req, endpoint) => {
        seen.push(req, endpoint);
        return true;
      },
      request,
      "dashboard",
    );
    expect(seen).toEqual([request, "dashboard"]);
  });

  it.each([
    [true, { kind: "allowed" }],
    [false, { kind: "refused", status: 401 }],
    [401, { kind: "refused", status: 401 }],
    [403, { kind: "refused", status: 403 }],
    [undefined, { kind: "refused", status: 401 }],
    ["true", { kind: "refused", status: 401 }],
    [1, { kind: "refused", status: 401 }],
  ])("decides %j as %j, sync and async", async (decision, outcome) => {
    const check = () => decision as boolean;
    expect(await checkAccess(check, {}, "metrics")).toEqual(outcome);
    expect(await checkAccess(async () => check(), {}, "metrics")).toEqual(outcome);
  });

  it("turns a throw or a rejection into a failure carrying the error, never a rejection", async () => {
    const error = new Error("down");
    expect(
      await checkAccess(
        () => {
          throw error;
        },
        {},
        "stats",
      ),
    ).toEqual({ kind: "failed", error });
    expect(await checkAccess(() => Promise.reject(error), {}, "stats")).toEqual({
      kind: "failed",
      error,
    });
  });
});

/**
 * Metrics calls are fire-and-forget: a call with bad input must not end the host
 * through an unhandled rejection, yet still reject for a caller who awaits it, and
 * be reported through `onError` or a process warning once per cause.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it, vi } from "vitest";
import { BaseStatisticsTracker, manualClock, type TrackerCall } from "../../src/index.js";

const run = promisify(execFile);
const INDEX_URL = new URL("../../src/index.ts", import.meta.url).href;
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "component-stats-fire-and-forget-"));

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `body` as an ES module in a fresh `node`, with Node's default
 * `--unhandled-rejections=throw` (NODE_OPTIONS cleared so nothing overrides it).
 */
async function runScript(name: string, body: string): Promise<Outcome> {
  const file = join(scratch, `${name}.mts`);
  writeFileSync(
    file,
    `import { BaseStatisticsTracker } from ${JSON.stringify(INDEX_URL)};\n${body}`,
  );
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", file], {
      cwd: ROOT,
      env,
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** The component-stats warnings Node printed on stderr. */
function warnings(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line.includes("ComponentStatsWarning"));
}

const settle = "await new Promise((resolve) => setTimeout(resolve, 50));";

describe("in a child process under --unhandled-rejections=throw", () => {
  it("control: an unawaited rejection of the script's own ends it with code 1", async () => {
    const outcome = await runScript(
      "control",
      `Promise.reject(new Error("own rejection"));\n${settle}\nconsole.log("survived");`,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).not.toContain("survived");
    expect(outcome.stderr).toContain("own rejection");
  });

  it("unawaited calls with bad input do not end the process, and warn once per cause", async () => {
    const outcome = await runScript(
      "bad-input",
      `const tracker = new BaseStatisticsTracker("orders");
tracker.increment("");
tracker.increment("");
tracker.setGauge("", 1);
tracker.recordTiming("fill", 1e308);
tracker.recordTiming("fill", Number.MAX_VALUE);
tracker.increment("big", Number.MAX_VALUE);
tracker.increment("big", Number.MAX_VALUE);
tracker.getRecentErrors(-1);
${settle}
const awaited = await tracker.increment("").then(() => "resolved", (error) => error.name);
console.log(JSON.stringify({ awaited, big: await tracker.getCounter("big") }));`,
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({ awaited: "RangeError", big: Number.MAX_VALUE });
    const lines = warnings(outcome.stderr);
    // One per cause: the empty name (increment and setGauge share the message), the
    // duration past the limit, the counter overflow and the negative limit.
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(
      /"orders"\.increment\(\) rejected: Expected `metric` to be a non-empty/,
    );
    expect(lines[1]).toMatch(/recordTiming\(\) rejected: .*`durationMs`.*MAX_DURATION_MS/);
    expect(lines[2]).toMatch(/increment\(\) rejected: Expected `value` to keep the counter finite/);
    expect(lines[3]).toMatch(/getRecentErrors\(\) rejected: Expected `limit`/);
  });

  it("a broken clock does not end the process either, on any call", async () => {
    const outcome = await runScript(
      "broken-clock",
      `let reading = 0;
const tracker = new BaseStatisticsTracker("clocked", { clock: { now: () => reading } });
reading = Number.NaN;
tracker.increment("a");
tracker.recordTiming("op", 1);
tracker.trackError(new Error("e"), "ctx");
tracker.setStatus("connected");
tracker.time("op", () => 1);
tracker.getStats();
tracker.getHealthScore();
tracker.getHealthBreakdown();
tracker.getUptime();
tracker.cleanupCache();
${settle}
console.log("alive");`,
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout.trim()).toBe("alive");
    expect(warnings(outcome.stderr)).toHaveLength(1);
    expect(warnings(outcome.stderr)[0]).toMatch(/Expected `clock\.now\(\)` to return a finite/);
  });

  it("with onError: every failure goes to it, once per call, and no warning is printed", async () => {
    const outcome = await runScript(
      "on-error",
      `const seen = [];
const tracker = new BaseStatisticsTracker("orders", {
  onError: (error, call) => seen.push([call, error.name]),
});
tracker.increment("");
tracker.increment("");
tracker.recordTiming("fill", -1);
tracker.time("", () => 1);
${settle}
console.log(JSON.stringify(seen));`,
    );
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual([
      ["increment", "RangeError"],
      ["increment", "RangeError"],
      ["recordTiming", "RangeError"],
      ["time", "RangeError"],
    ]);
    expect(warnings(outcome.stderr)).toEqual([]);
  });

  it("fn's own rejection from an unawaited time() is the caller's, and still ends the process", async () => {
    const outcome = await runScript(
      "time-fn",
      `const tracker = new BaseStatisticsTracker("orders");
tracker.time("fill", async () => { throw new Error("fill failed"); });
${settle}
console.log("survived");`,
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain("fill failed");
  });
});

describe("in this process", () => {
  type Call = [TrackerCall, (tracker: BaseStatisticsTracker) => Promise<unknown>];
  const badInput: Call[] = [
    ["increment", (t) => t.increment("")],
    ["increment", (t) => t.increment("a", Number.NaN)],
    ["setGauge", (t) => t.setGauge("g", Number.POSITIVE_INFINITY)],
    ["recordTiming", (t) => t.recordTiming("op", 1e308)],
    ["trackError", (t) => t.trackError(new Error("e"), 5 as unknown as string)],
    ["setStatus", (t) => t.setStatus("")],
    ["time", (t) => t.time("op", "fn" as unknown as () => number)],
    ["getRecentErrors", (t) => t.getRecentErrors(1.5)],
    ["getCounter", (t) => t.getCounter(null as unknown as string)],
    ["getGauge", (t) => t.getGauge("")],
  ];

  it.each(badInput)(
    "%s: rejects for an awaiting caller and reports once to onError",
    async (call, act) => {
      const onError = vi.fn();
      const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), onError });
      const error = await act(tracker).then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
      expect(onError.mock.calls).toEqual([[error, call]]);
    },
  );

  it("a write queued behind a section that then fails (counter overflow) is reported too", async () => {
    const onError = vi.fn();
    class Locking extends BaseStatisticsTracker {
      section(fn: () => Promise<void>): Promise<void> {
        return this.withLock(fn);
      }
    }
    const tracker = new Locking("t", { clock: manualClock(0), onError });
    await tracker.increment("big", Number.MAX_VALUE);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const section = tracker.section(() => held);
    const queued = tracker.increment("big", Number.MAX_VALUE);
    expect(onError).not.toHaveBeenCalled(); // valid input: it queued
    release();
    await section;
    await expect(queued).rejects.toThrow(/`value`/);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]?.[1]).toBe("increment");
  });

  it("reports a broken clock for the reads that take the time", async () => {
    const onError = vi.fn();
    let reading = 0;
    const tracker = new BaseStatisticsTracker("t", { clock: { now: () => reading }, onError });
    reading = Number.NaN;
    const calls: [TrackerCall, Promise<unknown>][] = [
      ["getUptime", tracker.getUptime()],
      ["getHealthScore", tracker.getHealthScore()],
      ["getHealthBreakdown", tracker.getHealthBreakdown()],
      ["getStats", tracker.getStats()],
      ["cleanupCache", tracker.cleanupCache()],
    ];
    for (const [, promise] of calls) await expect(promise).rejects.toThrow(RangeError);
    // Reported as each settles, so in no fixed order.
    expect(onError.mock.calls.map(([, call]) => call).sort()).toEqual(
      calls.map(([call]) => call).sort(),
    );
  });

  it("a getStats() override with a broken clock is reported once, as getStats", async () => {
    const onError = vi.fn();
    let reading = 0;
    class Extended extends BaseStatisticsTracker {
      override async getStats() {
        return { ...(await super.getStats()), extra: 1 };
      }
    }
    const tracker = new Extended("t", { clock: { now: () => reading }, onError });
    reading = Number.NaN;
    await expect(tracker.getStats()).rejects.toThrow(RangeError);
    expect(onError.mock.calls.map(([, call]) => call)).toEqual(["getStats"]);
  });

  it.each([
    ["synchronously", false],
    ["asynchronously", true],
  ])(
    "time(): fn throwing %s and then the clock failing passes fn's error on, and reports the clock's",
    async (_, isAsync) => {
      const onError = vi.fn();
      let reading = 0;
      const tracker = new BaseStatisticsTracker("t", { clock: { now: () => reading }, onError });
      class OrderRejected extends Error {}
      const fail = () => {
        reading = Number.NaN; // the read after fn fails
        throw new OrderRejected("fn failed");
      };
      // The caller's own error handling sees what it would see without the tracker.
      await expect(tracker.time("op", isAsync ? async () => fail() : fail)).rejects.toBeInstanceOf(
        OrderRejected,
      );
      expect(onError.mock.calls.map(([error, call]) => [call, (error as Error).message])).toEqual([
        ["time", expect.stringMatching(/`clock\.now\(\)`/)],
      ]);
      // A call that cannot even start (the clock is broken) is the tracker's failure,
      // reported and handled.
      const unhandled: unknown[] = [];
      const listener = (reason: unknown) => unhandled.push(reason);
      process.on("unhandledRejection", listener);
      try {
        const unawaited = tracker.time("op", fail);
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(unhandled).toEqual([]);
        expect(await unawaited.catch((error: unknown) => error)).toBeInstanceOf(RangeError);
      } finally {
        process.off("unhandledRejection", listener);
      }
      expect(onError.mock.calls.map(([, call]) => call)).toEqual(["time", "time"]);
    },
  );

  it("an onError that calls the tracker back (to track the failure) works", async () => {
    const tracker: BaseStatisticsTracker = new BaseStatisticsTracker("t", {
      clock: manualClock(0),
      onError: (error, call) => void tracker.trackError(error, `bad ${call}`),
    });
    await expect(tracker.increment("")).rejects.toThrow(RangeError);
    expect(await tracker.getRecentErrors()).toMatchObject([
      { context: "bad increment", errorType: "RangeError" },
    ]);
  });

  describe("an onError that calls the tracker back while the clock is broken", () => {
    /** A clock that reads NaN once `broken` is set, and a tracker whose onError calls `callBack`. */
    function brokenTracker(callBack: (tracker: BaseStatisticsTracker) => unknown) {
      const clock = manualClock(0);
      const state = { broken: false, reports: 0 };
      const tracker: BaseStatisticsTracker = new BaseStatisticsTracker("orders", {
        clock: { now: () => (state.broken ? Number.NaN : clock.now()) },
        onError: () => {
          state.reports++;
          void callBack(tracker);
        },
      });
      return { tracker, state };
    }

    it.each([
      ["trackError, which fails at once", (t: BaseStatisticsTracker) => t.trackError("x", "stats")],
      ["increment, which fails at once", (t: BaseStatisticsTracker) => t.increment("failures")],
      ["getHealthScore, which fails later", (t: BaseStatisticsTracker) => t.getHealthScore()],
      ["time, which fails later", (t: BaseStatisticsTracker) => t.time("log", () => 1)],
    ])("is called once per failed call when it calls %s", async (_, callBack) => {
      const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
      try {
        const { tracker, state } = brokenTracker(callBack);
        state.broken = true;
        await expect(tracker.increment("x")).rejects.toThrow(/`clock\.now\(\)`/);
        // The event loop turns: a handler failing later does not loop in microtasks.
        await new Promise((resolve) => setTimeout(resolve, 10));
        expect(state.reports).toBe(1);
        // The call-back's own failure is shown as a tracker without onError shows it.
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]?.[0])).toMatch(/rejected: Expected `clock\.now\(\)`/);
        state.broken = false;
        await tracker.increment("y", -1);
        expect(state.reports).toBe(1);
      } finally {
        warn.mockRestore();
      }
    });
  });

  it("a call that succeeds reports nothing", async () => {
    const onError = vi.fn();
    const tracker = new BaseStatisticsTracker("t", { clock: manualClock(0), onError });
    await tracker.increment("a");
    await tracker.recordTiming("op", 1);
    await tracker.time("op", () => 1);
    await tracker.getStats();
    expect(onError).not.toHaveBeenCalled();
  });
});

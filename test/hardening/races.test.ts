/**
 * Race tests: fast-check's scheduler picks the order in which concurrent actors issue
 * their calls and in which `withLock` sections resume after awaiting inside, so each
 * run explores one interleaving. Every write is logged, synchronously, at the moment
 * it is issued; the contract says writes apply in call order, so the tracker must
 * always equal the log replayed on a plain model:
 * - a read (getCounter, getHealthScore) sees exactly the writes issued before it;
 * - a snapshot (getStats) equals the replay of some prefix of the log that includes
 *   everything issued before it: never half a reset, never half a section;
 * - at the end, the state is the replay of the whole log: after the last reset,
 *   exactly the writes issued after it, in the order they were issued.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  BaseStatisticsTracker,
  type ComponentStats,
  type LockedWriter,
  manualClock,
  scoreHealth,
} from "../../src/index.js";

/** Interleavings explored per run of each property; the README quotes them. */
const INTERLEAVINGS = 300;
const NOW_MS = 5_000_000;
const MAX_ERRORS = 5;

class LockingTracker extends BaseStatisticsTracker {
  /** Exposes the protected withLock, as a subclass with a multi-step update would. */
  section<T>(fn: (writer: LockedWriter) => T | PromiseLike<T>): Promise<T> {
    return this.withLock(fn);
  }
}

// ---- writes and their replay ------------------------------------------------------

type Write =
  | { kind: "inc"; name: string; by: number }
  | { kind: "gauge"; value: number }
  | { kind: "timing"; ms: number }
  | { kind: "error"; context: string }
  | { kind: "status"; status: string }
  | { kind: "reset" };

interface State {
  counters: Record<string, number>;
  gauges: Record<string, number>;
  timings: Record<string, number[]>;
  errorContexts: string[];
  errorCount: number;
  status: string;
  lastActivity: number | null;
}

function replay(groups: readonly (readonly Write[])[]): State {
  let state: State = fresh();
  for (const group of groups) {
    for (const write of group) {
      if (write.kind === "reset") {
        state = fresh();
        continue;
      }
      state.lastActivity = NOW_MS;
      if (write.kind === "inc")
        state.counters[write.name] = (state.counters[write.name] ?? 0) + write.by;
      if (write.kind === "gauge") state.gauges.g = write.value;
      if (write.kind === "timing") state.timings.op = [...(state.timings.op ?? []), write.ms];
      if (write.kind === "error") {
        state.errorContexts.push(write.context);
        state.errorCount++;
      }
      if (write.kind === "status") state.status = write.status;
    }
  }
  return state;
}

function fresh(): State {
  return {
    counters: {},
    gauges: {},
    timings: {},
    errorContexts: [],
    errorCount: 0,
    status: "initializing",
    lastActivity: null,
  };
}

function health(state: State): number {
  return scoreHealth({
    errorCount: state.errorCount,
    operationCount: Object.values(state.counters).reduce((sum, v) => sum + v, 0),
    uptimeMs: 0,
    msSinceLastActivity: state.lastActivity === null ? null : 0,
    status: state.status,
  }).score;
}

/** The parts of a snapshot the log determines (memoryUsageMb is read at another moment). */
function project(stats: ComponentStats) {
  return {
    counters: stats.counters,
    gauges: stats.gauges,
    timings: Object.fromEntries(
      Object.entries(stats.performanceMetrics).map(([op, t]) => [op, [t.count, t.minMs, t.maxMs]]),
    ),
    errorCount: stats.errorCount,
    status: stats.status,
    lastActivity: stats.lastActivity,
    healthScore: stats.healthScore,
  };
}

function expectedProjection(state: State) {
  return {
    counters: state.counters,
    gauges: state.gauges,
    timings: Object.fromEntries(
      Object.entries(state.timings).map(([op, ms]) => [
        op,
        [ms.length, Math.min(...ms), Math.max(...ms)],
      ]),
    ),
    errorCount: state.errorCount,
    status: state.status,
    lastActivity: state.lastActivity,
    healthScore: health(state),
  };
}

// ---- generated actors -------------------------------------------------------------

type Op =
  | { kind: "inc"; name: "c" | "d"; by: number }
  | { kind: "gauge" }
  | { kind: "timing"; ms: number }
  | { kind: "error" }
  | { kind: "status"; status: string }
  | { kind: "reset" }
  | { kind: "section"; steps: ("inc" | "timing" | "error" | "gauge" | "await")[] }
  | { kind: "counter" }
  | { kind: "health" }
  | { kind: "stats" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("inc" as const),
      name: fc.constantFrom("c" as const, "d" as const),
      by: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant("gauge" as const) }),
  fc.record({ kind: fc.constant("timing" as const), ms: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant("error" as const) }),
  fc.record({
    kind: fc.constant("status" as const),
    status: fc.constantFrom("connected", "error"),
  }),
  { arbitrary: fc.record({ kind: fc.constant("reset" as const) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant("section" as const),
      steps: fc.array(fc.constantFrom("inc", "timing", "error", "gauge", "await"), {
        minLength: 1,
        maxLength: 6,
      }),
    }),
    weight: 3,
  },
  fc.record({ kind: fc.constant("counter" as const) }),
  fc.record({ kind: fc.constant("health" as const) }),
  { arbitrary: fc.record({ kind: fc.constant("stats" as const) }), weight: 2 },
);

/** An actor issues its calls one after another; a detached call is not awaited. */
const actor = fc.array(fc.record({ op, detached: fc.boolean() }), { minLength: 1, maxLength: 5 });

async function runInterleaving(s: fc.Scheduler, actors: { op: Op; detached: boolean }[][]) {
  const tracker = new LockingTracker("races", {
    clock: manualClock(NOW_MS),
    maxErrors: MAX_ERRORS,
  });
  const log: Write[][] = [];
  let seq = 0;
  const detached: Promise<void>[] = [];

  /** Issues `op`: logs its writes in the same synchronous step as the call. */
  function issue(op: Op): Promise<void> {
    const id = ++seq;
    switch (op.kind) {
      case "inc":
        log.push([{ kind: "inc", name: op.name, by: op.by }]);
        return tracker.increment(op.name, op.by);
      case "gauge":
        log.push([{ kind: "gauge", value: id }]);
        return tracker.setGauge("g", id);
      case "timing":
        log.push([{ kind: "timing", ms: op.ms }]);
        return tracker.recordTiming("op", op.ms);
      case "error":
        log.push([{ kind: "error", context: `e${id}` }]);
        return tracker.trackError(new Error("x"), `e${id}`);
      case "status":
        log.push([{ kind: "status", status: op.status }]);
        return tracker.setStatus(op.status);
      case "reset":
        log.push([{ kind: "reset" }]);
        return tracker.resetMetrics();
      case "section": {
        // The section's writes apply when it runs, but must land at its place in the
        // call order: everything issued after it queues until it is done.
        const writes: Write[] = op.steps.flatMap((step, i): Write[] => {
          if (step === "inc") return [{ kind: "inc", name: "c", by: 1 }];
          if (step === "timing") return [{ kind: "timing", ms: 1000 + i }];
          if (step === "error") return [{ kind: "error", context: `s${id}.${i}` }];
          if (step === "gauge") return [{ kind: "gauge", value: id * 100 + i }];
          return [];
        });
        log.push(writes);
        return tracker
          .section(async (writer) => {
            for (const [i, step] of op.steps.entries()) {
              if (step === "inc") writer.increment("c");
              if (step === "timing") writer.recordTiming("op", 1000 + i);
              if (step === "error") writer.trackError(new Error("in section"), `s${id}.${i}`);
              if (step === "gauge") writer.setGauge("g", id * 100 + i);
              if (step === "await") await s.schedule(Promise.resolve(), `section ${id} awaits`);
            }
            return id;
          })
          .then((result) => {
            expect(result).toBe(id);
          });
      }
      case "counter": {
        const expected = replay(log).counters.c ?? 0;
        return tracker.getCounter("c").then((value) => {
          expect(value, "getCounter sees exactly the writes issued before it").toBe(expected);
        });
      }
      case "health": {
        const expected = health(replay(log));
        return tracker.getHealthScore().then((score) => {
          expect(score, "getHealthScore sees exactly the writes issued before it").toBe(expected);
        });
      }
      case "stats": {
        const from = log.length;
        return tracker.getStats().then((stats) => {
          const got = project(stats);
          const candidates: unknown[] = [];
          for (let k = from; k <= log.length; k++) {
            candidates.push(expectedProjection(replay(log.slice(0, k))));
          }
          expect(
            candidates,
            "a snapshot is the state after some prefix of the calls",
          ).toContainEqual(got);
        });
      }
    }
  }

  const actorRuns = actors.map(async (calls, a) => {
    for (const { op, detached: isDetached } of calls) {
      await s.schedule(Promise.resolve(), `actor ${a} issues ${op.kind}`);
      const call = issue(op);
      if (isDetached) detached.push(call);
      else await call;
    }
  });
  await s.waitFor(Promise.all(actorRuns));
  await s.waitFor(Promise.all(detached));

  // The end state is the whole log replayed, in call order.
  const expected = replay(log);
  const stats = await tracker.getStats();
  expect(project(stats)).toEqual(expectedProjection(expected));
  const recent = await tracker.getRecentErrors(MAX_ERRORS);
  expect(recent.map((record) => record.context)).toEqual(expected.errorContexts.slice(-MAX_ERRORS));
  // After the last reset, exactly the increments issued after it are counted.
  let lastReset = -1;
  log.forEach((group, i) => {
    if (group.some((write) => write.kind === "reset")) lastReset = i;
  });
  const after = log.slice(lastReset + 1).flat();
  const increments = after.filter((w) => w.kind === "inc" && w.name === "c");
  expect(await tracker.getCounter("c")).toBe(
    increments.reduce((sum, w) => sum + (w.kind === "inc" ? w.by : 0), 0),
  );
  // Once everything settled the lock is free again: a write takes the fast path at once.
  let applied = false;
  void tracker.increment("fast").then(() => {
    applied = true;
  });
  expect(await tracker.getCounter("fast")).toBe(1);
  await Promise.resolve();
  expect(applied).toBe(true);
}

describe("interleavings chosen by fc.scheduler()", () => {
  it(`writers, withLock sections that await, resets and snapshots: ${INTERLEAVINGS} interleavings`, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(actor, { minLength: 2, maxLength: 4 }),
        async (s, actors) => {
          await runInterleaving(s, actors);
        },
      ),
      { numRuns: INTERLEAVINGS },
    );
  });

  it(`many writers against one long section and a reset: ${INTERLEAVINGS} interleavings`, async () => {
    // A fixed shape where ordering bugs would show: a section awaiting three times,
    // a reset and snapshots racing with writers on both sides of it.
    const section: Op = {
      kind: "section",
      steps: ["inc", "await", "error", "await", "timing", "await", "gauge"],
    };
    const writers = fc.array(
      fc.record({
        op: fc.constantFrom<Op>(
          { kind: "inc", name: "c", by: 1 },
          { kind: "error" },
          { kind: "stats" },
          { kind: "counter" },
        ),
        detached: fc.boolean(),
      }),
      { minLength: 1, maxLength: 4 },
    );
    await fc.assert(
      fc.asyncProperty(fc.scheduler(), writers, writers, writers, async (s, w1, w2, w3) => {
        await runInterleaving(s, [
          [
            { op: section, detached: true },
            { op: { kind: "stats" }, detached: false },
          ],
          [{ op: { kind: "reset" }, detached: false }, ...w1],
          w2,
          w3,
        ]);
      }),
      { numRuns: INTERLEAVINGS },
    );
  });
});

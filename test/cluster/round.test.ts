import { MessageChannel, type MessagePort } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { REPLY_TYPE, REQUEST_TYPE } from "../../src/cluster/protocol.js";
import { askWorkers } from "../../src/cluster/round.js";
import { shareStats } from "../../src/cluster/share.js";
import { portTarget, type Target } from "../../src/cluster/targets.js";
import { StatisticsRegistry } from "../../src/registry/registry.js";
import { manualClock } from "../../src/shared/clock.js";

const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

/** A port target whose other end runs `answer` on each message. */
function worker(
  name: string,
  answer: (message: { id: string }, port: MessagePort) => void,
): Target {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  port1.on("message", (message) => answer(message, port1));
  return portTarget(port2, { worker: name, kind: "port" }, () => "closed");
}

const options = (timeoutMs = 5000) => ({ id: "round-1", timeoutMs, now: manualClock(0).now });

describe("askWorkers", () => {
  it("gives one answer per worker, in order, each decoded", async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const sharing = shareStats(new StatisticsRegistry(), { port: port1 });
    const answers = await askWorkers(
      [portTarget(port2, { worker: "a", kind: "port" }, () => "closed")],
      options(),
    );
    expect(answers).toEqual([
      expect.objectContaining({
        info: { worker: "a", kind: "port" },
        outcome: "ok",
        durationMs: 0,
      }),
    ]);
    expect(answers[0]?.reply?.snapshot.components).toEqual([]);
    sharing.stop();
  });

  it("ignores answers to other rounds and other messages until its own arrives", async () => {
    const target = worker("a", (message, port) => {
      port.postMessage({ type: "app", id: message.id });
      port.postMessage({ type: REPLY_TYPE, v: 1, id: "round-0", error: "stale" });
      port.postMessage({
        type: REPLY_TYPE,
        v: 1,
        id: message.id,
        error: "RangeError: clock broke",
      });
    });
    const [answer] = await askWorkers([target], options());
    // The worker's own reason, not wrapped again.
    expect(answer).toMatchObject({ outcome: "error", reason: "RangeError: clock broke" });
  });

  it("reports a malformed answer as an error naming what is wrong", async () => {
    const target = worker("a", (message, port) => {
      port.postMessage({ type: REPLY_TYPE, v: 1, id: message.id, snapshot: null });
    });
    const [answer] = await askWorkers([target], options());
    expect(answer).toMatchObject({
      outcome: "error",
      reason: expect.stringMatching(/^TypeError: .*snapshot/),
    });
  });

  it("settles the workers that did not answer as timeouts, the others as they answered", async () => {
    const seen: unknown[] = [];
    const silent = worker("silent", (message) => seen.push(message));
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    const sharing = shareStats(new StatisticsRegistry(), { port: port1 });
    const answers = await askWorkers(
      [silent, portTarget(port2, { worker: "b", kind: "port" }, () => "closed")],
      options(30),
    );
    expect(answers.map((a) => [a.info.worker, a.outcome])).toEqual([
      ["silent", "timeout"],
      ["b", "ok"],
    ]);
    expect(answers[0]?.reason).toContain("30 ms");
    expect(seen).toEqual([{ type: REQUEST_TYPE, v: 1, id: "round-1" }]);
    sharing.stop();
  });

  it("settles a worker that cannot be sent to as exited, releasing every listener", async () => {
    let watching = 0;
    const gone: Target = {
      info: { worker: "gone", kind: "cluster" },
      source: {},
      send: (_, failed) => failed("exited with code 1"),
      watch: () => {
        watching++;
        return () => {
          watching--;
        };
      },
      leftReason: () => "exited with code 1",
    };
    const answers = await askWorkers([gone, gone], options());
    expect(answers.map((a) => [a.outcome, a.reason])).toEqual([
      ["exited", "exited with code 1"],
      ["exited", "exited with code 1"],
    ]);
    expect(watching).toBe(0);
  });

  it("settles at once with no workers", async () => {
    expect(await askWorkers([], options())).toEqual([]);
  });
});

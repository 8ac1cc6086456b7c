import type { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it } from "vitest";
import { ClusterRegistry } from "../../src/cluster/cluster-registry.js";
import { manualClock } from "../../src/shared/clock.js";
import { connectionsOf, errorsOf, type FixtureConfig, requestsOf } from "./fixtures/data.js";
import { expectedSummary, FIXTURE, fixtureConfig, nextMessage, startTsThread } from "./support.js";

/** Real worker threads running the fixture worker; two at a time (the machine has 2 cores). */

const running = new Set<Worker>();

async function startFixture(config: FixtureConfig): Promise<Worker> {
  const worker = startTsThread(FIXTURE, config);
  running.add(worker);
  worker.once("exit", () => running.delete(worker));
  await nextMessage(worker, "fixture:ready");
  return worker;
}

afterEach(async () => {
  await Promise.all([...running].map((worker) => worker.terminate()));
});

describe("ClusterRegistry over worker threads", () => {
  it("merges two threads exactly: counters summed, percentiles over the union of windows", async () => {
    const first = fixtureConfig(0);
    const second = fixtureConfig(1, { status: "disconnected" });
    const configs = [first, second];
    const workers = await Promise.all(configs.map(startFixture));
    const registry = new ClusterRegistry({
      timeoutMs: 10_000,
      gauges: { connections: "perWorker" },
    });
    for (const worker of workers) registry.addWorker(worker);

    const [snapshot, perWorker] = await Promise.all([
      registry.collect(),
      registry.collectWorkers(),
    ]);
    expect(snapshot.workers.map((w) => [w.kind, w.outcome, w.components])).toEqual([
      ["thread", "ok", 2],
      ["thread", "ok", 2],
    ]);
    expect(snapshot.components.map((c) => c.name)).toEqual(["api", "db"]);
    for (const [c, report] of snapshot.components.entries()) {
      const stats = report.stats;
      expect(report.outcome).toBe("ok");
      // The worst status of the two workers.
      expect(report.status).toBe("disconnected");
      expect(stats?.counters).toEqual({
        requests: requestsOf(first) + requestsOf(second),
      });
      expect(stats?.errorCount).toBe(errorsOf(first) + errorsOf(second));
      expect(stats?.gauges).toEqual({});
      expect(stats?.workerGauges).toEqual({
        connections: Object.fromEntries(
          workers.map((worker, i) => [
            `thread-${worker.threadId}`,
            connectionsOf(configs[i] as FixtureConfig),
          ]),
        ),
      });
      for (const [o, operation] of ["get", "put"].entries()) {
        expect(stats?.performanceMetrics[operation]).toEqual(expectedSummary(configs, c, o));
      }
      const times = report.recentErrors?.map((record) => record.timestamp) ?? [];
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(report.recentErrors).toHaveLength(errorsOf(first) + errorsOf(second));
    }
    // Each component is as healthy as its least healthy worker (the disconnected one).
    for (const report of snapshot.components) {
      const scores = perWorker.map(
        (w) => w.snapshot?.components.find((c) => c.name === report.name)?.healthScore,
      );
      expect(report.healthScore).toBe(Math.min(...(scores as number[])));
    }
    // The verdict is the worst of the workers' (the disconnected one is unhealthy), with
    // its reasons named by worker; recent calls and errors are summed.
    const disconnected = perWorker[1];
    for (const report of snapshot.components) {
      const own = perWorker.map((w) => w.snapshot?.components.find((c) => c.name === report.name));
      expect(own.map((r) => r?.verdict)).toEqual(["healthy", "unhealthy"]);
      expect(report.verdict).toBe("unhealthy");
      expect(report.reasons).toEqual([`${disconnected?.worker}: status "disconnected"`]);
      const recent = own.map((r) => r?.stats?.recent);
      expect(report.stats?.recent).toEqual({
        windowMs: 60_000,
        calls: (recent[0]?.calls ?? 0) + (recent[1]?.calls ?? 0),
        errors: errorsOf(first) + errorsOf(second),
        errorRate:
          (errorsOf(first) + errorsOf(second)) /
          ((recent[0]?.calls ?? 0) + (recent[1]?.calls ?? 0)),
      });
      expect(report.stats?.recent?.calls).toBeGreaterThan(0);
    }
    expect(snapshot.health).toMatchObject({ verdict: "unhealthy", healthy: false });
    expect(snapshot.totals).toMatchObject({ components: 2, failed: 0 });
  });

  it("shares one round of messages between concurrent collections", async () => {
    const worker = await startFixture(fixtureConfig(0));
    const registry = new ClusterRegistry({ timeoutMs: 10_000 });
    registry.addWorker(worker);
    const [a, b, perWorker] = await Promise.all([
      registry.collect(),
      registry.collect(),
      registry.collectWorkers(),
    ]);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(perWorker[0]?.snapshot?.components.map((c) => c.name)).toEqual(["api", "db"]);
    worker.postMessage({ type: "fixture:requests" });
    expect((await nextMessage(worker, "fixture:requests")).requests).toBe(1);
    await registry.collect();
    worker.postMessage({ type: "fixture:requests" });
    expect((await nextMessage(worker, "fixture:requests")).requests).toBe(2);
  });

  it("reports a thread that never calls shareStats() as a timeout, and still merges the rest", async () => {
    const sharing = await startFixture(fixtureConfig(0));
    const silent = await startFixture(fixtureConfig(1, { share: false }));
    const registry = new ClusterRegistry({ timeoutMs: 300 });
    registry.addWorker(sharing);
    registry.addWorker(silent, { name: "silent" });
    const snapshot = await registry.collect();
    expect(snapshot.workers.map((w) => [w.worker, w.outcome])).toEqual([
      [`thread-${sharing.threadId}`, "ok"],
      ["silent", "timeout"],
    ]);
    const failure = snapshot.components.find((c) => c.name === "worker:silent");
    expect(failure).toMatchObject({ outcome: "timeout", status: "timeout", healthScore: 0 });
    expect(failure?.reason).toContain("300 ms");
    expect(snapshot.health.healthy).toBe(false);
    const api = snapshot.components.find((c) => c.name === "api");
    expect(api?.stats?.performanceMetrics.get).toEqual(expectedSummary([fixtureConfig(0)], 0, 0));
  });

  it("keeps a terminated thread's lifetime figures and reports it once as exited", async () => {
    const configs = [fixtureConfig(0), fixtureConfig(1)];
    const [stays, leaves] = (await Promise.all(configs.map(startFixture))) as [Worker, Worker];
    const registry = new ClusterRegistry({ timeoutMs: 10_000 });
    registry.addWorker(stays);
    registry.addWorker(leaves);
    const before = await registry.collect();
    const key = `thread-${leaves.threadId}`;

    await leaves.terminate();
    const after = await registry.collect();
    expect(after.workers).toEqual([
      expect.objectContaining({ outcome: "ok" }),
      expect.objectContaining({ worker: key, outcome: "exited", reason: "exited with code 1" }),
    ]);
    const api = after.components[0];
    // Lifetime figures do not drop: Prometheus would read a drop as a counter reset.
    expect(api?.stats?.counters.requests).toBe(before.components[0]?.stats?.counters.requests);
    expect(api?.stats?.errorCount).toBe(before.components[0]?.stats?.errorCount);
    // The windows are those of the live worker only; the count still includes the gone one.
    expect(api?.stats?.performanceMetrics.get).toEqual(
      expectedSummary([fixtureConfig(0)], 0, 0, configs),
    );

    const later = await registry.collect();
    expect(later.workers.map((w) => w.outcome)).toEqual(["ok"]);
    expect(later.components[0]?.stats?.counters.requests).toBe(api?.stats?.counters.requests);
  });

  it("adds a thread restarted under its predecessor's name on top of the predecessor's figures", async () => {
    // The audit's case: a named thread exits and its replacement takes the name before
    // the next collection; the ledger kept by name let the new thread overwrite the old.
    const stays = await startFixture(fixtureConfig(0));
    const before = fixtureConfig(1);
    const after = fixtureConfig(2);
    const first = await startFixture(before);
    const registry = new ClusterRegistry({ timeoutMs: 10_000, clock: manualClock(0) });
    registry.addWorker(stays);
    registry.addWorker(first, { name: "resizer" });
    await registry.collect();

    await first.terminate();
    const second = await startFixture(after);
    registry.addWorker(second, { name: "resizer" });
    const restarted = await registry.collect();
    expect(restarted.workers.map((w) => [w.worker, w.outcome, w.reason])).toEqual([
      [`thread-${stays.threadId}`, "ok", undefined],
      ["resizer", "ok", undefined],
      ["resizer", "exited", "exited with code 1"],
    ]);
    const api = restarted.components[0]?.stats;
    expect(api?.counters.requests).toBe(
      requestsOf(fixtureConfig(0)) + requestsOf(before) + requestsOf(after),
    );
    expect(api?.errorCount).toBe(errorsOf(fixtureConfig(0)) + errorsOf(before) + errorsOf(after));
    expect(api?.performanceMetrics.get).toEqual(
      expectedSummary([fixtureConfig(0), after], 0, 0, [fixtureConfig(0), before, after]),
    );
    // The next collection counts the predecessor once more, not twice.
    const later = await registry.collect();
    expect(later.workers.map((w) => w.outcome)).toEqual(["ok", "ok"]);
    expect(later.components[0]?.stats?.counters.requests).toBe(api?.counters.requests);
  });

  it("counts a removed thread's figures once, whether it is added again or exits", async () => {
    const configs = [fixtureConfig(0), fixtureConfig(1)];
    const [stays, paused] = (await Promise.all(configs.map(startFixture))) as [Worker, Worker];
    const total = requestsOf(fixtureConfig(0)) + requestsOf(fixtureConfig(1));
    const requests = async () => (await registry.collect()).components[0]?.stats?.counters.requests;
    const registry = new ClusterRegistry({ timeoutMs: 10_000, clock: manualClock(0) });
    registry.addWorker(stays);
    registry.addWorker(paused);
    expect(await requests()).toBe(total);

    // Removed: reported once, its figures still counted.
    expect(registry.removeWorker(paused)).toBe(true);
    const removed = await registry.collect();
    expect(removed.workers.map((w) => [w.outcome, w.reason])).toEqual([
      ["ok", undefined],
      ["exited", "removed"],
    ]);
    expect(removed.components[0]?.stats?.counters.requests).toBe(total);
    expect(await requests()).toBe(total);

    // Added again, under its key or under a name: its answers replace its figures.
    registry.addWorker(paused);
    expect(await requests()).toBe(total);
    expect(registry.removeWorker(paused)).toBe(true);
    registry.addWorker(paused, { name: "paused" });
    expect(await requests()).toBe(total);
    expect((await registry.collect()).workers.map((w) => w.worker)).toEqual([
      `thread-${stays.threadId}`,
      "paused",
    ]);

    // Removed, then exited: its figures join the exited workers' sums, once.
    registry.removeWorker(paused);
    expect(await requests()).toBe(total);
    await paused.terminate();
    expect(await requests()).toBe(total);
    expect(await requests()).toBe(total);
    expect(() => registry.addWorker(paused)).toThrow(/already exited/);
  });

  it("reports a thread that exits while it is being asked as exited, without waiting for the timeout", async () => {
    const worker = await startFixture(fixtureConfig(0, { share: false }));
    const registry = new ClusterRegistry({ timeoutMs: 20_000 });
    registry.addWorker(worker);
    const startedMs = performance.now();
    const collection = registry.collect();
    await worker.terminate();
    const snapshot = await collection;
    expect(performance.now() - startedMs).toBeLessThan(10_000);
    expect(snapshot.workers).toEqual([expect.objectContaining({ outcome: "exited" })]);
    expect(snapshot.components).toEqual([]);
    expect((await registry.collect()).workers).toEqual([]);
  });
});

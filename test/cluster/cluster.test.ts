import cluster, { type Worker } from "node:cluster";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { ClusterRegistry } from "../../src/cluster/cluster-registry.js";
import { formatPrometheus } from "../../src/export/prometheus.js";
import { PROMTOOL, promtoolCheck } from "../export/exposition.js";
import { connectionsOf, type FixtureConfig, requestsOf } from "./fixtures/data.js";
import { expectedSummary, FIXTURE, fixtureConfig, nextMessage } from "./support.js";

/** Real node:cluster workers (processes) running the fixture worker, two at a time. */

beforeAll(() => {
  cluster.setupPrimary({ exec: FIXTURE, execArgv: ["--import", "tsx"], silent: true });
});

afterEach(async () => {
  const workers = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
  await Promise.all(
    workers.map((worker) => {
      const exit = new Promise((resolve) => worker.once("exit", resolve));
      worker.process.kill("SIGKILL");
      return exit;
    }),
  );
});

async function fork(config: FixtureConfig): Promise<Worker> {
  const worker = cluster.fork({ FIXTURE: JSON.stringify(config) });
  await nextMessage(worker, "fixture:ready");
  return worker;
}

describe("ClusterRegistry over node:cluster workers", () => {
  it("merges every forked worker exactly, through process IPC", async () => {
    const first = fixtureConfig(0);
    const second = fixtureConfig(1, { status: "initializing" });
    const configs = [first, second];
    const workers = await Promise.all(configs.map(fork));
    const registry = new ClusterRegistry({ timeoutMs: 10_000, gauges: { connections: "max" } });
    expect(registry.workers().map((w) => w.worker)).toEqual(workers.map((w) => `cluster-${w.id}`));
    expect(new ClusterRegistry({ clusterWorkers: false }).workers()).toEqual([]);

    const snapshot = await registry.collect();
    expect(snapshot.workers).toEqual(
      workers.map((worker) =>
        expect.objectContaining({
          worker: `cluster-${worker.id}`,
          kind: "cluster",
          pid: worker.process.pid,
          outcome: "ok",
        }),
      ),
    );
    for (const [c, report] of snapshot.components.entries()) {
      expect(report.status).toBe("initializing");
      // The worst verdict of the two workers', with the worker that gave it.
      expect(report.verdict).toBe("degraded");
      expect(report.reasons).toEqual([`cluster-${workers[1]?.id}: status "initializing"`]);
      expect(report.stats?.counters.requests).toBe(requestsOf(first) + requestsOf(second));
      expect(report.stats?.gauges.connections).toBe(connectionsOf(second));
      for (const [o, operation] of first.operations.entries()) {
        expect(report.stats?.performanceMetrics[operation]).toEqual(expectedSummary(configs, c, o));
      }
    }
    const text = formatPrometheus(snapshot);
    expect(text).toContain('component_stats_requests_total{component="api"} 240\n');
    if (PROMTOOL !== undefined) expect(promtoolCheck(text)).toEqual({ status: 0, output: "" });
  });

  it("keeps a killed worker's counters between two scrapes and reports it once", async () => {
    const configs = [fixtureConfig(0), fixtureConfig(1)];
    const [stays, killed] = (await Promise.all(configs.map(fork))) as [Worker, Worker];
    const registry = new ClusterRegistry({ timeoutMs: 10_000 });
    const before = await registry.collect();
    expect(before.components[1]?.stats?.counters.requests).toBe(240);

    const exit = new Promise((resolve) => killed.once("exit", resolve));
    killed.process.kill("SIGKILL");
    await exit;
    const after = await registry.collect();
    expect(after.workers.map((w) => [w.worker, w.outcome, w.reason])).toEqual([
      [`cluster-${stays.id}`, "ok", undefined],
      [`cluster-${killed.id}`, "exited", "killed by SIGKILL"],
    ]);
    expect(after.components[1]?.stats?.counters.requests).toBe(240);
    expect(after.components[1]?.stats?.performanceMetrics.put).toEqual(
      expectedSummary([fixtureConfig(0)], 1, 1, configs),
    );
    expect(after.health.healthy).toBe(before.health.healthy);

    // A replacement starts from zero; the merged counter goes on from where it was.
    await fork(fixtureConfig(2));
    const replaced = await registry.collect();
    expect(replaced.workers.map((w) => w.outcome)).toEqual(["ok", "ok"]);
    expect(replaced.components[1]?.stats?.counters.requests).toBe(
      240 + requestsOf(fixtureConfig(2)),
    );
  });

  it("reports a worker that never shares as a timeout; concurrent scrapes share one round", async () => {
    const sharing = await fork(fixtureConfig(0));
    const silent = await fork(fixtureConfig(1, { share: false }));
    const registry = new ClusterRegistry({ timeoutMs: 500 });
    const started = performance.now();
    const snapshots = await Promise.all([
      registry.collect(),
      registry.collect(),
      registry.collect(),
    ]);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(snapshots[1]).toEqual(snapshots[0]);
    expect(snapshots[0]?.workers.map((w) => [w.worker, w.outcome])).toEqual([
      [`cluster-${sharing.id}`, "ok"],
      [`cluster-${silent.id}`, "timeout"],
    ]);
    expect(snapshots[0]?.components.map((c) => [c.name, c.outcome])).toEqual([
      ["api", "ok"],
      ["db", "ok"],
      [`worker:cluster-${silent.id}`, "timeout"],
    ]);
    for (const worker of [sharing, silent]) {
      worker.send({ type: "fixture:requests" });
      expect((await nextMessage(worker, "fixture:requests")).requests).toBe(1);
    }
  });
});

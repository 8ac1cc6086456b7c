/**
 * Worker threads with one merged view, the main thread's own work included:
 *
 *   npx tsx examples/worker-threads.ts
 *
 * The main thread hands 60 "resize" jobs to two worker threads. Each thread times
 * its jobs in its own tracker and shares its registry with shareStats(); the main
 * thread times the round trips in a tracker of its own. A ClusterRegistry merges
 * the three (the threads added with addWorker(), the main thread's registry as
 * `local`), and the example prints the merged p50 and p99 of the resize time, exact
 * over both threads' samples, then the merged JSON, and stops the threads.
 */
import { isMainThread, parentPort, Worker } from "node:worker_threads";
import { BaseStatisticsTracker, exportJson, StatisticsRegistry } from "component-stats";
import { ClusterRegistry, shareStats } from "component-stats/cluster";

const THREADS = 2;
const JOBS = 60;

if (isMainThread) {
  const dispatch = new BaseStatisticsTracker("dispatch");
  const local = new StatisticsRegistry();
  local.register(dispatch);
  const stats = new ClusterRegistry({ local, timeoutMs: 2000 });

  const threads = Array.from({ length: THREADS }, () => startThread());
  // Each thread says when it shares its stats and takes jobs.
  await Promise.all(
    threads.map((thread) => new Promise((resolve) => thread.once("message", resolve))),
  );
  for (const thread of threads) stats.addWorker(thread);
  await dispatch.setStatus("active");

  for (let job = 0; job < JOBS; job++) {
    const thread = threads[job % THREADS] as Worker;
    await dispatch.time("round_trip", async () => {
      thread.postMessage({ job, size: 20_000 + (job % 7) * 10_000 });
      await new Promise((resolve) => thread.once("message", resolve));
    });
  }

  const snapshot = await stats.collect();
  const resize = snapshot.components.find((c) => c.name === "resizer")?.stats?.performanceMetrics
    .resize;
  console.log(
    `resize: ${resize?.count} jobs over ${snapshot.workers.length} workers, p50 ${resize?.p50Ms.toFixed(3)} ms, p99 ${resize?.p99Ms.toFixed(3)} ms`,
  );
  console.log(exportJson(snapshot, { space: 2 }));
  await Promise.all(threads.map((thread) => thread.terminate()));
} else {
  const resizer = new BaseStatisticsTracker("resizer");
  const registry = new StatisticsRegistry();
  registry.register(resizer);
  shareStats(registry);
  await resizer.setStatus("active");

  // The application's own messages share the port with the primary's requests:
  // shareStats answers only its own, and this handler ignores those.
  parentPort?.on("message", async (message: { job?: number; size?: number }) => {
    if (message.job === undefined) return;
    await resizer.time("resize", () => {
      let checksum = 0;
      for (let i = 0; i < (message.size ?? 0); i++) checksum = (checksum * 31 + i) % 1_000_003;
      return checksum;
    });
    await resizer.increment("jobs");
    parentPort?.postMessage({ done: message.job });
  });
  parentPort?.postMessage({ ready: true });
}

/**
 * This file again, as a worker thread. Under tsx (as above) a worker thread does not
 * load TypeScript by itself on Node 20 (privatenumber/tsx#354), so it starts through
 * tsx's register(); from compiled JavaScript, `new Worker(new URL(import.meta.url))`
 * is all it takes.
 */
function startThread(): Worker {
  const self = import.meta.url;
  if (!self.endsWith(".ts")) return new Worker(new URL(self));
  return new Worker(
    `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(self)}); });`,
    { eval: true },
  );
}

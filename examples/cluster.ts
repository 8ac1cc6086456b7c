/**
 * node:cluster with one /metrics for the whole cluster:
 *
 *   npx tsx examples/cluster.ts
 *
 * The primary forks two workers that serve an HTTP app on one shared port (3000, or
 * $PORT; 0 picks a free one), each counting and timing its requests in its own
 * tracker and sharing its registry with shareStats(). The primary serves the merged
 * view of all workers on its own port (9464, or $STATS_PORT). To end by itself, it
 * then sends 40 requests to the app, prints the merged /metrics, stops the workers
 * and exits; a real service would keep running and let Prometheus scrape.
 */
import cluster from "node:cluster";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BaseStatisticsTracker, createStatsHandler, StatisticsRegistry } from "component-stats";
import { ClusterRegistry, shareStats } from "component-stats/cluster";

const WORKERS = 2;
const REQUESTS = 40;

if (cluster.isPrimary) {
  // Open connections are worth seeing per worker; other gauges are summed.
  const stats = new ClusterRegistry({ timeoutMs: 2000, gauges: { open_connections: "perWorker" } });
  const statsServer = createServer(createStatsHandler(stats));
  await listen(statsServer, Number(process.env.STATS_PORT ?? 9464));
  const statsUrl = `http://127.0.0.1:${(statsServer.address() as AddressInfo).port}/metrics`;

  const listening: Promise<number>[] = [];
  for (let i = 0; i < WORKERS; i++) {
    const worker = cluster.fork({ PORT: process.env.PORT ?? "3000" });
    listening.push(
      new Promise((resolve) => worker.once("listening", (address) => resolve(address.port))),
    );
  }
  const [appPort] = await Promise.all(listening);

  for (let i = 0; i < REQUESTS; i++) {
    // A new connection each time, so that the cluster spreads them over the workers.
    await fetch(`http://127.0.0.1:${appPort}/orders/${i}`, { headers: { connection: "close" } });
  }
  process.stdout.write(await (await fetch(statsUrl)).text());

  for (const worker of Object.values(cluster.workers ?? {})) worker?.disconnect();
  statsServer.close();
} else {
  const http = new BaseStatisticsTracker("http");
  const registry = new StatisticsRegistry();
  registry.register(http);
  shareStats(registry);

  let open = 0;
  const app = createServer(async (req, res) => {
    await http.setGauge("open_connections", ++open);
    await http.time("handle_request", async () => {
      await http.increment("requests");
      res.end(`order ${req.url?.split("/").pop()} handled by worker ${cluster.worker?.id}\n`);
    });
    await http.setGauge("open_connections", --open);
  });
  await listen(app, Number(process.env.PORT));
  await http.setStatus("active");
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve) => server.listen(port, "127.0.0.1", resolve));
}

/**
 * The demo: a simulated trading SDK (order manager, market-data feed, position
 * tracker and a flaky broker connection) under load, its four trackers and the
 * process itself (RuntimeStats) in one registry, served over HTTP with the dashboard.
 *
 *   npm run demo                        # until Ctrl-C in a terminal; 5 s when stdout is not a terminal
 *   npm run demo -- --duration 10       # stops by itself after 10 s
 *   npm run demo -- --port 8080         # or PORT=8080 npm run demo
 *   npm run demo -- --outage-at 1.5     # the broker session drops 1.5 s in
 *
 * Endpoints: / (dashboard), /metrics, /stats, /health. Every second it prints a
 * one-line summary with the verdict, and a line whenever a verdict changes (the
 * broker outage turns the registry unhealthy, and healthy again once it has held
 * for a second); on stop (the duration, Ctrl-C or SIGTERM) it closes the server,
 * stops its timers, prints each component's final snapshot and health, and exits 0.
 */
import { createServer, type Server } from "node:http";
import { parseArgs } from "node:util";
import { createStatsHandler, StatisticsRegistry, watchHealth } from "component-stats";
import { RuntimeStats } from "component-stats/runtime";
import { changeLine, componentReport, summaryLine, verdictLine } from "./trading-sdk/report.js";
import { TradingSdk } from "./trading-sdk/trading-sdk.js";

const DEFAULT_PORT = 3000;
/** How long a run lasts without `--duration` when stdout is not a terminal (CI, pipes). */
const NON_INTERACTIVE_DURATION_S = 5;
const SIMULATION_STEP_MS = 100;
/** How long a better verdict must hold before the demo prints it (one second: demos are short). */
const RECOVER_AFTER_MS = 1000;

const USAGE = `Usage: npm run demo -- [--duration <seconds>] [--port <port>] [--seed <n>] [--outage-at <seconds>]

  --duration <s>  stop after s seconds (default: run until Ctrl-C when stdout is a
                  terminal, ${NON_INTERACTIVE_DURATION_S} s otherwise)
  --port <n>      port to listen on (default: $PORT, else ${DEFAULT_PORT}; 0 picks a free one)
  --seed <n>      seed of the simulation (default 12)
  --outage-at <s> when the broker session first drops, in simulated seconds
                  (default: 4 to 7 s, drawn from the seed)
  HOST            address to listen on (default 127.0.0.1)`;

interface DemoConfig {
  durationMs: number | null;
  port: number;
  host: string;
  seed: number;
  outageAtMs: number | undefined;
}

function parseConfig(): DemoConfig {
  const { values } = parseArgs({
    options: {
      duration: { type: "string" },
      port: { type: "string" },
      seed: { type: "string" },
      "outage-at": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const number = (text: string, what: string, valid: (n: number) => boolean): number => {
    const value = Number(text);
    if (text.trim() === "" || !valid(value)) {
      throw new RangeError(`Expected ${what}, got ${JSON.stringify(text)}`);
    }
    return value;
  };
  const durationS =
    values.duration !== undefined
      ? number(values.duration, "--duration to be a number of seconds > 0", (n) => n > 0 && n < 1e7)
      : process.stdout.isTTY
        ? null
        : NON_INTERACTIVE_DURATION_S;
  const portText = values.port ?? process.env.PORT;
  const port =
    portText === undefined
      ? DEFAULT_PORT
      : number(
          portText,
          "--port or PORT to be a port from 0 to 65535",
          (n) => Number.isInteger(n) && n >= 0 && n <= 65_535,
        );
  const seed =
    values.seed === undefined
      ? 12
      : number(values.seed, "--seed to be an integer", Number.isInteger);
  const outageText = values["outage-at"];
  const outageAtMs =
    outageText === undefined
      ? undefined
      : number(outageText, "--outage-at to be a number of seconds >= 0", (n) => n >= 0 && n < 1e7) *
        1000;
  return {
    durationMs: durationS === null ? null : durationS * 1000,
    port,
    host: process.env.HOST ?? "127.0.0.1",
    seed,
    outageAtMs,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}

async function main(): Promise<void> {
  let config: DemoConfig;
  try {
    config = parseConfig();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }

  const sdk = new TradingSdk({
    seed: config.seed,
    ...(config.outageAtMs === undefined
      ? {}
      : { broker: { firstDisconnectAtMs: config.outageAtMs } }),
  });
  // The process itself, as a component: event-loop delay, heap, GC pauses.
  const runtime = new RuntimeStats();
  const components = [...sdk.components, runtime];
  const registry = new StatisticsRegistry();
  for (const component of components) registry.register(component);
  await sdk.start();

  const handler = createStatsHandler(registry, { title: "Trading SDK (simulated)" });
  const server = createServer(handler);
  let port: number;
  try {
    port = await listen(server, config.port, config.host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      code === "EADDRINUSE"
        ? `Port ${config.port} on ${config.host} is in use; choose another: PORT=${config.port + 1} npm run demo`
        : `Cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
    );
    process.exit(1);
  }

  const base = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  console.log(
    "Simulated trading SDK: order_manager, market_data, position_tracker, broker_connection, and the process (runtime)",
  );
  console.log(`  dashboard  ${base}/`);
  console.log(`  metrics    ${base}/metrics   (Prometheus text)`);
  console.log(`  stats      ${base}/stats     (JSON)`);
  console.log(`  health     ${base}/health    (200 healthy or degraded, 503 unhealthy)`);
  console.log(
    config.durationMs === null
      ? "Running until Ctrl-C."
      : `Running for ${config.durationMs / 1000} s (Ctrl-C stops earlier).`,
  );

  let ticking = false;
  const simulation = setInterval(() => {
    if (ticking) return; // a slow tick is skipped, never overlapped
    ticking = true;
    sdk
      .tick(SIMULATION_STEP_MS)
      .catch((error: unknown) => console.error("simulation step failed:", error))
      .finally(() => {
        ticking = false;
      });
  }, SIMULATION_STEP_MS);

  const startedAtMs = performance.now();
  const elapsedSeconds = (): number => Math.round((performance.now() - startedAtMs) / 1000);
  // Told once per verdict change; a recovery only once it has held for RECOVER_AFTER_MS.
  const watcher = watchHealth(registry, {
    intervalMs: 250,
    recoverAfterMs: RECOVER_AFTER_MS,
    onChange: (change) => console.log(changeLine(change, elapsedSeconds())),
  });
  const summary = setInterval(() => {
    registry
      .collect()
      .then((snapshot) => console.log(summaryLine(snapshot, elapsedSeconds())))
      .catch((error: unknown) => console.error("collect failed:", error));
  }, 1000);

  let stopping = false;
  const stop = async (reason: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(simulation);
    clearInterval(summary);
    clearTimeout(deadline);
    watcher.stop();
    console.log(`\nStopping (${reason}).`);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections(); // a dashboard's keep-alive connection would hold close() open
    await closed;

    console.log(`\nFinal statistics after ${elapsedSeconds()} s:\n`);
    for (const component of components) {
      const [stats, health, recentErrors] = await Promise.all([
        component.getStats(),
        component.getHealthBreakdown(),
        component.getRecentErrors(3),
      ]);
      console.log(`${componentReport({ stats, health, recentErrors })}\n`);
    }
    console.log(verdictLine(await registry.collect()));
    runtime.close();
    process.exitCode = 0;
  };
  const { durationMs } = config;
  const deadline =
    durationMs === null
      ? undefined
      : setTimeout(() => void stop(`${durationMs / 1000} s elapsed`), durationMs);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (stopping) {
        console.error(`\n${signal} again: exiting at once.`);
        process.exit(130);
      }
      void stop(signal);
    });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

/**
 * A browser app that uses only the tracker, bundled by test/bundle/browser.test.ts as a
 * user's bundler would bundle it, and run in Chromium under `script-src 'self'`.
 */
import { BaseStatisticsTracker, manualClock } from "component-stats";

/** Set by the test page's watch.js: writes `value` to the body's `data-<key>` attribute. */
declare function report(key: string, value: unknown): void;

async function main(): Promise<void> {
  const fresh = new BaseStatisticsTracker("browser", { clock: manualClock(0) });
  report("fresh-score", await fresh.getHealthScore());

  // On the default clock the tracker stamps writes with the coarse clock, whose timer a
  // browser returns as a number.
  const live = new BaseStatisticsTracker("live");
  await live.setStatus("connected");
  await live.increment("requests", 3);
  await live.recordTiming("call", 12.5);
  await live.time("timed", async () => "done");
  await live.trackError(new Error("boom"), "call", { attempt: 1 });
  const stats = await live.getStats();
  report(
    "live",
    JSON.stringify({
      status: stats.status,
      requests: stats.counters.requests,
      calls: stats.performanceMetrics.call?.count,
      timed: stats.performanceMetrics.timed?.count,
      errors: stats.errorCount,
      stamped: typeof stats.lastActivity === "number" && stats.lastActivity > 0,
    }),
  );
}

main().then(
  () => report("done", true),
  (error: unknown) => report("error", error instanceof Error ? error.stack : String(error)),
);

import type {
  ComponentStats,
  ErrorRecord,
  HealthBreakdown,
  RegistrySnapshot,
  VerdictChange,
} from "component-stats";

/** What the final report shows of one component. */
export interface ComponentReportInput {
  stats: ComponentStats;
  health: HealthBreakdown;
  recentErrors: ErrorRecord[];
}

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

const fmt = (value: number): string => number.format(value);
const ms = (value: number): string => value.toFixed(value < 10 ? 3 : value < 1000 ? 2 : 0);
const clockTime = (epochMs: number): string => new Date(epochMs).toISOString().slice(11, 23);

/** The one-line live summary printed every second. */
export function summaryLine(snapshot: RegistrySnapshot, elapsedSeconds: number): string {
  const byName = new Map(snapshot.components.map((report) => [report.name, report.stats]));
  const counter = (component: string, name: string): number =>
    byName.get(component)?.counters[name] ?? 0;
  const gauge = (component: string, name: string): number =>
    byName.get(component)?.gauges[name] ?? 0;
  const broker = snapshot.components.find((report) => report.name === "broker_connection");
  const { health, totals } = snapshot;
  return [
    `[${String(elapsedSeconds).padStart(3)}s] health ${health.score.toFixed(1).padStart(5)} ${health.verdict.padEnd(9)}`,
    `orders ${fmt(counter("order_manager", "orders_submitted"))} sent, ${fmt(counter("order_manager", "orders_filled"))} filled, ${fmt(counter("order_manager", "orders_rejected"))} rejected`,
    `quotes ${fmt(counter("market_data", "quotes_received"))} (${fmt(gauge("market_data", "quotes_per_second"))}/s)`,
    `P&L ${fmt(gauge("position_tracker", "realized_pnl") + gauge("position_tracker", "unrealized_pnl"))}`,
    `broker ${(broker?.status ?? "?").padEnd(12)}`,
    `errors ${fmt(totals.errors)}`,
  ].join(" | ");
}

/** A verdict change, as the health watcher tells it. */
export function changeLine(change: VerdictChange, elapsedSeconds: number): string {
  const subject = change.component ?? "registry";
  const why = change.reasons.length > 0 ? `  (${change.reasons.join("; ")})` : "";
  return `[${String(elapsedSeconds).padStart(3)}s] verdict ${subject} ${change.previous} -> ${change.verdict}${why}`;
}

/** A component's final snapshot and health, as an indented block of text. */
export function componentReport({ stats, health, recentErrors }: ComponentReportInput): string {
  const lines: string[] = [];
  const recent =
    stats.recent === undefined
      ? ""
      : `, ${fmt(stats.recent.errors)} of ${fmt(stats.recent.calls)} calls failed in the last ${stats.recent.windowMs / 1000} s`;
  lines.push(
    `${stats.name}  status ${stats.status}  health ${health.score.toFixed(1)}` +
      `  (errors ${health.errors.toFixed(1)}, uptime ${health.uptime.toFixed(1)},` +
      ` activity ${health.activity.toFixed(1)}, status ${health.status.toFixed(1)})`,
  );
  lines.push(
    `  uptime ${stats.uptimeSeconds} s, last activity ${stats.lastActivity === null ? "never" : clockTime(stats.lastActivity)} UTC,` +
      ` errors ${stats.errorCount}${recent}, memory ${stats.memoryUsageMb.toFixed(3)} MB`,
  );
  const counters = Object.entries(stats.counters).map(([name, value]) => `${name} ${fmt(value)}`);
  if (counters.length > 0) lines.push(`  counters  ${counters.join(", ")}`);
  const gauges = Object.entries(stats.gauges).map(([name, value]) => `${name} ${fmt(value)}`);
  if (gauges.length > 0) lines.push(`  gauges    ${gauges.join(", ")}`);
  const operations = Object.entries(stats.performanceMetrics);
  if (operations.length > 0) {
    const width = Math.max(9, ...operations.map(([name]) => name.length));
    const head = ["count", "avg", "p50", "p90", "p95", "p99", "max"]
      .map((h) => h.padStart(9))
      .join("");
    lines.push(`  timings   ${"operation".padEnd(width)}${head}   (ms)`);
    for (const [name, s] of operations) {
      const cells = [
        fmt(s.count),
        ms(s.avgMs),
        ms(s.p50Ms),
        ms(s.p90Ms),
        ms(s.p95Ms),
        ms(s.p99Ms),
        ms(s.maxMs),
      ];
      lines.push(`            ${name.padEnd(width)}${cells.map((c) => c.padStart(9)).join("")}`);
    }
  }
  if (recentErrors.length > 0) {
    lines.push("  recent errors");
    for (const error of recentErrors) {
      lines.push(
        `            ${clockTime(error.timestamp)} ${error.errorType} in ${error.context}: ${error.error}`,
      );
    }
  }
  return lines.join("\n");
}

/** The registry's verdict in one line. */
export function verdictLine(snapshot: RegistrySnapshot): string {
  const { health } = snapshot;
  return (
    `registry  health ${health.score.toFixed(1)} (lowest component), weighted mean ${health.weightedMean.toFixed(1)}:` +
    ` verdict ${health.verdict} (GET /health answers ${health.healthy ? 200 : 503})` +
    (health.reasons.length > 0 ? `\n  ${health.reasons.join("\n  ")}` : "")
  );
}

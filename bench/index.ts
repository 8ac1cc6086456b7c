/**
 * component-stats benchmarks: `npm run bench`, or `npm run bench -- --json`.
 *
 * Prints one table per workload and a line per target. With `--json` the tables go
 * to stderr, and the same figures go to `bench/results/latest.json` and
 * `bench/results/bench-<time>.json` (git-ignored), and to stdout as one JSON document
 * (`npm run -s bench -- --json > out.json` keeps npm's banner out of it).
 * `--rounds N` and `--budget-ms N` trade time for steadier figures.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { clusterWorkload } from "./cluster.js";
import { collectWorkload, collectWritesWorkload } from "./collect.js";
import { concurrentWorkload } from "./concurrent.js";
import { getStatsUncachedWorkload } from "./get-stats.js";
import { getStatsCachedWorkload } from "./get-stats-cached.js";
import type { RunOptions, Table } from "./harness.js";
import { healthWorkload } from "./health.js";
import { incrementWorkload } from "./increment.js";
import { counterMemoryWorkload, timingMemoryWorkload } from "./memory.js";
import { recordTimingWorkload } from "./record-timing.js";
import { renderTable, renderTargets } from "./report.js";
import { scrapeBlockWorkload, scrapeStepsWorkload, scrapeWorkload } from "./scrape.js";
import { judge } from "./targets.js";

const { values: flags } = parseArgs({
  options: {
    json: { type: "boolean", default: false },
    rounds: { type: "string", default: "5" },
    "budget-ms": { type: "string", default: "200" },
    only: { type: "string" },
  },
});

const options: RunOptions = {
  rounds: Number(flags.rounds),
  budgetMs: Number(flags["budget-ms"]),
  warmupMs: 100,
};
if (!(Number.isInteger(options.rounds) && options.rounds > 0 && options.budgetMs > 0)) {
  throw new RangeError(
    `Expected --rounds >= 1 and --budget-ms > 0, got ${flags.rounds}, ${flags["budget-ms"]}`,
  );
}

const out = flags.json ? process.stderr : process.stdout;
const print = (text: string) => out.write(`${text}\n`);

function cpuModel(): string {
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line !== undefined) return line.split(":")[1]?.trim() ?? "unknown";
  } catch {
    // not Linux: fall back to what os reports
  }
  return cpus()[0]?.model ?? "unknown";
}

const machine = {
  node: process.version,
  cpu: cpuModel(),
  cores: cpus().length,
  platform: `${process.platform} ${process.arch}`,
};
print(
  `component-stats benchmarks: ${machine.node}, ${machine.cpu} (${machine.cores} cores), ` +
    `${options.rounds} rounds × ${options.budgetMs} ms per case, medians`,
);

const workloads: Record<string, (options: RunOptions) => Promise<Table>> = {
  increment: incrementWorkload,
  concurrent: concurrentWorkload,
  recordTiming: recordTimingWorkload,
  getStatsUncached: getStatsUncachedWorkload,
  getStatsCached: getStatsCachedWorkload,
  health: healthWorkload,
  memoryTimings: timingMemoryWorkload,
  memoryCounters: counterMemoryWorkload,
  collect: collectWorkload,
  collectWrites: collectWritesWorkload,
  scrape: scrapeWorkload,
  scrapeBlock: scrapeBlockWorkload,
  scrapeSteps: scrapeStepsWorkload,
  cluster: clusterWorkload,
};
const selected = flags.only?.split(",") ?? Object.keys(workloads);
for (const id of selected) {
  if (!(id in workloads)) {
    throw new RangeError(
      `Expected --only to list workloads among ${Object.keys(workloads).join(", ")}, got ${id}`,
    );
  }
}

const startedMs = performance.now();
const tables: Table[] = [];
for (const id of selected) {
  const table = await (workloads[id] as (options: RunOptions) => Promise<Table>)(options);
  tables.push(table);
  print("");
  print(renderTable(table));
}

const targets = judge(tables);
print("");
print(renderTargets(targets));
const seconds = (performance.now() - startedMs) / 1000;
print(
  `\n${targets.filter((t) => t.met).length}/${targets.length} targets met; ran ${seconds.toFixed(0)} s`,
);

if (flags.json) {
  const document = {
    date: new Date().toISOString(),
    machine,
    options,
    tables,
    targets,
  };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`bench-${document.date.replaceAll(":", "-")}.json`, dir);
  writeFileSync(file, text);
  writeFileSync(new URL("latest.json", dir), text);
  process.stdout.write(text);
  process.stderr.write(`JSON written to stdout, ${file.pathname} and latest.json beside it\n`);
}

import { formatBytes, formatNs } from "./format.js";
import { row, type Table } from "./harness.js";

/** One performance target, judged on figures measured in this run. */
export interface TargetResult {
  readonly name: string;
  readonly met: boolean;
  readonly detail: string;
  /** The figures the verdict compares. */
  readonly figures: Record<string, number>;
}

function table(tables: readonly Table[], id: string): Table {
  const found = tables.find((t) => t.id === id);
  if (found === undefined) throw new Error(`No table ${id} in this run`);
  return found;
}

/** `subject / baseline <= limit`: the subject costs at most `limit` times the baseline. */
function atMost(tables: readonly Table[], id: string, key: string, limit: number) {
  const t = table(tables, id);
  const subject = row(t, "subject").value;
  const other = row(t, key).value;
  const ratio = subject / other;
  return {
    met: ratio <= limit,
    text: `${formatNs(subject)} vs ${key} ${formatNs(other)} = ${ratio.toFixed(2)}x (limit ${limit}x)`,
    figures: { subjectNs: subject, [`${key}Ns`]: other, ratio },
  };
}

/** `baseline / subject >= factor`: the subject is at least `factor` times faster. */
function fasterBy(tables: readonly Table[], id: string, key: string, factor: number) {
  const t = table(tables, id);
  const subject = row(t, "subject").value;
  const other = row(t, key).value;
  const speedup = other / subject;
  return {
    met: speedup >= factor,
    text: `${formatNs(subject)} vs ${key} ${formatNs(other)} = ${speedup.toFixed(1)}x faster (need ${factor}x)`,
    figures: { subjectNs: subject, [`${key}Ns`]: other, speedup },
  };
}

function both(
  name: string,
  parts: { met: boolean; text: string; figures: Record<string, number> }[],
): TargetResult {
  const figures: Record<string, number> = {};
  for (const [i, part] of parts.entries()) {
    for (const [k, v] of Object.entries(part.figures)) figures[i === 0 ? k : `${k}_${i}`] = v;
  }
  return {
    name,
    met: parts.every((p) => p.met),
    detail: parts.map((p) => `${p.met ? "" : "MISSED "}${p.text}`).join("; "),
    figures,
  };
}

/** The memory target: 100 operations × 1000 samples × 8 B, plus a quarter, plus 256 KiB. */
function memoryTarget(tables: readonly Table[]): TargetResult {
  const retained = row(table(tables, "memoryTimings"), "subject").value;
  const limitBytes = 1.25 * 100 * 1000 * 8 + 256 * 1024;
  return {
    name: "memory: 1M timings over 100 operations retain ≤ 1.25 × 800,000 B + 256 KiB",
    met: retained <= limitBytes,
    detail: `${formatBytes(retained)} retained (limit ${formatBytes(limitBytes)}, ${((100 * retained) / limitBytes).toFixed(1)}% of it)`,
    figures: { retainedBytes: retained, limitBytes },
  };
}

/** The targets, judged on this run's tables; those whose workload did not run (`--only`) are left out. */
export function judge(tables: readonly Table[]): TargetResult[] {
  const ran = (id: string) => tables.some((t) => t.id === id);
  const targets: TargetResult[] = [];
  if (ran("increment")) {
    targets.push(
      both("increment ≤ 1.3x floor (with the recent-activity count) and ≥ 20x faster than naive", [
        atMost(tables, "increment", "floor", 1.3),
        fasterBy(tables, "increment", "naive", 20),
      ]),
    );
  }
  if (ran("concurrent")) {
    targets.push(
      both("1000 concurrent writers ≤ 2x floor per op", [atMost(tables, "concurrent", "floor", 2)]),
    );
  }
  if (ran("recordTiming")) {
    targets.push(
      both("recordTiming ≤ 3x floor and no slower than prom-client Histogram.observe()", [
        atMost(tables, "recordTiming", "floor", 3),
        atMost(tables, "recordTiming", "prom-histogram", 1),
      ]),
    );
  }
  if (ran("getStatsUncached")) {
    targets.push(
      both("getStats uncached ≥ 10x faster than sort and faster than prom-client JSON", [
        fasterBy(tables, "getStatsUncached", "sort", 10),
        fasterBy(tables, "getStatsUncached", "prom", 1),
      ]),
    );
  }
  if (ran("getStatsCached")) {
    targets.push(
      both("getStats cached, 100 operations, costs no more than structuredClone of its snapshot", [
        atMost(tables, "getStatsCached", "structuredClone", 1),
      ]),
    );
  }
  if (ran("memoryTimings")) targets.push(memoryTarget(tables));
  if (ran("scrape")) {
    targets.push(
      both("scrape (write, collect, Prometheus text) ≥ 5x faster than prom-client metrics()", [
        fasterBy(tables, "scrape", "prom", 5),
      ]),
    );
  }
  return targets;
}

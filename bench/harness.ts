import { measure } from "mitata";

/** How long and how often each case is measured. */
export interface RunOptions {
  /** Rounds per workload; each round measures every case once, in a rotated order. */
  readonly rounds: number;
  /** Minimum CPU time mitata spends on one case in one round, in milliseconds. */
  readonly budgetMs: number;
  /** Time each case runs before its first measured round, in milliseconds. */
  readonly warmupMs: number;
}

/** One thing measured: the library under test, a baseline, or a figure for context. */
export type RowKind = "subject" | "baseline" | "info";

/** One measured row of a workload table. */
export interface Row {
  /** Stable key the targets refer to, e.g. `"floor"`. */
  readonly key: string;
  /** What was run, as printed. */
  readonly label: string;
  readonly kind: RowKind;
  /** Median over rounds: nanoseconds per operation, or bytes for a memory table. */
  readonly value: number;
  /** The figure of each round (ns/op) or each repetition (bytes). */
  readonly samples: readonly number[];
}

/** A workload's figures: one subject row (component-stats) and its baselines. */
export interface Table {
  readonly id: string;
  readonly title: string;
  readonly unit: "ns" | "bytes";
  readonly rows: readonly Row[];
  /** Facts a reader needs to interpret the table (what a baseline does, what was checked). */
  readonly notes: readonly string[];
}

/** A case measured by {@link compare}. */
export interface Case {
  readonly key: string;
  readonly label: string;
  readonly kind: RowKind;
  /** One call; a returned promise is awaited by mitata, so "awaited" cases are awaited. */
  readonly fn: () => unknown;
  /** Operations one call performs; figures are reported per operation. */
  readonly opsPerCall?: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

async function warm(fn: () => unknown, warmupMs: number): Promise<void> {
  const end = performance.now() + warmupMs;
  while (performance.now() < end) {
    for (let i = 0; i < 64; i++) {
      const result = fn();
      if (result instanceof Promise) await result;
    }
  }
}

/**
 * Measures every case in the same process, `rounds` times, rotating the order each
 * round so no case always runs first (JIT state, heap growth and a neighbour's load
 * on a 2-core machine then fall on every case alike). Each round's figure is
 * mitata's median of batch means; the row's value is the median over rounds.
 */
export async function compare(cases: readonly Case[], options: RunOptions): Promise<Row[]> {
  for (const c of cases) await warm(c.fn, options.warmupMs);
  const perRound: number[][] = cases.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (k + round) % cases.length;
      const c = cases[index] as Case;
      const stats = await measure(c.fn, { min_cpu_time: options.budgetMs * 1e6 });
      (perRound[index] as number[]).push(stats.p50 / (c.opsPerCall ?? 1));
    }
  }
  return cases.map((c, i) => {
    const samples = perRound[i] as number[];
    return { key: c.key, label: c.label, kind: c.kind, value: median(samples), samples };
  });
}

/** A row by key; throws when a table lacks it, so a renamed row cannot pass a target silently. */
export function row(table: Table, key: string): Row {
  const found = table.rows.find((r) => r.key === key);
  if (found === undefined) throw new Error(`Table ${table.id} has no row ${key}`);
  return found;
}

/** Throws when a baseline did not actually do its work (a bench that measures nothing). */
export function check(condition: boolean, message: string): void {
  if (!condition) throw new Error(`Benchmark sanity check failed: ${message}`);
}

import type { Table } from "./harness.js";
import type { TargetResult } from "./targets.js";

/** `ns` as ns, µs or ms with three significant digits. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toPrecision(3)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toPrecision(3)} µs`;
  return `${(ns / 1_000_000).toPrecision(3)} ms`;
}

export function formatBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString("en-US")} B`;
}

export function formatValue(table: Table, value: number): string {
  return table.unit === "bytes" ? formatBytes(value) : formatNs(value);
}

/** `subject ÷ other`, with how many times faster or smaller when below 1. */
export function formatRatio(subject: number, other: number): string {
  const ratio = subject / other;
  if (ratio >= 1) return `${ratio.toFixed(2)}x`;
  return `${ratio.toFixed(3)}x (${(1 / ratio).toFixed(1)}x less)`;
}

/** A table as printed: one line per row with its median and the subject's ratio to it. */
export function renderTable(table: Table): string {
  const subject = table.rows.find((r) => r.kind === "subject");
  const labelWidth = Math.max(...table.rows.map((r) => r.label.length));
  const valueWidth = Math.max(...table.rows.map((r) => formatValue(table, r.value).length));
  const lines = [
    table.title,
    `  ${"case".padEnd(labelWidth)}  ${"median".padStart(valueWidth)}  component-stats ÷ case`,
  ];
  for (const r of table.rows) {
    const ratio = subject === undefined || r === subject ? "" : formatRatio(subject.value, r.value);
    lines.push(
      `  ${r.label.padEnd(labelWidth)}  ${formatValue(table, r.value).padStart(valueWidth)}  ${ratio}`.trimEnd(),
    );
  }
  for (const note of table.notes) lines.push(`  note: ${note}`);
  return lines.join("\n");
}

export function renderTargets(targets: readonly TargetResult[]): string {
  const lines = ["Targets"];
  for (const t of targets) lines.push(`  ${t.met ? "met   " : "missed"}  ${t.name}: ${t.detail}`);
  return lines.join("\n");
}

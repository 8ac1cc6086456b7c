import { formatBytes, formatNs, formatRatio } from "./format.js";
import type { Table } from "./harness.js";
import type { TargetResult } from "./targets.js";

function formatValue(table: Table, value: number): string {
  return table.unit === "bytes" ? formatBytes(value) : formatNs(value);
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

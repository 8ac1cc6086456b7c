/** How figures are written in tables and targets. */

/** `ns` as ns, µs or ms with three significant digits. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toPrecision(3)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toPrecision(3)} µs`;
  return `${(ns / 1_000_000).toPrecision(3)} ms`;
}

/** Whole bytes with thousands separators. */
export function formatBytes(bytes: number): string {
  return `${Math.round(bytes).toLocaleString("en-US")} B`;
}

/** `subject ÷ other`, with how many times faster or smaller when below 1. */
export function formatRatio(subject: number, other: number): string {
  const ratio = subject / other;
  if (ratio >= 1) return `${ratio.toFixed(2)}x`;
  return `${ratio.toFixed(3)}x (${(1 / ratio).toFixed(1)}x less)`;
}

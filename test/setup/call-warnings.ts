/**
 * Vitest setup (vitest.config.ts `setupFiles`): a tracker call that rejects with nobody
 * told about it (no `onError`) becomes a `ComponentStatsWarning`. Tests that pass bad
 * input on purpose give their trackers an `onError` (see {@link expectedFailures}), so
 * any such warning during a test is a real problem: the test that caused it fails,
 * naming the warnings, instead of a line on stderr that nobody reads.
 *
 * The warnings are caught where they are emitted, so none is printed; every other
 * process warning goes on as before.
 */
import { afterEach, beforeEach } from "vitest";
import { forgetWarnedCauses } from "../../src/tracker/call-failures.js";

const WARNING_TYPE = "ComponentStatsWarning";

type EmitWarning = typeof process.emitWarning;

let caught: string[] = [];
const emitWarning: EmitWarning = process.emitWarning;

function typeOf(options: unknown): unknown {
  if (typeof options === "string") return options; // emitWarning(warning, type, …)
  return typeof options === "object" && options !== null
    ? (options as { type?: unknown }).type
    : undefined;
}

process.emitWarning = function catchCallWarnings(
  this: NodeJS.Process,
  warning: string | Error,
  ...rest: unknown[]
): void {
  const type = warning instanceof Error ? warning.name : typeOf(rest[0]);
  if (type === WARNING_TYPE) {
    caught.push(warning instanceof Error ? warning.message : String(warning));
    return;
  }
  (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
} as EmitWarning;

beforeEach(() => {
  caught = [];
  // Each test starts as a fresh process: a cause warned about in an earlier test warns again.
  forgetWarnedCauses();
});

afterEach(() => {
  const warnings = caught;
  caught = [];
  if (warnings.length > 0) {
    throw new Error(
      `The test made ${warnings.length} tracker call(s) fail with no \`onError\` to report to (a ComponentStatsWarning each):\n${warnings.join("\n")}\nIf the bad input is on purpose, give the tracker \`onError\` (test/setup/call-warnings.ts: expectedFailures()).`,
    );
  }
});

/** A tracker call's failure as `onError` received it. */
export interface ReportedFailure {
  readonly call: string;
  readonly message: string;
}

/**
 * An `onError` for trackers that are given bad input on purpose, and what it received:
 * the failures are kept for the test to assert on, not printed.
 *
 * @returns the option to pass (`{ onError }`) and the failures reported so far.
 */
export function expectedFailures(): {
  onError: (error: unknown, call: string) => void;
  failures: ReportedFailure[];
} {
  const failures: ReportedFailure[] = [];
  return {
    failures,
    onError: (error, call) => {
      failures.push({ call, message: error instanceof Error ? error.message : String(error) });
    },
  };
}

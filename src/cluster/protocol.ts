import { checkHealthScore, checkRecentErrors, checkStats } from "../registry/check-report.js";
import type { ComponentReport, RegistrySnapshot } from "../registry/types.js";
import { describeValue } from "../shared/validate.js";
import { errorMessage } from "../stores/error-info.js";
import type { ComponentStats, Verdict } from "../types.js";

/**
 * The messages between a primary and its workers. Every message has a `type` in the
 * `component-stats:` namespace and a protocol version `v`, so that the application's
 * own IPC messages are never taken for ours, and ours are easy for its handlers to
 * skip (`if (message?.type?.startsWith?.("component-stats:")) return;`).
 */

/** `type` of the primary's request. */
export const REQUEST_TYPE = "component-stats:collect";
/** `type` of a worker's answer. */
export const REPLY_TYPE = "component-stats:stats";
/** The protocol version; a worker answering another version is reported as an error. */
export const PROTOCOL_VERSION = 1;

/** The primary asks a worker for its data. */
export interface CollectRequest {
  readonly type: typeof REQUEST_TYPE;
  readonly v: typeof PROTOCOL_VERSION;
  /** Unique per collection and cluster registry; the answer repeats it. */
  readonly id: string;
}

/**
 * Samples of one window, ascending: a `Float64Array` over a message port (structured
 * clone copies it as bytes), or its bytes in base64 over a process's IPC channel,
 * whose default serialization is JSON (base64 takes 10.7 characters a sample, a
 * decimal double up to 24, and costs no float formatting).
 */
export type WireSamples = Float64Array | string;

/** Windows by component, then by operation, as lists of pairs (names may be `__proto__`). */
export type WireWindows = [
  component: string,
  operations: [operation: string, samples: WireSamples][],
][];

/** A worker's answer: its snapshot and windows, or why it has none. */
export interface StatsReply {
  readonly type: typeof REPLY_TYPE;
  readonly v: number;
  readonly id: string;
  readonly snapshot?: RegistrySnapshot;
  readonly windows?: WireWindows;
  /** Why the worker could not collect. */
  readonly error?: string;
}

/** A worker answered that it could not collect; the message is its reason. */
export class WorkerError extends Error {
  override readonly name = "WorkerError";
}

/** A worker's answer, checked and decoded. */
export interface DecodedReply {
  readonly snapshot: RegistrySnapshot;
  /** Windows by component, then by operation. */
  readonly windows: Map<string, Map<string, Float64Array>>;
}

/** Whether `message` is a request of this protocol (any version: the reply says ours). */
export function isRequest(message: unknown): message is CollectRequest {
  return (
    isObject(message) &&
    message.type === REQUEST_TYPE &&
    typeof message.id === "string" &&
    message.id.length <= 256
  );
}

/** Whether `message` answers the request `id`. */
export function isReplyTo(message: unknown, id: string): message is StatsReply {
  return isObject(message) && message.type === REPLY_TYPE && message.id === id;
}

/** Encodes one window for the process IPC channel. */
export function samplesToBase64(samples: Float64Array): string {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength).toString("base64");
}

/**
 * Checks a worker's answer and decodes its windows. Whatever the worker sent, this
 * either returns well-formed data (finite numbers, ascending windows) or throws.
 *
 * Nothing of the message is kept by reference: what the checks do not rebuild is
 * copied here. A message can hold values that cannot be copied again (a
 * `MessagePort` transferred with it, or a function in the answer of a `local`
 * registry); found here, they fail this worker's answer, instead of the copy of the
 * merged view that `collect()` hands out, which would reject the whole collection.
 *
 * @param reply - an answer to our request.
 * @returns the snapshot (its component stats copied by the registry's own checks,
 *   the rest structurally cloned) and the windows.
 * @throws WorkerError with the worker's reason when it answered with a failure;
 *   TypeError or RangeError naming the field that is not valid.
 */
export function decodeReply(reply: StatsReply): DecodedReply {
  if (reply.v !== PROTOCOL_VERSION) {
    throw new RangeError(
      `Expected protocol version ${PROTOCOL_VERSION}, got ${describeValue(reply.v)} (is every process running the same component-stats?)`,
    );
  }
  if (reply.error !== undefined) throw new WorkerError(String(reply.error));
  const snapshot = checkSnapshot(reply.snapshot);
  const windows = new Map<string, Map<string, Float64Array>>();
  const wire = reply.windows ?? [];
  if (!Array.isArray(wire))
    throw new TypeError(`Expected windows to be an array, got ${describeValue(wire)}`);
  for (const entry of wire) {
    const [component, operations] = pairOrThrow(entry, "windows[]");
    if (!Array.isArray(operations)) {
      throw new TypeError(
        `Expected the windows of ${JSON.stringify(component)} to be an array, got ${describeValue(operations)}`,
      );
    }
    const byOperation = new Map<string, Float64Array>();
    for (const pair of operations) {
      const [operation, samples] = pairOrThrow(pair, `windows of ${JSON.stringify(component)}`);
      byOperation.set(
        operation,
        decodeSamples(samples, `window ${JSON.stringify(component)}/${JSON.stringify(operation)}`),
      );
    }
    windows.set(component, byOperation);
  }
  return { snapshot, windows };
}

function decodeSamples(samples: unknown, path: string): Float64Array {
  let decoded: Float64Array;
  if (samples instanceof Float64Array) {
    decoded = samples;
  } else if (typeof samples === "string") {
    const bytes = Buffer.from(samples, "base64");
    if (bytes.byteLength % 8 !== 0) {
      throw new RangeError(
        `Expected ${path} to hold whole 8-byte samples, got ${bytes.byteLength} bytes`,
      );
    }
    // A copy into a fresh buffer: the decoded bytes may sit at an offset that is not
    // a multiple of 8 in Buffer's pool, where a Float64Array view cannot start.
    decoded = new Float64Array(bytes.byteLength / 8);
    new Uint8Array(decoded.buffer).set(bytes);
  } else {
    throw new TypeError(
      `Expected ${path} to be a Float64Array or a base64 string, got ${describeValue(samples)}`,
    );
  }
  let previous = 0;
  for (let i = 0; i < decoded.length; i++) {
    const value = decoded[i] as number;
    // `!(value >= previous)` also catches NaN.
    if (!(value >= previous) || value === Number.POSITIVE_INFINITY) {
      throw new RangeError(
        `Expected ${path} to hold ascending finite durations >= 0, got ${value} at ${i}`,
      );
    }
    previous = value;
  }
  return decoded;
}

function checkSnapshot(value: unknown): RegistrySnapshot {
  const snapshot = objectOrThrow(value, "snapshot");
  if (!Array.isArray(snapshot.components)) {
    throw new TypeError(
      `Expected snapshot.components to be an array, got ${describeValue(snapshot.components)}`,
    );
  }
  const names = new Set<string>();
  const components = snapshot.components.map((item: unknown, i: number) => {
    const report = checkReport(item, `snapshot.components[${i}]`);
    if (names.has(report.name)) {
      throw new RangeError(
        `Expected component names to be unique, got ${JSON.stringify(report.name)} twice`,
      );
    }
    names.add(report.name);
    return report;
  });
  const { components: _, ...rest } = snapshot;
  // Totals and health are recomputed over the merged components; only these are read.
  // The rest is kept, copied, for collectWorkers().
  return { ...(copied(rest, "snapshot") as unknown as RegistrySnapshot), components };
}

const OUTCOMES: readonly string[] = ["ok", "error", "timeout"];
const VERDICTS: readonly Verdict[] = ["healthy", "degraded", "unhealthy"];

/**
 * Checks one component report. Fields this version does not know pass through
 * (copied), so that a field added to reports reaches the merge table.
 */
function checkReport(value: unknown, path: string): ComponentReport {
  const report = objectOrThrow(value, path);
  if (typeof report.name !== "string" || report.name.length === 0) {
    throw new TypeError(
      `Expected ${path}.name to be a non-empty string, got ${describeValue(report.name)}`,
    );
  }
  if (typeof report.outcome !== "string" || !OUTCOMES.includes(report.outcome)) {
    throw new TypeError(
      `Expected ${path}.outcome to be "ok", "error" or "timeout", got ${describeValue(report.outcome)}`,
    );
  }
  if (typeof report.status !== "string") {
    throw new TypeError(
      `Expected ${path}.status to be a string, got ${describeValue(report.status)}`,
    );
  }
  checkHealthScore(report.healthScore);
  if (typeof report.weight !== "number" || !Number.isFinite(report.weight) || report.weight <= 0) {
    throw new TypeError(
      `Expected ${path}.weight to be a finite number > 0, got ${describeValue(report.weight)}`,
    );
  }
  if (report.reason !== undefined && typeof report.reason !== "string") {
    throw new TypeError(
      `Expected ${path}.reason to be a string, got ${describeValue(report.reason)}`,
    );
  }
  if (
    report.pendingSinceMs !== undefined &&
    (typeof report.pendingSinceMs !== "number" || !Number.isFinite(report.pendingSinceMs))
  ) {
    throw new TypeError(
      `Expected ${path}.pendingSinceMs to be a finite number, got ${describeValue(report.pendingSinceMs)}`,
    );
  }
  if (!VERDICTS.includes(report.verdict as Verdict)) {
    throw new TypeError(
      `Expected ${path}.verdict to be "healthy", "degraded" or "unhealthy", got ${describeValue(report.verdict)}`,
    );
  }
  const { reasons } = report;
  if (!Array.isArray(reasons) || !reasons.every((reason) => typeof reason === "string")) {
    throw new TypeError(
      `Expected ${path}.reasons to be an array of strings, got ${describeValue(reasons)}`,
    );
  }
  const { stats: _, recentErrors, ...rest } = report;
  const checked = copied(rest, path) as unknown as ComponentReport;
  if (report.stats !== undefined) {
    // A copy with the contract's fields only: what the merge reads has been checked.
    const stats = checkStats(report.stats, true);
    // A registry puts the report's score into its stats; another collector may not.
    stats.healthScore ??= checked.healthScore;
    checked.stats = stats as ComponentStats;
  } else if (report.outcome === "ok")
    throw new TypeError(`Expected ${path}.stats for a component collected "ok"`);
  if (recentErrors !== undefined) {
    checked.recentErrors = checkRecentErrors(copied(recentErrors, `${path}.recentErrors`), false);
    checked.recentErrors.forEach((record, i) => {
      // Records are interleaved by time: a record without one cannot be placed.
      if (typeof record.timestamp !== "number" || !Number.isFinite(record.timestamp)) {
        throw new TypeError(
          `Expected ${path}.recentErrors[${i}].timestamp to be a finite number, got ${describeValue(record.timestamp)}`,
        );
      }
    });
  }
  return checked;
}

/**
 * A structured clone of `value`, or a TypeError naming `path` when it holds what
 * cannot be cloned (a transferred port, a function).
 */
function copied(value: unknown, path: string): unknown {
  try {
    return structuredClone(value);
  } catch (error) {
    throw new TypeError(
      `Expected ${path} to hold only data that can be copied, got: ${errorMessage(error)}`,
    );
  }
}

function pairOrThrow(value: unknown, path: string): [string, unknown] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "string") {
    throw new TypeError(
      `Expected each of ${path} to be a [name, value] pair, got ${describeValue(value)}`,
    );
  }
  return [value[0], value[1]];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function objectOrThrow(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value) || Array.isArray(value)) {
    throw new TypeError(`Expected ${path} to be an object, got ${describeValue(value)}`);
  }
  return value;
}

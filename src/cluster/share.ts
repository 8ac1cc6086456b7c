import { MessagePort, parentPort } from "node:worker_threads";
import type { RegistrySnapshot } from "../registry/types.js";
import { withDeadline } from "../shared/deadline.js";
import { REGISTERED_SOURCES, TIMING_WINDOWS } from "../shared/internal-keys.js";
import { describeValue } from "../shared/validate.js";
import { errorMessage, errorType } from "../stores/error-info.js";
import {
  isRequest,
  PROTOCOL_VERSION,
  REPLY_TYPE,
  type StatsReply,
  samplesToBase64,
  type WireWindows,
} from "./protocol.js";
import type { SharedRegistry, ShareStatsOptions, StatsSharing } from "./types.js";

/**
 * How long a worker waits for one tracker's windows after its registry collected
 * it, in milliseconds. A tracker that just answered its snapshot answers this read
 * as fast; the bound only keeps a lock taken in between from holding the answer back.
 */
export const WINDOWS_TIMEOUT_MS = 1000;

/** Where requests come from and answers go. */
interface Channel {
  readonly kind: StatsSharing["channel"];
  listen(listener: (message: unknown) => void): () => void;
  send(message: StatsReply): void;
}

/**
 * Answers the primary's requests with this worker's registry: its snapshot, plus the
 * raw timing windows of every tracker in it, from which the primary's
 * {@link ClusterRegistry} computes exact percentiles over all workers.
 *
 * Call it once in each worker: a `node:cluster` worker answers over the process's
 * IPC channel, a worker thread over its `parentPort`, or pass any `MessagePort`.
 * Messages that are not the primary's requests are ignored, so the channel stays
 * free for the application's own messages. Requests that arrive while a collection
 * is in progress share it.
 *
 * @param registry - the worker's `StatisticsRegistry` (or anything with its `collect()`;
 *   then without windows, and the primary's percentiles are estimates, not exact).
 * @param options - the port to answer on.
 * @returns a handle whose `stop()` stops answering.
 * @throws TypeError for a bad argument; Error when there is no channel to a primary
 *   (neither a port, nor a worker thread, nor a process with IPC).
 * @example
 * ```ts
 * // worker.ts, in every cluster worker or worker thread
 * const registry = new StatisticsRegistry();
 * registry.register(orders);
 * shareStats(registry);
 * ```
 */
export function shareStats(
  registry: SharedRegistry,
  options: ShareStatsOptions = {},
): StatsSharing {
  if (typeof registry !== "object" || registry === null || typeof registry.collect !== "function") {
    throw new TypeError(
      `Expected \`registry\` to be a StatisticsRegistry (an object with a collect() method), got ${describeValue(registry)}`,
    );
  }
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const { port } = options;
  if (port !== undefined && !(port instanceof MessagePort)) {
    throw new TypeError(`Expected \`port\` to be a MessagePort, got ${describeValue(port)}`);
  }
  const channel = channelFor(port ?? parentPort ?? undefined);
  let stopped = false;
  let collecting: Promise<Omit<StatsReply, "id">> | undefined;
  const answer = (message: unknown): void => {
    if (stopped || !isRequest(message)) return;
    const { id } = message;
    if (collecting === undefined) {
      const current = readRegistry(registry, channel.kind).finally(() => {
        if (collecting === current) collecting = undefined;
      });
      collecting = current;
    }
    collecting.then(
      (body) => {
        if (!stopped) channel.send({ ...body, id });
      },
      (error: unknown) => {
        const reason = `${errorType(error)}: ${errorMessage(error)}`;
        if (!stopped) channel.send({ type: REPLY_TYPE, v: PROTOCOL_VERSION, id, error: reason });
      },
    );
  };
  const unlisten = channel.listen(answer);
  return {
    channel: channel.kind,
    stop() {
      if (stopped) return;
      stopped = true;
      unlisten();
    },
  };
}

function channelFor(port: MessagePort | undefined): Channel {
  if (port !== undefined) {
    return {
      kind: "port",
      listen(listener) {
        port.on("message", listener);
        return () => port.off("message", listener);
      },
      send(message) {
        try {
          port.postMessage(message);
        } catch {
          // A closed port: the primary is gone and nobody waits for the answer.
        }
      },
    };
  }
  if (typeof process.send !== "function") {
    throw new Error(
      "shareStats() found no channel to a primary: call it in a node:cluster worker (or a child process with IPC), in a worker thread, or pass `port`",
    );
  }
  return {
    kind: "process",
    listen(listener) {
      process.on("message", listener);
      return () => process.off("message", listener);
    },
    send(message) {
      if (!process.connected) return;
      try {
        // The callback takes a send that failed (the primary went away meanwhile),
        // which would otherwise be emitted as an 'error' event on process.
        process.send?.(message, undefined, {}, () => {});
      } catch {
        // The channel closed between the check and the send.
      }
    },
  };
}

/**
 * Collects the registry and reads the windows of every tracker it collected, as
 * the answer to a request (without its id). A tracker whose windows cannot be read
 * in time is sent without them (the primary's percentiles for it are then estimates).
 *
 * @param registry - what to read.
 * @param channel - where the answer goes: windows are base64 for a process channel.
 * @returns the answer.
 */
export async function readRegistry(
  registry: SharedRegistry,
  channel: Channel["kind"],
): Promise<Omit<StatsReply, "id">> {
  const snapshot: RegistrySnapshot = await registry.collect();
  const sourcesOf = (registry as { [REGISTERED_SOURCES]?: () => Map<string, unknown> })[
    REGISTERED_SOURCES
  ];
  const sources = typeof sourcesOf === "function" ? sourcesOf.call(registry) : new Map();
  const windows = await Promise.all(
    snapshot.components.map(async (report) => {
      if (report.outcome !== "ok") return undefined;
      const source = sources.get(report.name) as
        | { [TIMING_WINDOWS]?: () => Promise<Map<string, Float64Array>> }
        | undefined;
      const read = source?.[TIMING_WINDOWS];
      if (typeof read !== "function") return undefined;
      try {
        const byOperation = await withDeadline(
          () => read.call(source),
          WINDOWS_TIMEOUT_MS,
          `the windows of ${JSON.stringify(report.name)} were not read in time`,
        );
        const operations = [...byOperation].map(
          ([operation, samples]) =>
            [operation, channel === "process" ? samplesToBase64(samples) : samples] as [
              string,
              Float64Array | string,
            ],
        );
        return [report.name, operations] as WireWindows[number];
      } catch {
        return undefined;
      }
    }),
  );
  return {
    type: REPLY_TYPE,
    v: PROTOCOL_VERSION,
    snapshot,
    windows: windows.filter((entry) => entry !== undefined),
  };
}

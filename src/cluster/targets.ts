import type { Worker as ClusterWorker } from "node:cluster";
import type { MessagePort, Worker } from "node:worker_threads";
import { errorMessage, errorType } from "../stores/error-info.js";
import { type CollectRequest, PROTOCOL_VERSION, REPLY_TYPE } from "./protocol.js";
import { readRegistry } from "./share.js";
import type { SharedRegistry, WorkerInfo } from "./types.js";

/** A worker as the cluster registry talks to it, whatever carries its messages. */
export interface Target {
  readonly info: WorkerInfo;
  /**
   * The worker itself (a cluster worker, a `Worker`, a `MessagePort`, the local
   * registry): what tells two workers apart when one takes the other's key.
   */
  readonly source: object;
  /**
   * Sends a request; `failed` is called when it cannot be delivered (the worker is
   * gone or the message could not be serialised).
   */
  send(request: CollectRequest, failed: (reason: string) => void): void;
  /**
   * Listens for the worker's messages and for it leaving (exit, disconnect, a closed
   * port) until the returned function is called.
   */
  watch(onMessage: (message: unknown) => void, onGone: (reason: string) => void): () => void;
  /** Why it left, once it has. */
  leftReason(): string;
}

/** `"exited with code 1"`, `"killed by SIGKILL"`. */
export function describeExit(code: number | null, signal: string | null): string {
  if (signal !== null) return `killed by ${signal}`;
  if (code !== null) return `exited with code ${code}`;
  return "disconnected";
}

/** A `node:cluster` worker, over its process's IPC channel. */
export function clusterTarget(worker: ClusterWorker): Target {
  const info: WorkerInfo = { worker: `cluster-${worker.id}`, kind: "cluster" };
  if (worker.process.pid !== undefined) info.pid = worker.process.pid;
  return {
    info,
    source: worker,
    send(request, failed) {
      if (!worker.isConnected()) {
        failed(describeExit(worker.process.exitCode, worker.process.signalCode));
        return;
      }
      try {
        // With a callback, a failed send is reported there instead of as an 'error'
        // event on the worker, which would throw in an application without a listener.
        worker.send(request, undefined, (error: Error | null) => {
          if (error !== null) failed(`the request could not be sent: ${error.message}`);
        });
      } catch (error) {
        failed(`the request could not be sent: ${String(error)}`);
      }
    },
    watch(onMessage, onGone) {
      const exit = (code: number | null, signal: string | null) =>
        onGone(describeExit(code, signal));
      const disconnect = () => onGone("disconnected");
      worker.on("message", onMessage);
      worker.on("exit", exit);
      worker.on("disconnect", disconnect);
      return () => {
        worker.off("message", onMessage);
        worker.off("exit", exit);
        worker.off("disconnect", disconnect);
      };
    },
    leftReason: () => describeExit(worker.process.exitCode, worker.process.signalCode),
  };
}

/** A worker thread (or a message port), over `postMessage`. */
export function portTarget(
  endpoint: Worker | MessagePort,
  info: WorkerInfo,
  leftReason: () => string,
): Target {
  // A Worker says it left with 'exit', a port with 'close'.
  const goneEvent = info.kind === "thread" ? "exit" : "close";
  return {
    info,
    source: endpoint,
    send(request, failed) {
      try {
        endpoint.postMessage(request);
      } catch (error) {
        failed(`the request could not be sent: ${String(error)}`);
      }
    },
    watch(onMessage, onGone) {
      // A port's 'close' listener gets an Event, a Worker's 'exit' listener its exit code.
      const gone = (code: unknown) =>
        onGone(goneEvent === "close" ? "closed" : describeExit(code as number, null));
      endpoint.on("message", onMessage);
      endpoint.on(goneEvent, gone);
      return () => {
        endpoint.off("message", onMessage);
        endpoint.off(goneEvent, gone);
      };
    },
    leftReason,
  };
}

/**
 * A registry of the primary's own process, asked like a worker: a request reads it
 * at once and hands the answer (or the failure) to the watcher as if it had arrived
 * as a message, so the round treats it like every other worker.
 */
export function localTarget(registry: SharedRegistry, info: WorkerInfo): Target {
  let deliver: ((message: unknown) => void) | undefined;
  return {
    info,
    source: registry,
    send(request) {
      readRegistry(registry, "port").then(
        (body) => deliver?.({ ...body, id: request.id }),
        (error: unknown) =>
          deliver?.({
            type: REPLY_TYPE,
            v: PROTOCOL_VERSION,
            id: request.id,
            error: `${errorType(error)}: ${errorMessage(error)}`,
          }),
      );
    },
    watch(onMessage) {
      deliver = onMessage;
      return () => {
        deliver = undefined;
      };
    },
    leftReason: () => "removed",
  };
}

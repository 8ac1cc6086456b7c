import { errorMessage, errorType } from "../stores/error-info.js";
import type { WorkerAnswer } from "./merge-snapshots.js";
import {
  type CollectRequest,
  decodeReply,
  isReplyTo,
  PROTOCOL_VERSION,
  REQUEST_TYPE,
  WorkerError,
} from "./protocol.js";
import type { Target } from "./targets.js";

/** What one round of messages needs besides the workers. */
export interface RoundOptions {
  /** Unique per round and cluster registry: answers to other rounds are ignored. */
  readonly id: string;
  /** How long the round waits for the workers, in milliseconds. */
  readonly timeoutMs: number;
  /** The clock answer times are read from. */
  readonly now: () => number;
}

/**
 * One round of messages: sends one request to every worker and settles when each
 * has answered, failed or left, or `timeoutMs` after the start, whichever is first.
 * Never rejects: each worker's answer says how asking it went.
 *
 * One timer for the whole round, cleared as soon as the round settles, and every
 * listener removed then (async-mutex's `withTimeout` leaves its timer running). The
 * timer is not unref'd: a pending collection keeps the process alive until it
 * settles, so `await stats.collect()` in an otherwise idle script gets its answer.
 *
 * @param targets - the workers, in the order of the answers.
 * @param options - the round's id, timeout and clock.
 * @returns one answer per target, in order.
 */
export function askWorkers(
  targets: readonly Target[],
  options: RoundOptions,
): Promise<WorkerAnswer[]> {
  const { id, timeoutMs, now } = options;
  const request: CollectRequest = { type: REQUEST_TYPE, v: PROTOCOL_VERSION, id };
  const startedMs = now();
  const answers: (WorkerAnswer | undefined)[] = targets.map(() => undefined);
  if (targets.length === 0) return Promise.resolve([]);
  return new Promise((resolve) => {
    let pending = targets.length;
    const releases: (() => void)[] = [];
    const settle = (index: number, answer: Omit<WorkerAnswer, "info">): void => {
      if (answers[index] !== undefined) return;
      answers[index] = { ...answer, info: (targets[index] as Target).info };
      if (--pending > 0) return;
      clearTimeout(timer);
      for (const release of releases) release();
      resolve(answers as WorkerAnswer[]);
    };
    const timer = setTimeout(() => {
      const reason = `did not answer within ${timeoutMs} ms (busy, hung, or not calling shareStats())`;
      targets.forEach((_, index) => {
        settle(index, { outcome: "timeout", reason });
      });
    }, timeoutMs);
    const answered = (index: number, message: unknown): void => {
      if (!isReplyTo(message, id)) return;
      try {
        const reply = decodeReply(message);
        settle(index, { outcome: "ok", reply, durationMs: Math.max(0, now() - startedMs) });
      } catch (error) {
        const reason =
          error instanceof WorkerError
            ? error.message
            : `${errorType(error)}: ${errorMessage(error)}`;
        settle(index, { outcome: "error", reason });
      }
    };
    // Every listener is in place before the first request goes out, so that a round
    // settled by synchronous failures still releases all of them.
    targets.forEach((target, index) => {
      releases.push(
        target.watch(
          (message) => answered(index, message),
          (reason) => settle(index, { outcome: "exited", reason }),
        ),
      );
    });
    targets.forEach((target, index) => {
      target.send(request, (reason) => settle(index, { outcome: "exited", reason }));
    });
  });
}

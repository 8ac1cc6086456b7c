import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// vitest's workers do not run with --expose-gc; the flag can still be set at run time,
// and a fresh context then sees the `gc` global.
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void;

/** Heap in use after a full collection, in bytes. */
export function heapUsedAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/**
 * How much the heap grew while `build` ran and its result stayed reachable, in bytes.
 * The result is kept alive until the second measurement.
 */
export async function retainedBytes<T>(build: () => T | Promise<T>): Promise<number> {
  const before = heapUsedAfterGc();
  held.push(await build());
  const after = heapUsedAfterGc();
  held.length = 0;
  return after - before;
}

/** Keeps a build's result reachable while the heap is measured. */
const held: unknown[] = [];

/** A fresh `length`-character string that is not a slice of anything (seeded by `seed`). */
export function bigString(length: number, seed: number): string {
  return `${seed}:`.padEnd(length, "x");
}

export const MB = 2 ** 20;

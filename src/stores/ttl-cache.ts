import { LRUCache } from "lru-cache";
import type { Clock } from "../shared/clock.js";

/**
 * lru-cache stores each entry's start time and treats a start of 0 as "no TTL", so
 * a manual clock that starts at 0 would make entries immortal. Its clock is fed the
 * tracker's clock shifted so that readings stay far above 0 even when the tracker's
 * clock starts at 0 or steps back (by up to about 35 years).
 */
const CLOCK_OFFSET_MS = 2 ** 40;

/**
 * Keys a cache holds at most; the tracker uses two, subclasses may add their own.
 * lru-cache allocates its index for `max` entries up front: 1000 made an empty
 * tracker retain about 47 KB, 64 makes it about 11 KB.
 */
const MAX_ENTRIES = 64;

interface Entry {
  readonly value: unknown;
  readonly generation: number;
}

/**
 * A TTL cache on an injected clock whose entries are also invalidated by writes.
 *
 * Each entry is tagged with the writer's generation (a number the tracker bumps on
 * every write); a read with another generation misses. That makes invalidation on
 * the write path one integer increment instead of a cache clear.
 * An entry expires once more than `ttlMs` has passed on the clock; `ttlMs` 0
 * disables caching.
 *
 * Each call reads the clock once, before lru-cache is touched, and lru-cache sees
 * only that reading: a clock that throws (the tracker's rejects non-finite readings)
 * then fails the call before any change. Were lru-cache to read it inside `set`, a
 * throw there would leave the new entry stored with start time 0, which lru-cache
 * treats as "never expires".
 */
export class TtlCache {
  readonly #cache: LRUCache<string, Entry> | undefined;
  readonly #clock: Clock;
  /** The reading of the call in progress, the only time lru-cache sees. */
  #nowMs = 0;

  /**
   * @param ttlMs - lifetime of an entry in milliseconds (0 disables caching).
   * @param clock - the clock expiry is measured on.
   */
  constructor(ttlMs: number, clock: Clock) {
    this.#clock = clock;
    if (ttlMs === 0) return;
    const originMs = clock.now();
    this.#cache = new LRUCache<string, Entry>({
      max: MAX_ENTRIES,
      ttl: ttlMs,
      // ttlResolution 0: lru-cache would otherwise reuse one clock reading for 1 ms of
      // real time, which a manual clock cannot control.
      ttlResolution: 0,
      perf: { now: () => this.#nowMs - originMs + CLOCK_OFFSET_MS },
    });
  }

  /** False when `ttlMs` was 0: nothing is kept, every read misses. */
  get enabled(): boolean {
    return this.#cache !== undefined;
  }

  /** The value cached under `key` at `generation`, or `undefined`. */
  get<T>(key: string, generation: number): T | undefined {
    const cache = this.#cache;
    if (cache === undefined) return undefined;
    this.#read();
    const entry = cache.get(key);
    return entry !== undefined && entry.generation === generation ? (entry.value as T) : undefined;
  }

  /** Caches `value` under `key`, valid while the writer's generation stays `generation`. */
  set(key: string, value: unknown, generation: number): void {
    const cache = this.#cache;
    if (cache === undefined) return;
    this.#read();
    cache.set(key, { value, generation });
  }

  /**
   * Drops expired entries, and those cached at another generation than `generation`
   * (invalidated by a write, so never served again).
   */
  purge(generation: number): void {
    const cache = this.#cache;
    if (cache === undefined) return;
    this.#read();
    cache.purgeStale();
    for (const [key, entry] of cache.entries()) {
      if (entry.generation !== generation) cache.delete(key);
    }
  }

  /** Entries held, expired ones included until purged. */
  get size(): number {
    return this.#cache?.size ?? 0;
  }

  /** Drops every entry. */
  clear(): void {
    this.#cache?.clear();
  }

  /** Reads the clock for the call in progress; lru-cache sees this reading. */
  #read(): void {
    this.#nowMs = this.#clock.now();
  }
}

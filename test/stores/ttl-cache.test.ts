import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../src/shared/clock.js";
import { TtlCache } from "../../src/stores/ttl-cache.js";

type Op =
  | { kind: "set"; key: string; value: number; generation: number }
  | { kind: "get"; key: string; generation: number }
  | { kind: "advance"; ms: number }
  | { kind: "purge"; generation: number };

const key = fc.constantFrom("stats", "health", "user:a");
const generation = fc.integer({ min: 0, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), key, value: fc.integer(), generation }),
  fc.record({ kind: fc.constant("get" as const), key, generation }),
  fc.record({
    kind: fc.constant("advance" as const),
    ms: fc.oneof(fc.integer({ min: -50, max: 300 }), fc.constantFrom(0.5, 1)),
  }),
  fc.record({ kind: fc.constant("purge" as const), generation }),
);

describe("TtlCache", () => {
  it("behaves like a Map with start times on a manual clock (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom(0, 1_700_000_000_000),
        fc.array(op, { maxLength: 150 }),
        (ttlMs, startMs, ops) => {
          const clock = manualClock(startMs);
          const cache = new TtlCache(ttlMs, clock);
          const model = new Map<string, { value: number; generation: number; startMs: number }>();
          // An entry is fresh while at most ttlMs has passed since it was set.
          const fresh = (entry: { startMs: number }) => clock.now() - entry.startMs <= ttlMs;
          for (const step of ops) {
            switch (step.kind) {
              case "set":
                cache.set(step.key, step.value, step.generation);
                model.set(step.key, {
                  value: step.value,
                  generation: step.generation,
                  startMs: clock.now(),
                });
                break;
              case "get": {
                const entry = model.get(step.key);
                let expected: number | undefined;
                if (entry !== undefined && !fresh(entry)) model.delete(step.key);
                else if (entry !== undefined && entry.generation === step.generation) {
                  expected = entry.value;
                }
                expect(cache.get(step.key, step.generation)).toBe(expected);
                break;
              }
              case "advance":
                clock.advance(step.ms);
                break;
              case "purge":
                cache.purge(step.generation);
                for (const [k, entry] of model) {
                  if (!fresh(entry) || entry.generation !== step.generation) model.delete(k);
                }
                break;
            }
            expect(cache.size).toBe(model.size);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("expires an entry once MORE than ttl passed, on a clock starting at 0", () => {
    const clock = manualClock(0);
    const cache = new TtlCache(100, clock);
    cache.set("k", "v", 0);
    clock.advance(100);
    expect(cache.get("k", 0)).toBe("v");
    clock.advance(0.001);
    expect(cache.get("k", 0)).toBeUndefined();
  });

  it("expires on an epoch clock too and keeps entries when the clock steps back", () => {
    const clock = manualClock(1_700_000_000_000);
    const cache = new TtlCache(1000, clock);
    cache.set("k", 1, 0);
    clock.advance(-3_600_000);
    expect(cache.get("k", 0)).toBe(1);
    clock.set(1_700_000_001_001);
    expect(cache.get("k", 0)).toBeUndefined();
  });

  it("misses for another generation without dropping the entry until purged", () => {
    const clock = manualClock(0);
    const cache = new TtlCache(1000, clock);
    cache.set("k", 1, 5);
    expect(cache.get("k", 6)).toBeUndefined();
    expect(cache.get("k", 5)).toBe(1);
    cache.purge(6);
    expect(cache.size).toBe(0);
    expect(cache.get("k", 5)).toBeUndefined();
  });

  it("drops expired entries on purge and keeps fresh ones", () => {
    const clock = manualClock(0);
    const cache = new TtlCache(10, clock);
    cache.set("old", 1, 0);
    clock.advance(8);
    cache.set("new", 2, 0);
    clock.advance(5);
    expect(cache.size).toBe(2);
    cache.purge(0);
    expect(cache.size).toBe(1);
    expect(cache.get("new", 0)).toBe(2);
  });

  it("caches nothing with a ttl of 0", () => {
    const clock = manualClock(0);
    const cache = new TtlCache(0, clock);
    expect(cache.enabled).toBe(false);
    expect(new TtlCache(1, clock).enabled).toBe(true);
    cache.set("k", 1, 0);
    expect(cache.get("k", 0)).toBeUndefined();
    expect(cache.size).toBe(0);
    cache.purge(0);
    cache.clear();
    expect(cache.size).toBe(0);
  });

  it("clears every entry", () => {
    const cache = new TtlCache(1000, manualClock(0));
    cache.set("a", 1, 0);
    cache.set("b", 2, 0);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get("a", 0)).toBeUndefined();
  });
});

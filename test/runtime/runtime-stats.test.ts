/**
 * The runtime component on the real event loop: the one test file of the verdict
 * work that uses real time, since what it measures is the process itself.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { build } from "esbuild";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BaseStatisticsTracker,
  exportJson,
  formatPrometheus,
  StatisticsRegistry,
} from "../../src/index.js";
import { RuntimeStats } from "../../src/runtime/index.js";

const open: RuntimeStats[] = [];
afterEach(() => {
  for (const runtime of open.splice(0)) runtime.close();
});

function runtime(options: ConstructorParameters<typeof RuntimeStats>[0] = {}): RuntimeStats {
  const stats = new RuntimeStats(options);
  open.push(stats);
  return stats;
}

/** Keeps the event loop busy for `ms`: nothing else runs meanwhile, timers included. */
function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe("RuntimeStats", () => {
  it("is a tracker registered and exported like any component, healthy on an idle loop", async () => {
    // A generous threshold: this test is about what is reported, not about lag on a busy CI host.
    const stats = runtime({ maxEventLoopDelayMs: 1000 });
    expect(stats).toBeInstanceOf(BaseStatisticsTracker);
    expect(stats.componentName).toBe("runtime");
    await sleep(60);
    const registry = new StatisticsRegistry();
    registry.register(stats);
    const snapshot = await registry.collect();
    const [report] = snapshot.components;
    expect(report).toMatchObject({ name: "runtime", outcome: "ok", status: "active" });
    expect(report?.verdict).toBe("healthy");
    const gauges = report?.stats?.gauges ?? {};
    expect(Object.keys(gauges).sort()).toEqual([
      "event_loop_delay_max_seconds",
      "event_loop_delay_mean_seconds",
      "event_loop_delay_p50_seconds",
      "event_loop_delay_p90_seconds",
      "event_loop_delay_p99_seconds",
      "event_loop_utilization",
      "heap_limit_bytes",
      "heap_used_bytes",
      "rss_bytes",
    ]);
    for (const value of Object.values(gauges)) expect(Number.isFinite(value)).toBe(true);
    expect(gauges.event_loop_delay_p99_seconds).toBeLessThan(1);
    expect(gauges.event_loop_utilization).toBeGreaterThanOrEqual(0);
    expect(gauges.event_loop_utilization).toBeLessThanOrEqual(1);
    expect(gauges.heap_used_bytes).toBeGreaterThan(1e6);
    expect(gauges.heap_limit_bytes).toBeGreaterThan(gauges.heap_used_bytes as number);
    expect(gauges.rss_bytes).toBeGreaterThan(gauges.heap_used_bytes as number);

    const text = formatPrometheus(snapshot);
    expect(text).toMatch(/^component_stats_event_loop_delay_p99_seconds\{component="runtime"\} /m);
    expect(text).toMatch(/^component_stats_heap_used_bytes\{component="runtime"\} \d+$/m);
    expect(text).toContain('component_stats_status{component="runtime",status="active"} 1');
    expect(JSON.parse(exportJson(snapshot)).components[0].stats.gauges.rss_bytes).toBeGreaterThan(
      0,
    );
  });

  it("is degraded (status lagging) while a really blocked loop's p99 delay exceeds 200 ms, healthy once the window passed", async () => {
    // The default threshold (200 ms) over a 1.5 s window: six slices of 250 ms.
    const stats = runtime({ recentWindowMs: 1500 });
    const registry = new StatisticsRegistry();
    registry.register(stats);
    for (let i = 0; i < 3; i++) {
      block(260);
      await sleep(15);
    }
    const snapshot = await registry.collect();
    const [report] = snapshot.components;
    const gauges = report?.stats?.gauges ?? {};
    expect(gauges.event_loop_delay_max_seconds).toBeGreaterThanOrEqual(0.23);
    expect(gauges.event_loop_delay_p99_seconds).toBeGreaterThan(0.2);
    expect(gauges.event_loop_utilization).toBeGreaterThan(0.5);
    expect(report).toMatchObject({
      status: "lagging",
      verdict: "degraded",
      reasons: ['status "lagging"'],
    });
    // Degraded still serves: /health answers 200.
    expect(snapshot.health).toMatchObject({ verdict: "degraded", healthy: true });

    // Once the window has slid past the blocks, the loop is healthy again.
    await sleep(1800);
    const [later] = (await registry.collect()).components;
    expect(later?.stats?.gauges.event_loop_delay_max_seconds).toBeLessThan(0.2);
    expect(later).toMatchObject({ status: "active", verdict: "healthy" });
  });

  it("times garbage-collection pauses by kind", async () => {
    const stats = runtime();
    let keep: unknown[] = [];
    for (let round = 0; round < 20; round++) {
      keep = Array.from({ length: 50_000 }, (_, i) => ({ i, s: `x${i}` }));
    }
    expect(keep).toHaveLength(50_000);
    await sleep(20); // observers are called after the current task
    const timings = (await stats.getStats()).performanceMetrics;
    expect(timings.gc_minor?.count).toBeGreaterThan(0);
    for (const operation of Object.keys(timings)) {
      expect(["gc_minor", "gc_major", "gc_incremental", "gc_weakcb", "gc_other"]).toContain(
        operation,
      );
    }
  });

  it("releases its timer, sampler and observer on close(), keeping the last numbers", async () => {
    const clear = vi.spyOn(globalThis, "clearInterval");
    const set = vi.spyOn(globalThis, "setInterval");
    try {
      const stats = runtime({ recentWindowMs: 60_000 });
      const timer = set.mock.results.at(-1)?.value as NodeJS.Timeout;
      expect(timer.hasRef()).toBe(false); // never keeps the process alive
      await sleep(30);
      stats.close();
      stats.close(); // idempotent
      expect(clear).toHaveBeenCalledWith(timer);
      expect(clear).toHaveBeenCalledTimes(1);

      const before = await stats.getStats();
      block(250); // no longer sampled
      let keep: unknown[] = [];
      for (let round = 0; round < 20; round++) keep = Array.from({ length: 50_000 }, (_, i) => [i]);
      expect(keep).toHaveLength(50_000);
      await sleep(20);
      const after = await stats.getStats();
      expect(after.gauges.event_loop_delay_max_seconds).toBeLessThan(0.25);
      expect(after.status).toBe("active");
      expect(after.performanceMetrics).toEqual(before.performanceMetrics); // no pause recorded
    } finally {
      clear.mockRestore();
      set.mockRestore();
    }
  });

  it("takes a name and any tracker option, and rejects bad options naming them", () => {
    const stats = runtime({ name: "process", maxErrors: 5, recentWindowMs: 10_000 });
    expect(stats.componentName).toBe("process");
    expect(stats.maxEventLoopDelayMs).toBe(200);
    expect(() => new RuntimeStats(null as never)).toThrow(/`options` to be an object/);
    expect(() => new RuntimeStats({ maxEventLoopDelayMs: 0 })).toThrow(
      /`maxEventLoopDelayMs` to be a number > 0/,
    );
    expect(() => new RuntimeStats({ resolutionMs: 0.5 })).toThrow(RangeError);
    expect(() => new RuntimeStats({ gc: "yes" as never })).toThrow(/`gc` to be a boolean/);
    expect(() => new RuntimeStats({ name: "" })).toThrow(/componentName/);
  });

  it("takes every option given as undefined for its default", () => {
    const set = vi.spyOn(globalThis, "setInterval");
    try {
      const defaults = runtime();
      const defaultDelay = set.mock.calls.at(-1)?.[1];
      const stats = runtime({
        name: undefined,
        maxEventLoopDelayMs: undefined,
        resolutionMs: undefined,
        gc: undefined,
        recentWindowMs: undefined,
        cacheTtlMs: undefined,
        clock: undefined,
      });
      expect(set.mock.calls.at(-1)?.[1]).toBe(defaultDelay);
      expect(stats.componentName).toBe(defaults.componentName);
      expect(stats.componentName).toBe("runtime");
      expect(stats.maxEventLoopDelayMs).toBe(200);
    } finally {
      set.mockRestore();
    }
  });

  it("is not loaded by the package root, which imports no Node built-in for it", async () => {
    const result = await build({
      entryPoints: [new URL("../../src/index.ts", import.meta.url).pathname],
      bundle: true,
      write: false,
      metafile: true,
      platform: "node",
      format: "esm",
      external: ["async-mutex", "lru-cache"],
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes("src/index.ts"))).toBe(true);
    expect(inputs.filter((path) => path.includes("src/runtime/"))).toEqual([]);
    const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
    for (const builtin of ["node:perf_hooks", "node:v8", "perf_hooks", "v8"]) {
      expect(imports.map((i) => i.path)).not.toContain(builtin);
    }
  });
});

import { fork } from "node:child_process";
import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import {
  decodeReply,
  REPLY_TYPE,
  REQUEST_TYPE,
  type StatsReply,
} from "../../src/cluster/protocol.js";
import { readRegistry, shareStats } from "../../src/cluster/share.js";
import { StatisticsRegistry } from "../../src/registry/registry.js";
import type { RegistrySnapshot } from "../../src/registry/types.js";
import { BaseStatisticsTracker } from "../../src/tracker/tracker.js";
import { nextMessage, until } from "./support.js";

const CHILD = new URL("./fixtures/child.ts", import.meta.url);

async function registryWith(samples: readonly number[]): Promise<StatisticsRegistry> {
  const registry = new StatisticsRegistry();
  const tracker = new BaseStatisticsTracker("api");
  registry.register(tracker);
  for (const value of samples) await tracker.recordTiming("get", value);
  return registry;
}

describe("shareStats over a MessagePort", () => {
  it("answers a request with its snapshot and each tracker's windows, ascending", async () => {
    const { port1, port2 } = new MessageChannel();
    const sharing = shareStats(await registryWith([3, 1, 2]), { port: port1 });
    expect(sharing.channel).toBe("port");
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "r1" });
    const reply = await nextMessage<StatsReply>(port2, REPLY_TYPE);
    expect(reply.id).toBe("r1");
    const decoded = decodeReply(reply);
    expect(decoded.snapshot.components.map((c) => c.name)).toEqual(["api"]);
    expect([...(decoded.windows.get("api")?.get("get") ?? [])]).toEqual([1, 2, 3]);
    sharing.stop();
    port1.close();
  });

  it("ignores every other message, and answers nothing once stopped", async () => {
    const { port1, port2 } = new MessageChannel();
    const sharing = shareStats(await registryWith([1]), { port: port1 });
    const seen: unknown[] = [];
    port2.on("message", (message) => seen.push(message));
    for (const message of [
      null,
      42,
      "component-stats:collect",
      { type: "app" },
      { type: REQUEST_TYPE },
      { type: REQUEST_TYPE, id: "x".repeat(300) },
    ]) {
      port2.postMessage(message);
    }
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "last" });
    await nextMessage(port2, REPLY_TYPE);
    expect(seen.map((m) => (m as StatsReply).id)).toEqual(["last"]);
    sharing.stop();
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "after" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(seen).toHaveLength(1);
    port1.close();
  });

  it("answers requests that arrive during one collection with that collection", async () => {
    let collections = 0;
    let release = (): void => {};
    const registry = {
      collect: async (): Promise<RegistrySnapshot> => {
        collections++;
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return (await registryWith([1])).collect();
      },
    };
    const { port1, port2 } = new MessageChannel();
    const sharing = shareStats(registry, { port: port1 });
    const replies: StatsReply[] = [];
    port2.on("message", (message) => replies.push(message));
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "a" });
    port2.postMessage({ type: "app" });
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "b" });
    port2.postMessage({ type: "app" });
    const app = await nextMessage(port1, "app");
    await nextMessage(port1, "app");
    expect(app).toEqual({ type: "app" });
    release();
    await until(() => replies.length === 2);
    expect(collections).toBe(1);
    expect(replies.map((r) => r.id)).toEqual(["a", "b"]);
    // A registry that is not a StatisticsRegistry has no windows to send.
    expect(replies[0]?.windows).toEqual([]);
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "c" });
    await until(() => collections === 2);
    release();
    await nextMessage(port2, REPLY_TYPE);
    expect(collections).toBe(2);
    sharing.stop();
    port1.close();
  });

  it("answers a failed collection with its reason", async () => {
    const { port1, port2 } = new MessageChannel();
    const sharing = shareStats(
      { collect: () => Promise.reject(new RangeError("clock broke")) },
      { port: port1 },
    );
    port2.postMessage({ type: REQUEST_TYPE, v: 1, id: "r" });
    const reply = await nextMessage<StatsReply>(port2, REPLY_TYPE);
    expect(reply.error).toBe("RangeError: clock broke");
    expect(() => decodeReply(reply)).toThrow("RangeError: clock broke");
    sharing.stop();
    port1.close();
  });

  it("rejects bad arguments naming them, and a process without a channel", () => {
    expect(() => shareStats(null as never)).toThrow(/`registry`/);
    expect(() => shareStats({} as never)).toThrow(TypeError);
    expect(() => shareStats({ collect: async () => ({}) as never }, null as never)).toThrow(
      /`options`/,
    );
    expect(() => shareStats({ collect: async () => ({}) as never }, { port: {} as never })).toThrow(
      /`port` to be a MessagePort/,
    );
  });
});

describe("readRegistry", () => {
  it("sends windows as base64 for a process channel, Float64Arrays for a port", async () => {
    const registry = await registryWith([0.1, 0.30000000000000004, 1e-300]);
    const binary = await readRegistry(registry, "port");
    const text = await readRegistry(registry, "process");
    const fromPort = decodeReply({ ...binary, id: "x" });
    const fromProcess = decodeReply({ ...text, id: "x" });
    expect(typeof text.windows?.[0]?.[1][0]?.[1]).toBe("string");
    expect([...(fromProcess.windows.get("api")?.get("get") ?? [])]).toEqual([
      1e-300, 0.1, 0.30000000000000004,
    ]);
    expect(fromProcess.windows).toEqual(fromPort.windows);
  });

  it("sends no windows for a component that was not collected", async () => {
    const registry = new StatisticsRegistry({ componentTimeoutMs: 20 });
    registry.register({
      componentName: "hung",
      increment: async () => {},
      setGauge: async () => {},
      recordTiming: async () => {},
      trackError: async () => {},
      getStats: () => new Promise(() => {}),
      getHealthScore: async () => 100,
    } as never);
    const body = await readRegistry(registry, "port");
    expect(body.snapshot?.components[0]?.outcome).toBe("timeout");
    expect(body.windows).toEqual([]);
  });
});

describe("shareStats in a child process with IPC", () => {
  it("answers over the process channel, and the child exits once it stops", async () => {
    const child = fork(CHILD, {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const exit = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const ready = await nextMessage<{ channel: string }>(child, "fixture:ready");
    expect(ready.channel).toBe("process");
    child.send({ type: REQUEST_TYPE, v: 1, id: "p1" });
    const decoded = decodeReply(await nextMessage<StatsReply>(child, REPLY_TYPE));
    expect([...(decoded.windows.get("child")?.get("op") ?? [])]).toEqual([1e-7, 0.1, 2.5, 3]);
    expect(decoded.snapshot.components[0]?.stats?.performanceMetrics.op?.count).toBe(5);
    child.send({ type: "fixture:stop" });
    expect(await exit).toBe(0);
  });
});

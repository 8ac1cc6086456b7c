import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { REQUEST_TYPE } from "../../src/cluster/protocol.js";
import { describeExit, localTarget, portTarget } from "../../src/cluster/targets.js";
import { StatisticsRegistry } from "../../src/registry/registry.js";
import { nextMessage, until } from "./support.js";

describe("describeExit", () => {
  it("names the signal, else the code, else a disconnect", () => {
    expect(describeExit(null, "SIGKILL")).toBe("killed by SIGKILL");
    expect(describeExit(1, null)).toBe("exited with code 1");
    expect(describeExit(null, null)).toBe("disconnected");
  });
});

describe("portTarget", () => {
  it("sends requests, hands over messages while watched, and says when the port closes", async () => {
    const { port1, port2 } = new MessageChannel();
    const target = portTarget(port1, { worker: "port-1", kind: "port" }, () => "closed");
    const messages: unknown[] = [];
    const gone: string[] = [];
    const stop = target.watch(
      (message) => messages.push(message),
      (reason) => gone.push(reason),
    );
    target.send({ type: REQUEST_TYPE, v: 1, id: "a" }, () => {
      throw new Error("not expected to fail");
    });
    expect(await nextMessage(port2, REQUEST_TYPE)).toEqual({ type: REQUEST_TYPE, v: 1, id: "a" });
    port2.postMessage({ type: "reply" });
    await until(() => messages.length === 1);
    stop();
    port2.postMessage({ type: "late" });
    const stopAgain = target.watch(
      () => {},
      (reason) => gone.push(reason),
    );
    port2.close();
    await until(() => gone.length === 1);
    expect(gone).toEqual(["closed"]);
    expect(messages).toEqual([{ type: "reply" }]);
    stopAgain();
    expect(target.leftReason()).toBe("closed");
  });

  it("reports a request that cannot be serialised as a failed send", () => {
    const { port1 } = new MessageChannel();
    const target = portTarget(port1, { worker: "port-1", kind: "port" }, () => "closed");
    const failures: string[] = [];
    target.send({ type: REQUEST_TYPE, v: 1, id: "a", fn: () => {} } as never, (reason) =>
      failures.push(reason),
    );
    expect(failures).toEqual([expect.stringContaining("could not be sent")]);
    port1.close();
  });
});

describe("localTarget", () => {
  it("answers a request by reading the registry, as a message to its watcher", async () => {
    const target = localTarget(new StatisticsRegistry(), { worker: "primary", kind: "primary" });
    const messages: { id?: string; snapshot?: unknown }[] = [];
    const stop = target.watch(
      (message) => messages.push(message as never),
      () => {},
    );
    target.send({ type: REQUEST_TYPE, v: 1, id: "r" }, () => {});
    await until(() => messages.length === 1);
    expect(messages[0]).toMatchObject({ id: "r", snapshot: { components: [] } });
    stop();
    target.send({ type: REQUEST_TYPE, v: 1, id: "late" }, () => {});
    await new Promise((resolve) => setImmediate(resolve));
    expect(messages).toHaveLength(1);
    expect(target.leftReason()).toBe("removed");
  });

  it("answers a registry that fails with its reason", async () => {
    const target = localTarget(
      { collect: () => Promise.reject(new TypeError("nope")) },
      { worker: "primary", kind: "primary" },
    );
    const messages: { error?: string }[] = [];
    target.watch(
      (message) => messages.push(message as never),
      () => {},
    );
    target.send({ type: REQUEST_TYPE, v: 1, id: "r" }, () => {});
    await until(() => messages.length === 1);
    expect(messages[0]?.error).toBe("TypeError: nope");
  });
});

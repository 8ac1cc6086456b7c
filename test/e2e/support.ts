import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { createServer } from "node:net";

/** The binary at `path` when it exists and is executable, else `undefined`. */
export function executable(path: string): string | undefined {
  try {
    accessSync(path, constants.X_OK);
    return path;
  } catch {
    return undefined;
  }
}

/** Where the Prometheus server is looked for: `$PROMETHEUS_BIN`, else Debian's. */
export const PROMETHEUS_PATH = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
/** Where Chromium is looked for: `$CHROMIUM_BIN`, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";
/** The Prometheus server, when it is installed. */
export const PROMETHEUS_BIN = executable(PROMETHEUS_PATH);
/** Chromium, when it is installed. */
export const CHROMIUM_BIN = executable(CHROMIUM_PATH);

/** Says once, on stderr, why a suite is skipped; returns the suite's title. */
export function titleOrSkip(title: string, binary: string | undefined, hint: string): string {
  if (binary !== undefined) return title;
  const message = `SKIPPED: ${hint}`;
  console.warn(`[e2e] ${title}: ${message}`);
  return `${title} (${message})`;
}

/** A free TCP port on 127.0.0.1, found by binding port 0 and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Calls `probe` every `intervalMs` until it returns a value other than `undefined`,
 * or rejects after `timeoutMs` with `what` and the last failure: every wait is bounded.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  { timeoutMs = 15_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`,
  );
}

/** Stops a child process: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopProcess(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Spawns a process whose stdout and stderr are kept (the last 64 KiB) for failure messages. */
export function spawnLogged(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): { child: ChildProcess; output: () => string } {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-65_536);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { child, output: () => output };
}

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const fixture = fileURLToPath(new URL("./fixtures/hung-render.ts", import.meta.url));
const root = fileURLToPath(new URL("../../", import.meta.url));

function run(script: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script], { cwd: root });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("a collection in an otherwise idle process", () => {
  it("settles with the timeout report of a component that never answers, and the process exits 0", async () => {
    const { code, stdout, stderr } = await run(fixture);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines.some((l) => l.includes('component="stuck"') && l.includes('"timeout"'))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('component="answers"'))).toBe(true);
  });
});

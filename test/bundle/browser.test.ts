/**
 * The package root in a browser (issue 14 item 3): a tracker-only app and an app that
 * keeps every root export are bundled with esbuild for `platform: "browser"` from the
 * package as `npm run build` builds it, their sizes are reported, and they run in
 * headless Chromium under `Content-Security-Policy: script-src 'self'`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build as bundle, type Metafile } from "esbuild";
import { type Browser, chromium } from "playwright-core";
import { build as buildPackage } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import tsupConfig from "../../tsup.config.js";
import { CHROMIUM_BIN, CHROMIUM_PATH, titleOrSkip, waitFor } from "../e2e/support.js";
import { type Served, serve } from "../http/serve.js";

const ROOT = join(import.meta.dirname, "../..");
const KIB = 1024;
/**
 * The issue's aim was 45 KB; with lifetime histograms, the recent-activity window and
 * overflow-safe sums the tracker-only app is about 52 KB (18.2 KB of it lru-cache, a
 * dependency the brief fixes). This ceiling catches growth from here on. It was 52 KiB
 * until the app reached 53,234 bytes; it is 53 KiB since the hardening that followed:
 * onError handlers that reject or call the tracker back, and a sanitiser that keeps no
 * value under a key it cuts (so export-time redaction can never miss a secret).
 */
const TRACKER_ONLY_LIMIT_BYTES = 53 * KIB;
const CSP = "script-src 'self'";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** Loaded before each app: how apps report to the test, and a watch for CSP violations. */
const WATCH_JS = `"use strict";
window.report = function (key, value) { document.body.setAttribute("data-" + key, String(value)); };
var violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  violations.push(event.violatedDirective + " " + event.blockedURI);
  document.body.setAttribute("data-violations", JSON.stringify(violations));
});`;

const APPS = ["tracker-only", "everything", "eval-control"] as const;
type App = (typeof APPS)[number];

interface Bundled {
  code: string;
  bytes: number;
  gzipBytes: number;
  /** Bytes in the output per package: `component-stats`, `lru-cache`, `async-mutex`. */
  byPackage: Record<string, number>;
}

const kib = (bytes: number) => `${(bytes / KIB).toFixed(1)} KB`;

function bytesByPackage(metafile: Metafile): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, input] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? "component-stats";
      totals[name] = (totals[name] ?? 0) + input.bytesInOutput;
    }
  }
  return totals;
}

describe("the package root bundled for a browser", () => {
  const scratch = mkdtempSync(join(tmpdir(), "browser-bundle-"));
  const bundles = new Map<App, Bundled>();

  beforeAll(async () => {
    // The root entry exactly as `npm run build` builds it (the repository's tsup config),
    // ESM only, into a scratch directory: the test never depends on a stale dist/.
    await buildPackage({
      ...tsupConfig,
      config: false,
      entry: { index: join(ROOT, "src/index.ts") },
      outDir: scratch,
      format: ["esm"],
      dts: false,
      sourcemap: false,
      clean: false,
      silent: true,
    });
    for (const app of APPS) {
      const result = await bundle({
        entryPoints: [join(ROOT, "test/bundle/apps", `${app}.ts`)],
        bundle: true,
        minify: true,
        platform: "browser",
        format: "iife",
        write: false,
        metafile: true,
        logLevel: "silent",
        alias: { "component-stats": join(scratch, "index.js") },
        // The built package lives outside the repository; its dependencies do not.
        nodePaths: [join(ROOT, "node_modules")],
      });
      const code = result.outputFiles[0]?.text ?? "";
      bundles.set(app, {
        code,
        bytes: Buffer.byteLength(code),
        gzipBytes: gzipSync(code).byteLength,
        byPackage: bytesByPackage(result.metafile),
      });
    }
    const report = (app: App) => {
      const b = bundles.get(app) as Bundled;
      const parts = Object.entries(b.byPackage)
        .sort(([, x], [, y]) => y - x)
        .map(([name, bytes]) => `${name} ${kib(bytes)}`)
        .join(", ");
      return `${kib(b.bytes)} minified, ${kib(b.gzipBytes)} gzip (${parts})`;
    };
    console.info(`[bundle] tracker-only app, browser: ${report("tracker-only")}`);
    console.info(`[bundle] every root export, browser: ${report("everything")}`);
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("bundles a tracker-only app within its 53 KB ceiling, with nothing of the dashboard", () => {
    const tracker = bundles.get("tracker-only") as Bundled;
    expect(
      tracker.bytes,
      `tracker-only bundle is ${kib(tracker.bytes)}, ceiling ${kib(TRACKER_ONLY_LIMIT_BYTES)}`,
    ).toBeLessThanOrEqual(TRACKER_ONLY_LIMIT_BYTES);
    expect(tracker.byPackage["lru-cache"]).toBeGreaterThan(0);
    expect(tracker.byPackage["async-mutex"]).toBeGreaterThan(0);
    // The page, its stylesheet and its CSP stay out of a bundle that does not serve them.
    for (const marker of ["default-src", "sha256-", "data-poll-interval-ms", ".card{"]) {
      expect(tracker.code).not.toContain(marker);
    }
  });

  it("bundles every root export for the browser, the dashboard included", () => {
    const everything = bundles.get("everything") as Bundled;
    expect(everything.code).toContain("default-src 'none'");
    expect(everything.bytes).toBeGreaterThan((bundles.get("tracker-only") as Bundled).bytes);
  });

  describe(
    titleOrSkip(
      "in headless Chromium under script-src 'self'",
      CHROMIUM_BIN,
      `no executable Chromium at ${CHROMIUM_PATH} (set $CHROMIUM_BIN to another path)`,
    ),
    () => {
      let browser: Browser | undefined;
      let served: Served | undefined;

      beforeAll(async () => {
        if (CHROMIUM_BIN === undefined) return;
        served = await serve((req: IncomingMessage, res: ServerResponse) => {
          const path = req.url ?? "/";
          const app = APPS.find((name) => path === `/${name}.html` || path === `/${name}.js`);
          let type = "text/javascript";
          let body: string | undefined;
          if (path === "/watch.js") body = WATCH_JS;
          else if (app !== undefined && path.endsWith(".js")) body = bundles.get(app)?.code;
          else if (app !== undefined) {
            type = "text/html; charset=utf-8";
            body = `<!doctype html><html><head><meta charset="utf-8"><title>${app}</title><link rel="icon" href="data:,"></head><body><script src="/watch.js"></script><script src="/${app}.js"></script></body></html>`;
          }
          res.statusCode = body === undefined ? 404 : 200;
          res.setHeader("Content-Type", type);
          res.setHeader("Content-Security-Policy", CSP);
          res.end(body);
        });
        browser = await chromium.launch({
          executablePath: CHROMIUM_BIN,
          args: CHROMIUM_ARGS,
          timeout: 20_000,
        });
      });

      afterAll(async () => {
        await browser?.close();
        await served?.close();
      });

      /** Opens an app's page and returns what it reported, its console errors and violations. */
      async function run(app: App) {
        const page = await (browser as Browser).newPage();
        const problems: string[] = [];
        page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
        page.on("console", (message) => {
          if (message.type() === "error") problems.push(`console: ${message.text()}`);
        });
        const response = await page.goto(`${served?.origin}/${app}.html`, { waitUntil: "load" });
        expect(response?.headers()["content-security-policy"]).toBe(CSP);
        const read = (name: string) =>
          page.evaluate(`document.body.getAttribute(${JSON.stringify(`data-${name}`)})`) as Promise<
            string | null
          >;
        await waitFor(`${app} to finish`, async () =>
          (await read("done")) !== null || (await read("error")) !== null ? true : undefined,
        );
        // A violation event is queued as a task; give it a turn before reading.
        await page.evaluate("new Promise((resolve) => setTimeout(resolve, 50))");
        const reported = {
          error: await read("error"),
          violations: await read("violations"),
          read,
        };
        return { page, problems, ...reported };
      }

      it.skipIf(CHROMIUM_BIN === undefined)(
        "runs the tracker-only app: a fresh tracker on a manual clock scores exactly 54",
        async () => {
          const { page, problems, error, violations, read } = await run("tracker-only");
          expect(error).toBeNull();
          expect(Number(await read("fresh-score"))).toBe(54);
          expect(JSON.parse((await read("live")) ?? "{}")).toEqual({
            status: "connected",
            requests: 3,
            calls: 1,
            timed: 1,
            errors: 1,
            stamped: true,
          });
          expect(violations).toBeNull();
          expect(problems).toEqual([]);
          await page.close();
        },
      );

      it.skipIf(CHROMIUM_BIN === undefined)(
        "loads every root export without a violation or an error",
        async () => {
          const { page, problems, error, violations, read } = await run("everything");
          expect(error).toBeNull();
          const exports = (await read("exports"))?.split(",") ?? [];
          for (const name of [
            "BaseStatisticsTracker",
            "StatisticsRegistry",
            "createStatsHandler",
          ]) {
            expect(exports).toContain(name);
          }
          expect(violations).toBeNull();
          expect(problems).toEqual([]);
          await page.close();
        },
      );

      it.skipIf(CHROMIUM_BIN === undefined)(
        "sees a violation where there is one: code generation is refused (control)",
        async () => {
          const { page, violations, read } = await run("eval-control");
          expect(await read("evaluated")).toBeNull();
          expect(await read("refused")).toBe("EvalError");
          expect(JSON.parse(violations ?? "[]")).toEqual([expect.stringMatching(/^script-src/)]);
          await page.close();
        },
      );
    },
  );
});

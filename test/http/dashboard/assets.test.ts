import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import {
  ASSETS_MODULE,
  assetsModule,
  buildDashboardAssets,
} from "../../../scripts/build-dashboard.js";
import {
  DASHBOARD_CSP,
  DASHBOARD_SCRIPT,
  DASHBOARD_STYLE,
} from "../../../src/http/dashboard/assets.generated.js";

const ROOT = join(import.meta.dirname, "../../..");
const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");
const scratch = mkdtempSync(join(tmpdir(), "dashboard-assets-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("the generated dashboard assets", () => {
  it("are what scripts/build-dashboard.ts builds from the page's sources now (run `npm run build:dashboard` if not)", async () => {
    const fresh = assetsModule(await buildDashboardAssets());
    const committed = readFileSync(join(ROOT, ASSETS_MODULE), "utf8");
    expect(committed === fresh, `${ASSETS_MODULE} is stale: run \`npm run build:dashboard\``).toBe(
      true,
    );
  });

  it("hold a CSP that allows exactly the script and stylesheet they hold", () => {
    expect(DASHBOARD_CSP).toContain(`script-src 'sha256-${sha256(DASHBOARD_SCRIPT)}'`);
    expect(DASHBOARD_CSP).toContain(`style-src 'sha256-${sha256(DASHBOARD_STYLE)}'`);
    expect(DASHBOARD_SCRIPT.length).toBeGreaterThan(10_000); // the bundled page, not a stub
    expect(DASHBOARD_STYLE).toContain(".card");
  });

  it("are byte-identical in an ESM and a CommonJS build of the dashboard module", async () => {
    const pages: Record<string, { html: string; csp: string }> = {};
    for (const format of ["esm", "cjs"] as const) {
      const outfile = join(scratch, `dashboard.${format === "esm" ? "mjs" : "cjs"}`);
      const result = await build({
        entryPoints: [join(ROOT, "src/http/dashboard.ts")],
        bundle: true,
        format,
        platform: "neutral",
        write: false,
        logLevel: "silent",
      });
      writeFileSync(outfile, result.outputFiles[0]?.text ?? "");
      const module = (
        format === "esm"
          ? await import(pathToFileURL(outfile).href)
          : createRequire(import.meta.url)(outfile)
      ) as typeof import("../../../src/http/dashboard.js");
      pages[format] = {
        html: module.renderDashboard({ title: "t", pollIntervalMs: 1000, historyMs: 60_000 }),
        csp: module.DASHBOARD_CSP,
      };
    }
    expect(pages.esm?.html).toContain(`<script>${DASHBOARD_SCRIPT}</script>`);
    expect(pages.cjs?.html).toBe(pages.esm?.html);
    expect(pages.cjs?.csp).toBe(DASHBOARD_CSP);
    expect(pages.esm?.csp).toBe(DASHBOARD_CSP);
  });
});

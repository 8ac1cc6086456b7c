import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DASHBOARD_SCRIPT, DASHBOARD_STYLE } from "../../src/http/dashboard/assets.generated.js";
import { DASHBOARD_CSP, escapeHtml, renderDashboard } from "../../src/http/dashboard.js";

const settings = { title: "component-stats", pollIntervalMs: 1000, historyMs: 300_000 };
const sha256 = (text: string) => createHash("sha256").update(text).digest("base64");

describe("renderDashboard", () => {
  it("inlines exactly the script and style whose hashes the CSP allows", () => {
    const html = renderDashboard(settings);
    expect(html).toContain(`<script>${DASHBOARD_SCRIPT}</script>`);
    expect(html).toContain(`<style>${DASHBOARD_STYLE}</style>`);
    expect(DASHBOARD_CSP).toContain(`'sha256-${sha256(DASHBOARD_SCRIPT)}'`);
    expect(DASHBOARD_CSP).toContain(`'sha256-${sha256(DASHBOARD_STYLE)}'`);
    expect(DASHBOARD_CSP).toMatch(/default-src 'none'/);
    expect(DASHBOARD_CSP).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
  });

  it("ships a script that parses and cannot end its own script element early", () => {
    expect(() => new Function(DASHBOARD_SCRIPT)).not.toThrow();
    expect(DASHBOARD_SCRIPT.toLowerCase()).not.toContain("</script");
    expect(DASHBOARD_STYLE.toLowerCase()).not.toContain("</style");
  });

  // What the browser runs, checked as shipped (the bundled script, not its sources):
  // one fetch (of `statsUrl`, tested in dashboard/polling.test.ts) and no HTML sinks.
  it("ships a script with one fetch that never writes server data as HTML", () => {
    expect(DASHBOARD_SCRIPT.match(/fetch\(/g)).toHaveLength(1);
    expect(DASHBOARD_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    expect(renderDashboard(settings)).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
  });

  it("escapes the title and passes the settings as data attributes", () => {
    const html = renderDashboard({ ...settings, title: `<img src=x onerror="alert(1)">&'` });
    expect(html).toContain(
      "<title>&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;&#39;</title>",
    );
    expect(html).not.toContain("<img");
    expect(html).toContain('data-poll-interval-ms="1000"');
    expect(html).toContain('data-history-ms="300000"');
  });
});

describe("escapeHtml", () => {
  it("escapes the five characters that matter in text and quoted attributes", () => {
    expect(escapeHtml(`a<b>&"c'`)).toBe("a&lt;b&gt;&amp;&quot;c&#39;");
    expect(escapeHtml("plain")).toBe("plain");
  });
});

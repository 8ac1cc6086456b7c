import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by its name, as a user would; tests run them from source.
    alias: {
      "component-stats/opentelemetry": src("export/opentelemetry.ts"),
      "component-stats/runtime": src("runtime/index.ts"),
      "component-stats/cluster": src("cluster/index.ts"),
      "component-stats": src("index.ts"),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Fails a test whose tracker calls fail unreported (a ComponentStatsWarning each).
    setupFiles: ["test/setup/call-warnings.ts"],
    testTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      // The page's DOM code runs only in a browser: test/e2e/dashboard.test.ts drives it
      // in Chromium. Its logic lives in src/http/dashboard/*.ts, which is counted here.
      exclude: ["src/http/dashboard/page/**"],
      reporter: ["text-summary", "text"],
      thresholds: { statements: 90, branches: 90, functions: 90, lines: 90 },
    },
  },
});

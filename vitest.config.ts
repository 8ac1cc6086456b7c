import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by its name, as a user would; tests run them from source.
    alias: {
      "component-stats/opentelemetry": src("export/opentelemetry.ts"),
      "component-stats/cluster": src("cluster/index.ts"),
      "component-stats": src("index.ts"),
    },
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.ts"],
      reporter: ["text-summary", "text"],
      thresholds: { statements: 90, branches: 90, functions: 90, lines: 90 },
    },
  },
});

import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    opentelemetry: "src/export/opentelemetry.ts",
    cluster: "src/cluster/index.ts",
  },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "node20",
  splitting: false,
  treeshake: true,
});

import { defineConfig } from "tsup";

export default defineConfig({
  entry: {
    index: "src/index.ts",
    opentelemetry: "src/export/opentelemetry.ts",
    runtime: "src/runtime/index.ts",
    cluster: "src/cluster/index.ts",
  },
  // The runtime entry imports the root by the package's own name, so that it shares
  // the root's classes instead of bundling copies of them.
  external: ["component-stats"],
  format: ["esm", "cjs"],
  // Declarations come from scripts/build-types.mjs: one file per module, real names.
  dts: false,
  clean: true,
  sourcemap: true,
  target: "node20",
  splitting: false,
  treeshake: true,
});

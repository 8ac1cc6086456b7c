/**
 * The package as its users get it (issue 14 item 4): `npm pack`ed from what
 * `npm run build` wrote, unpacked into a scratch `node_modules`, and type-checked
 * from small consumer projects under each module resolution TypeScript users have:
 * NodeNext ESM, NodeNext CommonJS (`require`), a bundler, and `"module": "commonjs"`
 * with the default node10 resolution (which sees the subpaths through
 * `typesVersions`). Each consumer is strict, with `exactOptionalPropertyTypes`, and
 * passes every option of every options type as `undefined`. Go-to-definition is
 * checked with the compiler's own checker: the symbols land in dist/types, one file
 * per module, with their real names.
 */
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const ENTRY_TYPES = join(ROOT, "dist/types/index.d.ts");

interface PackageJson {
  exports: Record<string, string | { import: { types: string }; require: { types: string } }>;
  typesVersions: Record<string, Record<string, string[]>>;
  types: string;
}
const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as PackageJson;

/** The newest modification time of the files under `dir` (ms), for the staleness check. */
function newestMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Where the names used in {@link BODY} must be declared, relative to the package. */
const DEFINITIONS = {
  BaseStatisticsTracker: "dist/types/tracker/tracker.d.ts",
  StatisticsRegistry: "dist/types/registry/registry.d.ts",
  createFetchHandler: "dist/types/http/fetch-handler.d.ts",
  TrackerOptions: "dist/types/tracker/options.d.ts",
  createMetricProducer: "dist/types/export/opentelemetry.d.ts",
  RuntimeStats: "dist/types/runtime/runtime-stats.d.ts",
  ClusterRegistry: "dist/types/cluster/cluster-registry.d.ts",
} as const;

/**
 * What every consumer compiles, after its own imports of the three entries as the
 * namespaces `cs`, `otel` and `rt`.
 */
const BODY = `
// Every optional option of every options type accepts an explicit undefined: each line
// fails to compile ("'false' does not satisfy the constraint 'true'") when one does not.
type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T];
type AcceptsUndefined<T> = { [K in OptionalKeys<T>]: undefined } extends Pick<T, OptionalKeys<T>>
  ? true
  : false;
type Check<T extends true> = T;
export type EveryOption = [
  Check<AcceptsUndefined<cs.TrackerOptions>>,
  Check<AcceptsUndefined<cs.HealthOptions>>,
  Check<AcceptsUndefined<cs.RegistryOptions>>,
  Check<AcceptsUndefined<cs.RegisterOptions>>,
  Check<AcceptsUndefined<cs.VerdictOptions>>,
  Check<AcceptsUndefined<cs.HandlerOptions<unknown>>>,
  Check<AcceptsUndefined<cs.StatsHandlerOptions>>,
  Check<AcceptsUndefined<cs.FetchHandlerOptions>>,
  Check<AcceptsUndefined<cs.PrometheusOptions>>,
  Check<AcceptsUndefined<cs.RenderPrometheusOptions>>,
  Check<AcceptsUndefined<cs.JsonExportOptions>>,
  Check<AcceptsUndefined<cs.WatchHealthOptions>>,
  Check<AcceptsUndefined<cs.SanitizeLimits>>,
  Check<AcceptsUndefined<cs.TimingStoreOptions>>,
  // Its optional methods stay methods; the runtime takes them as undefined too.
  Check<AcceptsUndefined<Pick<cs.StatsSource, "componentName">>>,
  Check<AcceptsUndefined<otel.MetricProducerOptions>>,
  Check<AcceptsUndefined<NonNullable<otel.MetricProducerOptions["scope"]>>>,
  Check<AcceptsUndefined<rt.RuntimeStatsOptions>>,
];
// The check can fail: an option typed without "| undefined" is caught.
export const notExact: AcceptsUndefined<{ a?: number }> = false;

const tracker = new cs.BaseStatisticsTracker("orders", {
  cacheTtlMs: undefined,
  clock: undefined,
  health: { operationCounters: undefined },
});
const registry = new cs.StatisticsRegistry({ componentTimeoutMs: undefined, verdict: undefined });
registry.register(tracker, { name: undefined, weight: undefined });
export const handler = cs.createStatsHandler(registry, { basePath: undefined, authorize: undefined });
export const fetchHandler: (request: Request) => Promise<Response> = cs.createFetchHandler(
  registry,
  { prefix: undefined },
);
export const text: Promise<string> = cs.renderPrometheus(tracker, { prefix: undefined, name: undefined });
export const producer = otel.createMetricProducer(registry, {
  prefix: undefined,
  scope: { name: "app", version: undefined },
});
export const watcher = cs.watchHealth(registry, { onChange: () => {}, intervalMs: undefined });
export const options: cs.TrackerOptions = { maxErrors: undefined };

// The runtime entry shares the root's classes: with their #private members, a
// RuntimeStats is a root BaseStatisticsTracker only if both come from one declaration.
const runtime: cs.BaseStatisticsTracker = new rt.RuntimeStats({ name: undefined, gc: undefined });
registry.register(runtime);
export const stats: Promise<cs.ComponentStats> = runtime.getStats();

// A cluster view goes wherever a registry goes.
const cluster = new cl.ClusterRegistry({ timeoutMs: undefined });
export const clusterText: Promise<string> = cs.renderPrometheus(cluster);
`;

const ESM_IMPORTS = `import * as cs from "component-stats";
import * as otel from "component-stats/opentelemetry";
import * as rt from "component-stats/runtime";
import * as cl from "component-stats/cluster";
`;
const CJS_IMPORTS = `import cs = require("component-stats");
import otel = require("component-stats/opentelemetry");
import rt = require("component-stats/runtime");
import cl = require("component-stats/cluster");
`;

const STRICT = {
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  // The package's own declarations are checked too, as a consumer without the
  // usual skipLibCheck would.
  skipLibCheck: false,
  noEmit: true,
  target: "ES2022",
  lib: ["ES2022"],
  types: ["node"],
};

interface Consumer {
  /** `type` in the consumer's package.json, if any. */
  type?: "module" | "commonjs";
  compilerOptions: Record<string, unknown>;
  imports: string;
  /** What its declarations end with: `.d.ts`, or `.d.cts` when it resolves with `require`. */
  extension: ".d.ts" | ".d.cts";
  resolution: ts.ModuleResolutionKind;
}

const CONSUMERS: Record<string, Consumer> = {
  "NodeNext, ESM": {
    type: "module",
    compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" },
    imports: ESM_IMPORTS,
    extension: ".d.ts",
    resolution: ts.ModuleResolutionKind.NodeNext,
  },
  "NodeNext, CommonJS (require)": {
    type: "commonjs",
    compilerOptions: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext" },
    imports: CJS_IMPORTS,
    extension: ".d.cts",
    resolution: ts.ModuleResolutionKind.NodeNext,
  },
  // A browser app: the DOM's Request and Response, no Node types, skipLibCheck as
  // bundler templates set it (createStatsHandler's types name node:http's).
  "bundler resolution, DOM, no Node types": {
    type: "module",
    compilerOptions: {
      ...STRICT,
      module: "ESNext",
      moduleResolution: "bundler",
      lib: ["ES2022", "DOM"],
      types: [],
      skipLibCheck: true,
    },
    imports: ESM_IMPORTS,
    extension: ".d.ts",
    resolution: ts.ModuleResolutionKind.Bundler,
  },
  'module "commonjs", default (node10) resolution': {
    compilerOptions: { ...STRICT, module: "commonjs" },
    imports: ESM_IMPORTS,
    extension: ".d.ts",
    resolution: ts.ModuleResolutionKind.Node10,
  },
};

/**
 * The resolution a consumer's options amount to, defaults included (node10 for
 * `"module": "commonjs"`): the compiler's own function, public in its JavaScript
 * though not in its declarations.
 */
const resolutionKind = (
  ts as unknown as { getEmitModuleResolutionKind(options: ts.CompilerOptions): number }
).getEmitModuleResolutionKind;

/** A symbol's own declaration, through any import aliases, as go-to-definition finds it. */
function declarationFile(checker: ts.TypeChecker, node: ts.Node): string | undefined {
  let symbol = checker.getSymbolAtLocation(node);
  while (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) {
    symbol = checker.getAliasedSymbol(symbol);
  }
  return symbol?.declarations?.[0]?.getSourceFile().fileName;
}

describe("the packed package, from TypeScript consumers", () => {
  let scratch = "";
  let packageDir = "";
  let packedFiles: string[] = [];

  beforeAll(() => {
    if (
      !existsSync(ENTRY_TYPES) ||
      statSync(ENTRY_TYPES).mtimeMs < newestMtimeMs(join(ROOT, "src"))
    ) {
      throw new Error(
        "dist/ is missing or older than src/: run `npm run build` first (`npm test` does)",
      );
    }
    scratch = realpathSync(mkdtempSync(join(tmpdir(), "package-consumers-")));
    const [packed] = JSON.parse(
      execFileSync("npm", ["pack", "--json", "--silent", "--pack-destination", scratch], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    ) as [{ filename: string; files: { path: string }[] }];
    packedFiles = packed.files.map((file) => file.path);
    packageDir = join(scratch, "node_modules/component-stats");
    mkdirSync(packageDir, { recursive: true });
    execFileSync("tar", [
      "-xzf",
      join(scratch, packed.filename),
      "-C",
      packageDir,
      "--strip-components=1",
    ]);
    mkdirSync(join(scratch, "node_modules/@types"), { recursive: true });
    symlinkSync(join(ROOT, "node_modules/@types/node"), join(scratch, "node_modules/@types/node"));
  }, 60_000);

  afterAll(() => {
    if (scratch !== "") rmSync(scratch, { recursive: true, force: true });
  });

  it("ships one declaration per public module, no bundled types, no dashboard internals, and the README's image", () => {
    const declarations = packedFiles.filter((path) => /\.d\.c?ts$/.test(path));
    expect(declarations.every((path) => path.startsWith("dist/types/"))).toBe(true);
    expect(declarations).toContain("dist/types/tracker/tracker.d.ts");
    expect(declarations).toContain("dist/types/tracker/tracker.d.cts");
    // Only what an entry reaches: the dashboard's view code and assets stay out.
    expect(declarations.filter((path) => path.includes("/dashboard"))).toEqual([]);
    for (const path of declarations.filter((p) => p.endsWith(".d.ts"))) {
      expect(declarations).toContain(path.replace(/\.d\.ts$/, ".d.cts"));
    }
    expect(packedFiles).toContain("docs/dashboard.png");
    expect(packedFiles).toContain("LICENSE");
    // A CommonJS twin imports CommonJS twins.
    const twin = readFileSync(join(packageDir, "dist/types/index.d.cts"), "utf8");
    expect(twin).toContain('from "./tracker/tracker.cjs"');
    expect(twin).not.toMatch(/from "\.[^"]*\.js"/);
  });

  it("lists every subpath in typesVersions, pointing where its exports' types do", () => {
    const versions = manifest.typesVersions["*"] ?? {};
    const subpaths: string[] = [];
    for (const [subpath, entry] of Object.entries(manifest.exports)) {
      if (typeof entry === "string") continue; // ./package.json
      expect(entry.require.types).toBe(entry.import.types.replace(/\.d\.ts$/, ".d.cts"));
      if (subpath === ".") {
        expect(manifest.types).toBe(entry.import.types);
        continue;
      }
      subpaths.push(subpath.slice(2));
      expect(versions[subpath.slice(2)], subpath).toEqual([entry.import.types]);
    }
    expect(Object.keys(versions).sort()).toEqual(subpaths.sort());
  });

  for (const [title, consumer] of Object.entries(CONSUMERS)) {
    it(`type-checks under ${title}, and go-to-definition lands in dist/types`, () => {
      const dir = join(scratch, title.replace(/\W+/g, "-"));
      mkdirSync(dir);
      if (consumer.type !== undefined) {
        writeFileSync(join(dir, "package.json"), JSON.stringify({ type: consumer.type }));
      }
      writeFileSync(
        join(dir, "tsconfig.json"),
        JSON.stringify({ compilerOptions: consumer.compilerOptions, files: ["index.ts"] }),
      );
      writeFileSync(join(dir, "index.ts"), consumer.imports + BODY);

      const config = ts.getParsedCommandLineOfConfigFile(
        join(dir, "tsconfig.json"),
        {},
        {
          ...ts.sys,
          onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
            throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
          },
        },
      ) as ts.ParsedCommandLine;
      expect(config.errors).toEqual([]);
      expect(resolutionKind(config.options)).toBe(consumer.resolution);
      const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
      const diagnostics = ts.formatDiagnostics(ts.getPreEmitDiagnostics(program), {
        getCanonicalFileName: (name) => name,
        getCurrentDirectory: () => dir,
        getNewLine: () => "\n",
      });
      expect(diagnostics).toBe("");

      const checker = program.getTypeChecker();
      const source = program.getSourceFile(join(dir, "index.ts")) as ts.SourceFile;
      const found: Record<string, string | undefined> = {};
      const visit = (node: ts.Node): void => {
        if (
          ts.isPropertyAccessExpression(node) ||
          (ts.isQualifiedName(node) && ts.isIdentifier(node.right))
        ) {
          const name = ts.isPropertyAccessExpression(node) ? node.name : node.right;
          if (name.text in DEFINITIONS && !(name.text in found)) {
            const file = declarationFile(checker, name);
            found[name.text] = file === undefined ? undefined : relative(packageDir, file);
          }
        }
        ts.forEachChild(node, visit);
      };
      visit(source);
      const expected = Object.fromEntries(
        Object.entries(DEFINITIONS).map(([name, file]) => [
          name,
          file.replace(/\.d\.ts$/, consumer.extension),
        ]),
      );
      expect(found).toEqual(expected);
      // Nothing the program read comes from outside dist/types (no hashed bundle).
      const fromPackage = program
        .getSourceFiles()
        .map((file) => file.fileName)
        .filter((name) => name.startsWith(packageDir))
        .map((name) => relative(packageDir, name));
      expect(fromPackage.length).toBeGreaterThan(10);
      expect(fromPackage.filter((name) => !name.startsWith("dist/types/"))).toEqual([]);
    }, 60_000);
  }
});

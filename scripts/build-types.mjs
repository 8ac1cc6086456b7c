// Emits the public declarations as one file per module (dist/types/**), so that
// go-to-definition lands on real names instead of a hashed, aliased bundle, then
// writes a CommonJS twin of each (.d.cts, its relative imports pointing at .cjs)
// so that `require` consumers under node16/nodenext resolution see CommonJS types.
//
// The entries are read from package.json's `exports` (each entry's import `types`),
// so a new subpath needs no change here. Declarations no entry reaches are removed:
// internal modules (the dashboard's view code, its generated assets with their
// 26 KB string literals, the stores) are not part of the published types.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const out = "dist/types";
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});

/** A relative specifier in a declaration (`from "./x.js"`, `import("../y.js")`). */
const RELATIVE_IMPORT = /(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.js\2/g;

const { exports } = JSON.parse(readFileSync("package.json", "utf8"));
const entries = Object.values(exports)
  .map((entry) => entry?.import?.types)
  .filter((types) => typeof types === "string")
  .map((types) => join(types));

// Every declaration an entry reaches through relative imports.
const reached = new Set();
const pending = [...entries];
while (pending.length > 0) {
  const file = pending.pop();
  if (reached.has(file)) continue;
  if (!existsSync(file)) {
    throw new Error(`${file} is named in package.json or imported, but tsc did not emit it`);
  }
  reached.add(file);
  for (const [, , , path] of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
    pending.push(join(dirname(file), `${path}.d.ts`));
  }
}

/** Removes the files under `dir` that no entry reaches, then `dir` itself if it is left empty. */
const prune = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) prune(path);
    else if (!reached.has(path)) rmSync(path);
  }
  if (readdirSync(dir).length === 0) rmdirSync(dir);
};
prune(out);

for (const file of reached) {
  const text = readFileSync(file, "utf8").replace(
    RELATIVE_IMPORT,
    (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`,
  );
  writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), text);
}
console.log(
  `dist/types: ${reached.size} declarations (and .d.cts twins) reached from ${entries
    .map((entry) => relative(out, entry))
    .join(", ")}`,
);

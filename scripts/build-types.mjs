// Emits the public declarations as one file per module (dist/types/**), so that
// go-to-definition lands on real names instead of a hashed, aliased bundle, then
// writes a CommonJS twin of each (.d.cts, its relative imports pointing at .cjs)
// so that `require` consumers under node16/nodenext resolution see CommonJS types.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = "dist/types";
rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.build.json"], {
  stdio: "inherit",
});

const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );

for (const file of walk(out).filter((name) => name.endsWith(".d.ts"))) {
  const text = readFileSync(file, "utf8").replace(
    /(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.js\2/g,
    (_, lead, quote, path) => `${lead}${quote}${path}.cjs${quote}`,
  );
  writeFileSync(file.replace(/\.d\.ts$/, ".d.cts"), text);
}

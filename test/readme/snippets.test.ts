/**
 * README.md's TypeScript snippets compile against the package's source, so the README
 * cannot drift from the API (snippets.ts has the rules: one module per block, the
 * options of tsconfig.json, stand-ins.ts for the user's own objects, and the
 * `<!-- snippet: skip -->` marker).
 *
 * `SNIPPETS_FROM=docs/draft.md npx vitest run test/readme` checks another file.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { codeBlocks, ROOT, TYPESCRIPT, typeCheck } from "./snippets.js";

/** A made-up Markdown file that shows the checker finds what it should. */
const EXAMPLE = [
  "Text.",
  "```ts",
  'import { BaseStatisticsTracker } from "component-stats";',
  'const tracker = new BaseStatisticsTracker("feed");',
  "await tracker.increment(5);",
  "```",
  "",
  "<!-- snippet: skip (pseudo-code) -->",
  "",
  "```ts",
  "not code at all",
  "```",
  "   ~~~~typescript",
  "   import { StatisticsRegistry } from 'component-stats';",
  "   const registry = new StatisticsRegistry();",
  "   registry.register(feedStats);",
  "   ~~~~",
  "```sh",
  "npm test",
  "```",
  "```ts",
  "await broker.submit(order);",
  'import { createMetricProducer } from "component-stats/opentelemetry";',
  "createMetricProducer(registry);",
  "```",
].join("\n");

const SOURCE = process.env.SNIPPETS_FROM ?? "README.md";
const all = codeBlocks(readFileSync(join(ROOT, SOURCE), "utf8"));
const typescript = all.filter((block) => TYPESCRIPT.has(block.language));
const skipped = typescript.filter((block) => block.skipped);
const toCheck = typescript.filter((block) => !block.skipped);
const exampleBlocks = codeBlocks(EXAMPLE).filter((b) => TYPESCRIPT.has(b.language) && !b.skipped);
// Computed once, at collection: one Program for every block (about 1.5 s).
const result = typeCheck([
  { file: SOURCE, blocks: toCheck },
  { file: "EXAMPLE.md", blocks: exampleBlocks },
]);
const checkedOf = (file: string) => result.checked.filter((checked) => checked.file === file);

describe(`${SOURCE}: TypeScript snippets compile`, () => {
  it("found the blocks: each checked or explicitly skipped", () => {
    console.info(
      `[readme] ${SOURCE}: ${toCheck.length} TypeScript blocks type-checked, ${skipped.length} skipped by <!-- snippet: skip -->${
        skipped.length > 0 ? ` (lines ${skipped.map((b) => b.line).join(", ")})` : ""
      }; ${all.length - typescript.length} blocks in other languages ignored`,
    );
    expect(checkedOf(SOURCE)).toHaveLength(toCheck.length);
    if (SOURCE === "README.md") expect(toCheck.length).toBeGreaterThan(0);
  });

  it("the stand-ins compile", () => {
    expect(result.standInErrors).toEqual([]);
  });

  it.each(checkedOf(SOURCE).map((checked) => [checked.block.line, checked] as const))(
    `${SOURCE}:%i compiles`,
    (_, { errors }) => {
      expect(errors, `add the missing import or stand-in, or fix the snippet`).toEqual([]);
    },
  );
});

describe("the snippet checker", () => {
  it("finds fenced blocks, their languages, lines, indentation and skip markers", () => {
    expect(
      codeBlocks(EXAMPLE).map(({ language, line, skipped }) => [language, line, skipped]),
    ).toEqual([
      ["ts", 2, false],
      ["ts", 10, true],
      ["typescript", 13, false],
      ["sh", 18, false],
      ["ts", 21, false],
    ]);
    expect(codeBlocks(EXAMPLE)[2]?.code).toBe(
      "import { StatisticsRegistry } from 'component-stats';\nconst registry = new StatisticsRegistry();\nregistry.register(feedStats);",
    );
  });

  it("reports a type error at its line in the Markdown file, and lets correct blocks with stand-ins pass", () => {
    expect(checkedOf("EXAMPLE.md").map((c) => c.errors)).toEqual([
      [
        expect.stringMatching(
          /^EXAMPLE\.md:5: TS2345 Argument of type 'number' is not assignable to parameter of type 'string'/,
        ),
      ],
      [], // feedStats is a stand-in; registry is the block's own
      [], // broker, order and registry are stand-ins; subpaths resolve to src
    ]);
  });
});

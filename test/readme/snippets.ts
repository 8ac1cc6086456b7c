/**
 * The README snippet checker (snippets.test.ts runs it on README.md). Each ```ts (or ```typescript) block is type-checked as a
 * module of its own, with the compiler options of tsconfig.json (strict,
 * `exactOptionalPropertyTypes`, `paths` mapping `component-stats` and its subpaths to
 * src/) except the unused-name checks, which a fragment cannot satisfy. A snippet may
 * use the user's own objects (`broker`, `registry`, …) without defining them: those it
 * does not declare itself are imported from stand-ins.ts. One compiler Program checks
 * every block.
 *
 * A block opts out only with `<!-- snippet: skip -->` (a reason may follow `skip`) on
 * the last non-blank line before its fence; skipped blocks are counted and listed.
 * Blocks in other languages (sh, yaml, json, text, untagged) are not checked.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import ts from "typescript";

/** The repository. */
export const ROOT = join(import.meta.dirname, "../..");
const STAND_INS = join(import.meta.dirname, "stand-ins.ts");
const SKIP_MARKER = /^\s*<!--\s*snippet:\s*skip\b.*-->\s*$/;
/** The info strings of the blocks that are checked. */
export const TYPESCRIPT = new Set(["ts", "typescript"]);

/** A fenced code block of a Markdown file. */
export interface CodeBlock {
  /** The fence's info string's first word, lower-cased (`""` for none). */
  readonly language: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The code between the fences, with the fence's indentation removed. */
  readonly code: string;
  /** Whether `<!-- snippet: skip -->` precedes it. */
  readonly skipped: boolean;
}

/**
 * The fenced code blocks of a Markdown text (CommonMark fences: three or more backticks
 * or tildes, indented at most three spaces, closed by a fence of the same character at
 * least as long). An unclosed block runs to the end, as CommonMark says.
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let previous = ""; // the last non-blank line outside a block
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(line);
    if (open === null) {
      if (line.trim() !== "") previous = line;
      continue;
    }
    const [, indent = "", fence = "", info = ""] = open;
    const close = new RegExp(`^ {0,3}${fence[0] === "`" ? "`" : "~"}{${fence.length},}\\s*$`);
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !close.test(lines[j] as string); j++) {
      const text = lines[j] as string;
      body.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
    }
    blocks.push({
      language: info.toLowerCase(),
      line: i + 1,
      code: body.join("\n"),
      skipped: SKIP_MARKER.test(previous),
    });
    previous = "";
    i = j;
  }
  return blocks;
}

/** A block's identity for the list of known failures: its code's SHA-256, 12 hex digits. */
export function blockHash(code: string): string {
  return createHash("sha256").update(code).digest("hex").slice(0, 12);
}

/** Names a module's top-level statements declare (imports included). */
function declaredNames(source: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const bind = (name: ts.BindingName) => {
    if (ts.isIdentifier(name)) names.add(name.text);
    else
      for (const element of name.elements) if (!ts.isOmittedExpression(element)) bind(element.name);
  };
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) {
      if (ts.isImportEqualsDeclaration(statement)) names.add(statement.name.text);
      const clause = ts.isImportDeclaration(statement) ? statement.importClause : undefined;
      if (clause?.name) names.add(clause.name.text);
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
      if (bindings && ts.isNamedImports(bindings)) {
        for (const element of bindings.elements) names.add(element.name.text);
      }
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) bind(declaration.name);
    } else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) ||
        ts.isTypeAliasDeclaration(statement) ||
        ts.isEnumDeclaration(statement) ||
        ts.isModuleDeclaration(statement)) &&
      statement.name !== undefined &&
      ts.isIdentifier(statement.name)
    ) {
      names.add(statement.name.text);
    }
  }
  return names;
}

/**
 * What stand-ins.ts exports, as import specifiers: `broker`, or `type Order` for a
 * type (`verbatimModuleSyntax` wants types imported as types).
 */
function standInSpecifiers(): Map<string, string> {
  const source = ts.createSourceFile(
    STAND_INS,
    readFileSync(STAND_INS, "utf8"),
    ts.ScriptTarget.ES2022,
  );
  const specifiers = new Map<string, string>();
  for (const statement of source.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) continue;
    const isType = ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement);
    for (const name of declaredNames(ts.factory.updateSourceFile(source, [statement]))) {
      specifiers.set(name, isType ? `type ${name}` : name);
    }
  }
  return specifiers;
}

/** The compiler options of tsconfig.json, less the checks a fragment cannot pass. */
function compilerOptions(): ts.CompilerOptions {
  const path = join(ROOT, "tsconfig.json");
  const { config, error } = ts.readConfigFile(path, ts.sys.readFile);
  if (error !== undefined)
    throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, path);
  return { ...parsed.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false };
}

/** The TypeScript blocks of one Markdown file, to check. */
export interface MarkdownBlocks {
  /** The file's path relative to the repository (for messages). */
  readonly file: string;
  readonly blocks: readonly CodeBlock[];
}

/** One checked block: where it is and what the compiler said, mapped to the Markdown file's lines. */
export interface CheckedBlock {
  readonly file: string;
  readonly block: CodeBlock;
  readonly errors: string[];
}

/**
 * Type-checks blocks, each as a module of its own, all in one Program.
 *
 * @param sources - the blocks to check, per Markdown file.
 * @returns each block's errors (none when it compiles), and the stand-ins' own errors.
 * @throws Error when tsconfig.json cannot be read or its options are not valid.
 */
export function typeCheck(sources: readonly MarkdownBlocks[]): {
  checked: CheckedBlock[];
  standInErrors: string[];
} {
  const standIns = standInSpecifiers();
  const virtual = new Map<string, { file: string; block: CodeBlock; prelude: number }>();
  const texts = new Map<string, string>();
  for (const { file, blocks } of sources) {
    for (const block of blocks) {
      // Next to stand-ins.ts, so that `./stand-ins.js` resolves and package.json's
      // "type": "module" makes the block an ES module (top-level await).
      const name = `${file.replace(/[^\w.-]/g, "_")}.line-${block.line}.ts`;
      const path = join(dirname(STAND_INS), name);
      const declared = declaredNames(ts.createSourceFile(path, block.code, ts.ScriptTarget.ES2022));
      const used = [...standIns]
        .filter(([n]) => !declared.has(n))
        .map(([, specifier]) => specifier);
      const prelude =
        used.length > 0 ? `import { ${used.join(", ")} } from "./stand-ins.js";\n` : "";
      // `export {}` makes a block without imports a module too: no shared globals.
      texts.set(path, `${prelude}${block.code}\nexport {};\n`);
      virtual.set(path, { file, block, prelude: prelude === "" ? 0 : 1 });
    }
  }
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { fileExists, readFile, getSourceFile } = host;
  host.fileExists = (path) => texts.has(path) || fileExists.call(host, path);
  host.readFile = (path) => texts.get(path) ?? readFile.call(host, path);
  host.getSourceFile = (path, language, onError, create) => {
    const text = texts.get(path);
    return text === undefined
      ? getSourceFile.call(host, path, language, onError, create)
      : ts.createSourceFile(path, text, language, true);
  };
  const program = ts.createProgram({ rootNames: [STAND_INS, ...texts.keys()], options, host });
  const optionErrors = program.getOptionsDiagnostics().map((d) => format(d, "tsconfig.json", 0, 0));
  if (optionErrors.length > 0) throw new Error(optionErrors.join("\n"));
  const diagnosticsOf = (path: string) => {
    const source = program.getSourceFile(path);
    if (source === undefined) throw new Error(`the Program lost ${path}`);
    return [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  };
  const checked = [...virtual].map(([path, { file, block, prelude }]) => ({
    file,
    block,
    errors: diagnosticsOf(path).map((d) => format(d, file, block.line, prelude)),
  }));
  const standInErrors = diagnosticsOf(STAND_INS).map((d) =>
    format(d, relative(ROOT, STAND_INS), 0, 0),
  );
  return { checked, standInErrors };
}

/** A diagnostic as `file:line: TS1234 message`, its line mapped back to the Markdown file. */
function format(
  diagnostic: ts.Diagnostic,
  file: string,
  fenceLine: number,
  prelude: number,
): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n  ");
  if (diagnostic.file === undefined || diagnostic.start === undefined) {
    return `${file}: TS${diagnostic.code} ${message}`;
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  // Line 0 of the block is the fence's next line; the prelude sits above it.
  const shown = fenceLine === 0 ? line + 1 : fenceLine + 1 + Math.max(0, line - prelude);
  return `${file}:${shown}: TS${diagnostic.code} ${message}`;
}

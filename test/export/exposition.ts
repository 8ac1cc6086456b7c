import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/** One parsed sample line. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** One parsed family: its HELP and TYPE and the samples that followed them. */
export interface ParsedFamily {
  name: string;
  help: string;
  type: string;
  samples: ParsedSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/s;

/**
 * A strict reader of the text format 0.0.4 as this library writes it, used to check
 * what promtool does not: that every sample sits under its family's HELP and TYPE,
 * that label values unescape back to the original strings, and that no series
 * (name plus labels) appears twice.
 */
export function parseExposition(text: string): ParsedFamily[] {
  if (text !== "" && !text.endsWith("\n")) throw new Error("text must end with a newline");
  const families: ParsedFamily[] = [];
  const lines = text.split("\n").slice(0, -1);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith("# HELP ")) {
      const rest = line.slice("# HELP ".length);
      const space = rest.indexOf(" ");
      const typeLine = lines[++i] ?? "";
      const name = rest.slice(0, space);
      const match = /^# TYPE (\S+) (counter|gauge|summary|histogram)$/.exec(typeLine);
      if (!match || match[1] !== name) throw new Error(`HELP for ${name} not followed by its TYPE`);
      families.push({
        name,
        help: unescapeText(rest.slice(space + 1), false),
        type: match[2] as string,
        samples: [],
      });
      continue;
    }
    const family = families.at(-1);
    const match = SAMPLE.exec(line);
    if (!family || !match) throw new Error(`unexpected line ${JSON.stringify(line)}`);
    const [, name, labelText, valueText] = match as unknown as [string, string, string, string];
    const allowed =
      family.type === "summary"
        ? [family.name, `${family.name}_sum`, `${family.name}_count`]
        : family.type === "histogram"
          ? [`${family.name}_bucket`, `${family.name}_sum`, `${family.name}_count`]
          : [family.name];
    if (!allowed.includes(name)) throw new Error(`${name} under family ${family.name}`);
    family.samples.push({ name, labels: parseLabels(labelText), value: parseValue(valueText) });
  }
  const seen = new Set<string>();
  for (const family of families) {
    for (const sample of family.samples) {
      const key = JSON.stringify([sample.name, Object.entries(sample.labels).sort()]);
      if (seen.has(key)) throw new Error(`duplicate series ${key}`);
      seen.add(key);
    }
  }
  for (const family of families) {
    if (family.type === "histogram") checkHistogram(family);
  }
  const names = families.map((f) => f.name);
  if (new Set(names).size !== names.length) throw new Error("a family appears twice");
  return families;
}

/**
 * A histogram's series, per label set without `le`: buckets in ascending `le` ending
 * with `+Inf`, counts that never decrease, and `+Inf` equal to `_count`.
 */
function checkHistogram(family: ParsedFamily): void {
  const groups = new Map<string, { les: number[]; counts: number[]; count?: number }>();
  for (const sample of family.samples) {
    const { le, ...rest } = sample.labels;
    const key = JSON.stringify(Object.entries(rest).sort());
    let group = groups.get(key);
    if (group === undefined) {
      group = { les: [], counts: [] };
      groups.set(key, group);
    }
    if (sample.name.endsWith("_bucket")) {
      if (le === undefined) throw new Error(`${sample.name} without le`);
      group.les.push(parseValue(le));
      group.counts.push(sample.value);
    } else if (sample.name.endsWith("_count")) {
      group.count = sample.value;
    }
  }
  for (const [key, { les, counts, count }] of groups) {
    const where = `${family.name} ${key}`;
    if (les.at(-1) !== Number.POSITIVE_INFINITY) throw new Error(`${where}: no +Inf bucket`);
    for (let i = 1; i < les.length; i++) {
      if (!((les[i] as number) > (les[i - 1] as number))) {
        throw new Error(`${where}: le not ascending`);
      }
      if ((counts[i] as number) < (counts[i - 1] as number)) {
        throw new Error(`${where}: counts decrease`);
      }
    }
    if (counts.at(-1) !== count) throw new Error(`${where}: +Inf bucket is not _count`);
  }
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/.exec(rest);
    if (!match) throw new Error(`bad labels ${JSON.stringify(text)}`);
    labels[match[1] as string] = unescapeText(match[2] as string, true);
    rest = rest.slice(match[0].length);
  }
  return labels;
}

function unescapeText(text: string, quotes: boolean): string {
  return text.replace(/\\(.)/g, (whole, char: string) => {
    if (char === "\\") return "\\";
    if (char === "n") return "\n";
    if (char === '"' && quotes) return '"';
    return whole;
  });
}

function parseValue(text: string): number {
  if (text === "+Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`bad value ${text}`);
  return value;
}

/** Where promtool is, or undefined when it is not installed. */
export const PROMTOOL: string | undefined = ["/usr/bin/promtool", "/usr/local/bin/promtool"].find(
  (path) => existsSync(path),
);

/** Runs `promtool check metrics` on `text` and returns its exit code and output. */
export function promtoolCheck(text: string): { status: number | null; output: string } {
  if (PROMTOOL === undefined) throw new Error("promtool is not installed");
  const result = spawnSync(PROMTOOL, ["check", "metrics"], {
    input: text,
    encoding: "utf8",
    timeout: 20_000,
  });
  if (result.error) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

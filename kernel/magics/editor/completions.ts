/**
 * Completions for magics in a notebook cell, as a pure function of the cell text and the cursor, so the VS Code
 * provider is a thin adapter and the logic is tested without VS Code: magic names after `%` / `%%` at the start of
 * a line, magic names after `%help`, body keys of a cell magic (not yet given), and values of enum/boolean keys.
 */
import type { KeySpec } from "../keyValueBody";
import { describeType } from "../keyValueBody";
import type { MagicCatalog, MagicSpec } from "./catalog";
import { bodyKeyOf, cellMagicHead, splitLines } from "./cellContext";

export interface MagicCompletion {
  label: string;
  kind: "magic" | "key" | "value";
  insertText: string;
  /** Short text beside the label. */
  detail: string;
  /** Markdown shown for the selected item. */
  documentation: string;
  /** 0-based character where the text being completed starts on the cursor's line (up to the cursor). */
  replaceStart: number;
}

export function magicDoc(m: MagicSpec): string {
  let md = `${m.summary}\n\n\`\`\`text\n${m.usage}\n\`\`\``;
  if (m.bodySchema)
    md += `\n\nBody keys:\n${Object.entries(m.bodySchema)
      .map(([k, s]) => `- \`${k}\`${s.required ? " (required)" : ""}: ${s.description}`)
      .join("\n")}`;
  return md;
}

export function keyDoc(key: string, spec: KeySpec): string {
  return `\`${key}\`${spec.required ? " (required)" : ""}: ${spec.description}\n\nValue: ${describeType(spec)}.`;
}

function magicItems(
  catalog: MagicCatalog,
  kind: "line" | "cell",
  typed: string,
  replaceStart: number,
  prefix: string,
): MagicCompletion[] {
  return catalog.magics
    .filter((m) => m.kinds.includes(kind) && m.name.startsWith(typed))
    .map((m) => ({
      label: prefix + m.name,
      kind: "magic",
      insertText: m.name,
      detail: m.summary,
      documentation: magicDoc(m),
      replaceStart,
    }));
}

/**
 * The completions at the cursor. A word typed out in full (`method: mvfa`, `shots`, `%%fewshot`) gets none: the
 * suggest widget then closes, so Enter at the end of a line breaks the line instead of accepting the same word again
 * (the provider marks its lists incomplete, so the editor asks again at every keystroke).
 */
export function magicCompletions(
  text: string,
  line: number,
  character: number,
  catalog: MagicCatalog,
): MagicCompletion[] {
  const items = candidates(text, line, character, catalog);
  const current = splitLines(text)[line] ?? "";
  const complete = items.some((c) => c.insertText.replace(/:\s*$/, "") === current.slice(c.replaceStart, character));
  return complete ? [] : items;
}

function candidates(text: string, line: number, character: number, catalog: MagicCatalog): MagicCompletion[] {
  const lines = splitLines(text);
  const current = lines[line] ?? "";
  const before = current.slice(0, character);
  const head = cellMagicHead(lines);

  // `%%na|` on the first non-blank line, or `%na|` at the start of any line.
  const magicName = /^(\s*)(%%?)([\w-]*)$/.exec(before);
  if (magicName) {
    const cell = magicName[2] === "%%";
    const firstLine = lines.findIndex((l) => l.trim() !== "");
    if (cell && firstLine !== line && firstLine !== -1 && firstLine < line) return [];
    if (!cell && head && head.line < line) return []; // inside a cell magic's body a % line is not a magic
    return magicItems(
      catalog,
      cell ? "cell" : "line",
      magicName[3],
      magicName[1].length + magicName[2].length,
      magicName[2],
    );
  }
  const help = /^\s*%help\s+%{0,2}([\w-]*)$/.exec(before);
  if (help) {
    return catalog.magics
      .filter((m) => m.name.startsWith(help[1]))
      .map((m) => ({
        label: m.name,
        kind: "magic",
        insertText: m.name,
        detail: m.summary,
        documentation: magicDoc(m),
        replaceStart: character - help[1].length,
      }));
  }

  if (!head || line <= head.line) return [];
  const schema = catalog.magics.find((m) => m.name === head.name)?.bodySchema;
  if (!schema) return [];

  // `ke|` at the start of a body line: keys not given yet on other lines.
  const key = /^(\s*)([\w-]*)$/.exec(before);
  if (key) {
    const given = new Set(
      lines.map((l, i) => (i === line || i <= head.line ? undefined : bodyKeyOf(l)?.key)).filter(Boolean),
    );
    return Object.entries(schema)
      .filter(([k]) => !given.has(k) && k.startsWith(key[2]))
      .sort(([a, sa], [b, sb]) => Number(!!sb.required) - Number(!!sa.required) || a.localeCompare(b))
      .map(([k, spec]) => ({
        label: k,
        kind: "key",
        insertText: `${k}: `,
        detail: (spec.required ? "required · " : "") + describeType(spec),
        documentation: keyDoc(k, spec),
        replaceStart: key[1].length,
      }));
  }

  // `method: pa|`: enum and boolean values.
  const value = /^\s*([\w-]+)\s*:\s*([\w.-]*)$/.exec(before);
  if (value) {
    const spec = schema[value[1]];
    if (!spec) return [];
    const values = spec.type === "enum" ? spec.values : spec.type === "boolean" ? ["true", "false"] : [];
    return values
      .filter((v) => v.startsWith(value[2]))
      .map((v) => ({
        label: v,
        kind: "value",
        insertText: v,
        detail: `${value[1]}: ${describeType(spec)}`,
        documentation: keyDoc(value[1], spec),
        replaceStart: character - value[2].length,
      }));
  }
  return [];
}

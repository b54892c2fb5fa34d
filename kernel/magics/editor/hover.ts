/** Hover docs for magic names (`%roc`, `%%fewshot`) and for body keys of cell magics; pure, tested without VS Code. */
import type { MagicCatalog } from "./catalog";
import { bodyKeyOf, cellMagicHead, splitLines } from "./cellContext";
import { keyDoc, magicDoc } from "./completions";

export interface MagicHover {
  markdown: string;
  /** 0-based line and characters [start, end) of the word hovered. */
  line: number;
  start: number;
  end: number;
}

export function magicHover(
  text: string,
  line: number,
  character: number,
  catalog: MagicCatalog,
): MagicHover | undefined {
  const lines = splitLines(text);
  const current = lines[line] ?? "";
  const head = cellMagicHead(lines);
  const name = /^(\s*)(%%?)([\w-]+)/.exec(current);
  const inBody = head !== undefined && line > head.line;
  if (name && !(inBody && name[2] === "%")) {
    const start = name[1].length;
    const end = start + name[2].length + name[3].length;
    if (character < start || character > end) return undefined;
    const magic = catalog.magics.find((m) => m.name === name[3]);
    if (!magic) return undefined;
    return { markdown: `**${name[2]}${magic.name}** — ${magicDoc(magic)}`, line, start, end };
  }
  if (!inBody) return undefined;
  const key = bodyKeyOf(current);
  if (!key || key.colon < 0 || character < key.start || character > key.end) return undefined;
  const spec = catalog.magics.find((m) => m.name === head.name)?.bodySchema?.[key.key];
  if (!spec) return undefined;
  return { markdown: `**%%${head.name}** ${keyDoc(key.key, spec)}`, line, start: key.start, end: key.end };
}

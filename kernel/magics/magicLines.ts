/**
 * Which lines of a cell are magic rather than TypeScript: the one definition shared by the kernel's cell splitter
 * (parser.ts), the editor support (editor/) and the TypeScript server plugin (tsplugin/), so what the editor hides
 * from TypeScript is exactly what the kernel takes away from it. IPython's rule: `%%name` on the first non-blank
 * line makes the whole cell, head and body, a cell magic; otherwise every line whose first non-blank character is
 * `%` is a line magic. Pure and dependency-free: the plugin bundles it into the TypeScript server.
 */

/** Splits like the kernel does (`\n` or `\r\n`). */
export function cellLines(source: string): string[] {
  return source.split(/\r?\n/);
}

/** The 0-based line of the `%%name` head when the cell is a cell magic, else -1. */
export function cellMagicLine(lines: readonly string[]): number {
  const first = lines.findIndex((l) => l.trim() !== "");
  return first >= 0 && lines[first].trimStart().startsWith("%%") ? first : -1;
}

/** Whether a line of a cell that is not a cell magic is a line magic. */
export function isLineMagic(line: string): boolean {
  return line.trimStart().startsWith("%");
}

/** A stretch of magic text: character offsets into the cell, `end` exclusive; line breaks are never inside. */
export interface MagicRange {
  start: number;
  end: number;
}

/** Every magic line of the cell as character offsets (a cell magic: each line from its head to the end). */
export function magicRanges(source: string): MagicRange[] {
  if (!source.includes("%")) return [];
  // Split at `\n` only and drop a trailing `\r`, so offsets count `\r\n` as two characters as the document does.
  const raw = source.split("\n");
  const lines = raw.map((l) => (l.endsWith("\r") ? l.slice(0, -1) : l));
  const head = cellMagicLine(lines);
  const ranges: MagicRange[] = [];
  let offset = 0;
  lines.forEach((text, i) => {
    if (head >= 0 ? i >= head : isLineMagic(text)) ranges.push({ start: offset, end: offset + text.length });
    offset += raw[i].length + 1;
  });
  return ranges;
}

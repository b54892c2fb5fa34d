import { cellLines, cellMagicLine, isLineMagic } from "../magicLines";

/** Where in a cell the cursor is, as far as magics care. Lines and characters are 0-based (editor positions). */
export interface CellMagicHead {
  /** The cell magic's name (after `%%`) and the 0-based line it is on. */
  name: string;
  line: number;
}

/** The cell magic that owns the cell (`%%name` on the first non-blank line), if any. */
export function cellMagicHead(lines: readonly string[]): CellMagicHead | undefined {
  const first = cellMagicLine(lines);
  if (first < 0) return undefined;
  const m = /^\s*%%([\w-]+)/.exec(lines[first]);
  return m ? { name: m[1], line: first } : undefined;
}

export const splitLines = cellLines;

/** Whether a line of the cell is magic, not TypeScript: a `%` line, or any line of a `%%` cell from its head on. */
export function isMagicLine(lines: readonly string[], line: number): boolean {
  const head = cellMagicLine(lines);
  return head >= 0 ? line >= head : isLineMagic(lines[line] ?? "");
}

/** The `key` of a `key: value` body line (before any colon), or undefined for blank/comment lines. */
export function bodyKeyOf(line: string): { key: string; start: number; end: number; colon: number } | undefined {
  const m = /^(\s*)([\w-]+)\s*(:?)/.exec(line);
  if (!m || line.trimStart().startsWith("#")) return undefined;
  const start = m[1].length;
  return { key: m[2], start, end: start + m[2].length, colon: m[3] ? line.indexOf(":", start) : -1 };
}

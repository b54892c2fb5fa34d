/**
 * The pure part of the TypeScript server plugin: which files are notebook cells, the text TypeScript is shown
 * (magic lines blanked to spaces, so every offset and line break stays where it was) and which results touch magic.
 */
import { magicRanges, type MagicRange } from "../kernel/magics/magicLines";

/**
 * VS Code's TypeScript extension names a notebook cell `^/vscode-notebook-cell/<authority>/<notebook path>#<cell>`
 * in the TypeScript server (an in-memory file; `/vscode-notebook-cell/…` on the web). Only cells get magics: in a
 * `.ts` file a line starting with `%` is TypeScript (the rest of a remainder expression) and never runs as a magic.
 */
export function isNotebookCellFile(fileName: string): boolean {
  return fileName.replace(/\\/g, "/").includes("/vscode-notebook-cell/");
}

/** The cell's text with every magic character but line breaks replaced by a space: same length, same lines. */
export function blankMagic(text: string, ranges: readonly MagicRange[] = magicRanges(text)): string {
  if (ranges.length === 0) return text;
  let out = "";
  let at = 0;
  for (const r of ranges) {
    out += text.slice(at, r.start) + " ".repeat(r.end - r.start);
    at = r.end;
  }
  return out + text.slice(at);
}

/** Whether [start, start + length] meets a magic range (ends included: a caret at a magic line's end is on it). */
export function touchesMagic(ranges: readonly MagicRange[], start: number, length = 0): boolean {
  return ranges.some((r) => start <= r.end && start + length >= r.start);
}

/** Drops what is located on magic text; items without a location (whole-program diagnostics) are kept. */
export function awayFromMagic<T extends { start?: number; length?: number; span?: { start: number; length: number } }>(
  items: readonly T[],
  ranges: readonly MagicRange[],
): T[] {
  if (ranges.length === 0) return [...items];
  return items.filter((d) => {
    const start = d.span?.start ?? d.start;
    const length = d.span?.length ?? d.length ?? 0;
    return start === undefined || !touchesMagic(ranges, start, length);
  });
}

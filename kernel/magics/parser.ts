import { MagicError } from "./errors";
import { cellLines, cellMagicLine, isLineMagic } from "./magicLines";

/** A piece of a cell, in order of execution. Lines are 0-based offsets into the cell's source. */
export type CellPart =
  | { kind: "code"; code: string; line: number }
  | { kind: "line"; name: string; args: string; argsColumn: number; line: number; column: number }
  | {
      kind: "cell";
      name: string;
      args: string;
      argsColumn: number;
      body: string;
      line: number;
      column: number;
      bodyLine: number;
    };

const MAGIC_NAME = /^[A-Za-z_][\w-]*$/;

/** `column` is the 1-based column where `rest` (the text after the % signs) starts. */
function splitNameAndArgs(
  rest: string,
  line: number,
  column: number,
): { name: string; args: string; argsColumn: number } {
  const match = /^(\S*)(\s*)(.*)$/s.exec(rest);
  const name = match ? match[1] : "";
  if (!MAGIC_NAME.test(name)) {
    const shown = name === "" ? "nothing" : `'${name}'`;
    throw new MagicError(`found ${shown} after '%'.`, line + 1, column, "a magic name such as %lsmagic or %%time");
  }
  return { name, args: match ? match[3].trim() : "", argsColumn: column + name.length + (match ? match[2].length : 0) };
}

/**
 * Splits a cell into TypeScript code and magics, IPython-style: `%%name args` on the first line makes the whole
 * cell a cell magic (the rest is its body); otherwise every line that starts with `%` is a line magic and the
 * lines between them are TypeScript. In TypeScript only the continuation of a remainder expression (`a\n% b`) can
 * start a line with `%`; like IPython we read such a line as a magic.
 */
export function parseCell(source: string): CellPart[] {
  const lines = cellLines(source);
  const first = cellMagicLine(lines);
  if (first >= 0) {
    const indent = lines[first].length - lines[first].trimStart().length;
    const head = splitNameAndArgs(lines[first].trimStart().slice(2), first, indent + 3);
    return [
      {
        kind: "cell",
        ...head,
        column: indent + 1,
        body: lines.slice(first + 1).join("\n"),
        line: first,
        bodyLine: first + 1,
      },
    ];
  }
  const parts: CellPart[] = [];
  let codeStart = 0;
  const flushCode = (end: number) => {
    const code = lines.slice(codeStart, end).join("\n");
    if (code.trim() !== "") parts.push({ kind: "code", code, line: codeStart });
  };
  lines.forEach((text, i) => {
    if (!isLineMagic(text)) return;
    const trimmed = text.trimStart();
    const column = text.length - trimmed.length + 1;
    if (trimmed.startsWith("%%")) {
      throw new MagicError(
        "a cell magic must be the first line of its cell.",
        i + 1,
        column,
        "a line magic (one %) here, or move this line to the top of a new cell",
      );
    }
    flushCode(i);
    parts.push({ kind: "line", ...splitNameAndArgs(trimmed.slice(1), i, column + 1), line: i, column });
    codeStart = i + 1;
  });
  flushCode(lines.length);
  return parts;
}

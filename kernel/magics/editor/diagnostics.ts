/**
 * Problems in a cell's magics found without running it — a malformed `%` line, an unknown magic, a misplaced
 * `%%`, a bad `--as` name, a body key that does not exist or a value of the wrong type, arguments a magic's
 * `checkArgs` refuses (`%heatmap r lots`) — with the same messages,
 * lines and columns the kernel reports when the cell runs. Also reads the location back out of a kernel's
 * MagicError output, so errors that need the run (a dataset that does not exist) point at their line too.
 */
import { MagicError } from "../errors";
import { parseKeyValueBody } from "../keyValueBody";
import { parseCell } from "../parser";
import { takeResultName } from "../registry";
import type { MagicCatalog } from "./catalog";

export interface MagicDiagnostic {
  /** 0-based line and character (editor positions). */
  line: number;
  character: number;
  message: string;
}

function fromError(err: unknown): MagicDiagnostic {
  if (!(err instanceof MagicError)) throw err;
  return {
    line: err.line - 1,
    character: Math.max(0, err.column - 1),
    message: err.describe().replace(/^line \d+, column \d+: /, ""),
  };
}

export function magicDiagnostics(text: string, catalog: MagicCatalog): MagicDiagnostic[] {
  let parts;
  try {
    parts = parseCell(text);
  } catch (err) {
    return [fromError(err)];
  }
  const out: MagicDiagnostic[] = [];
  for (const part of parts) {
    if (part.kind === "code") continue;
    try {
      const magic = catalog.registry.resolve(part.name, part.kind, part.line + 1, part.column);
      const { args } = takeResultName(part.args, part.line + 1, part.argsColumn);
      if (part.kind === "cell" && magic.bodySchema) parseKeyValueBody(part.body, magic.bodySchema, part.bodyLine + 1);
      magic.checkArgs?.({ name: part.name, kind: part.kind, args, line: part.line + 1, argsColumn: part.argsColumn });
    } catch (err) {
      out.push(fromError(err));
    }
  }
  return out;
}

/** The location and message of a kernel MagicError output ("line 3, column 9: …"), or undefined for other errors. */
export function locateMagicError(ename: string, evalue: string): MagicDiagnostic | undefined {
  if (ename !== "MagicError") return undefined;
  const m = /^line (\d+), column (\d+): ([\s\S]*)$/.exec(evalue);
  if (!m) return undefined;
  return { line: Number(m[1]) - 1, character: Number(m[2]) - 1, message: m[3] };
}

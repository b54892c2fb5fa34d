import * as fs from "fs";
import { isBinaryMime, isJsonMime, type CellOutput } from "../protocol/outputs";
import { writeFileAtomic } from "../util/atomicWrite";
import { withCellIds } from "./cellIds";
import { jsonErrorOffset } from "./jsonErrorOffset";

/** nbformat 4 multiline text: a string or a list of lines. */
export type MultilineText = string | string[];

export interface IpynbCell {
  cell_type: "code" | "markdown" | "raw";
  source: MultilineText;
  metadata: Record<string, unknown>;
  execution_count?: number | null;
  outputs?: IpynbOutput[];
  [key: string]: unknown;
}

export type IpynbOutput =
  | { output_type: "stream"; name: "stdout" | "stderr"; text: MultilineText }
  | {
      output_type: "display_data";
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
      transient?: unknown;
    }
  | { output_type: "error"; ename: string; evalue: string; traceback: string[] };

export interface Ipynb {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: IpynbCell[];
}

/** A notebook file that cannot be used, with the file named and what to do. */
export class NotebookFileError extends Error {
  constructor(
    readonly file: string,
    problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "NotebookFileError";
  }
}

/** " (line 7, column 3)" for the first syntax error, so a hand-edited notebook can be fixed. */
function jsonErrorLocation(text: string): string {
  const offset = jsonErrorOffset(text);
  if (offset === undefined) return "";
  const before = text.slice(0, offset);
  return ` (line ${before.split("\n").length}, column ${offset - before.lastIndexOf("\n")})`;
}

export function joinText(text: MultilineText): string {
  return Array.isArray(text) ? text.join("") : text;
}

/** Jupyter stores text as a list of lines that keep their newline; diffs of saved notebooks then read well. */
export function splitText(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export function parseNotebook(text: string, file: string): Ipynb {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    throw new NotebookFileError(
      file,
      `not valid JSON${jsonErrorLocation(text)}: ${message}. Is it a Jupyter notebook (.ipynb)?`,
    );
  }
  const obj = nb as Partial<Ipynb>;
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    throw new NotebookFileError(file, "the top level is not a JSON object, so this is not a Jupyter notebook.");
  if (obj.nbformat !== 4)
    throw new NotebookFileError(
      file,
      `nbformat is ${JSON.stringify(obj.nbformat)}; only nbformat 4 notebooks are supported (convert with 'jupyter nbconvert --to notebook').`,
    );
  if (!Array.isArray(obj.cells)) throw new NotebookFileError(file, "it has no 'cells' list.");
  obj.cells.forEach((cell, i) => {
    const c = cell as Partial<IpynbCell>;
    if (typeof c !== "object" || c === null || !["code", "markdown", "raw"].includes(c.cell_type as string)) {
      throw new NotebookFileError(file, `cell ${i + 1} has no valid cell_type (code, markdown or raw).`);
    }
    if (typeof c.source !== "string" && !(Array.isArray(c.source) && c.source.every((s) => typeof s === "string"))) {
      throw new NotebookFileError(file, `cell ${i + 1} has no source text.`);
    }
  });
  return { nbformat_minor: 5, metadata: {}, ...obj } as Ipynb;
}

/** " in it, e.g. a.ipynb, b.ipynb" for a folder given where a notebook was expected. */
function notebooksIn(dir: string): string {
  let names: string[] = [];
  try {
    names = fs
      .readdirSync(dir)
      .filter((n) => /\.ipynb$/i.test(n))
      .sort();
  } catch {
    // unreadable: say nothing more
  }
  return names.length ? ` in it, e.g. ${names.slice(0, 3).join(", ")}` : "";
}

export function readNotebook(file: string): Ipynb {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new NotebookFileError(
      file,
      e.code === "ENOENT"
        ? "no such file."
        : e.code === "EISDIR"
          ? `is a folder, not a notebook; give the path of a .ipynb file${notebooksIn(file)}.`
          : `cannot be read (${e.code ?? e.message}).`,
    );
  }
  return parseNotebook(text, file);
}

/** Jupyter's indentation of one space, and a final newline, as JupyterLab and VS Code save; every cell gets an id. */
export function writeNotebook(file: string, nb: Ipynb): void {
  writeFileAtomic(file, JSON.stringify(withCellIds(nb), null, 1) + "\n");
}

function mimeValueToIpynb(mime: string, value: unknown): unknown {
  if (isJsonMime(mime) || isBinaryMime(mime) || typeof value !== "string") return value;
  return splitText(value);
}

/** Our output model → nbformat 4 outputs. */
export function toIpynbOutputs(outputs: readonly CellOutput[]): IpynbOutput[] {
  return outputs.map((o): IpynbOutput => {
    switch (o.kind) {
      case "stream":
        return { output_type: "stream", name: o.name, text: splitText(o.text) };
      case "error":
        return { output_type: "error", ename: o.ename, evalue: o.evalue, traceback: o.traceback };
      case "display": {
        const data = Object.fromEntries(
          Object.entries(o.data).map(([mime, value]) => [mime, mimeValueToIpynb(mime, value)]),
        );
        return { output_type: "display_data", data, metadata: o.metadata };
      }
    }
  });
}

import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { jsonErrorOffset } from "../../../kernel/notebook/jsonErrorOffset";
import {
  joinText,
  NotebookFileError,
  parseNotebook,
  readNotebook,
  splitText,
  toIpynbOutputs,
  writeNotebook,
} from "../../../kernel/notebook/ipynb";

const minimal = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [{ cell_type: "code", source: ["1 +\n", "1"], metadata: {}, outputs: [], execution_count: null }],
};

describe("ipynb", () => {
  it("parses a valid notebook", () => {
    const nb = parseNotebook(JSON.stringify(minimal), "a.ipynb");
    assert.strictEqual(joinText(nb.cells[0].source), "1 +\n1");
  });

  it("names the file and the line/column of invalid JSON", () => {
    assert.throws(
      () => parseNotebook('{\n "cells": [\n  }', "broken.ipynb"),
      (e: Error) =>
        e instanceof NotebookFileError && /^broken\.ipynb: not valid JSON \(line 3, column 3\)/.test(e.message),
    );
  });

  it("rejects what is not an nbformat 4 notebook, saying why", () => {
    assert.throws(() => parseNotebook("[]", "x.ipynb"), /x\.ipynb: the top level is not a JSON object/);
    assert.throws(() => parseNotebook(JSON.stringify({ ...minimal, nbformat: 3 }), "x.ipynb"), /nbformat is 3/);
    assert.throws(() => parseNotebook(JSON.stringify({ nbformat: 4 }), "x.ipynb"), /no 'cells' list/);
    assert.throws(
      () => parseNotebook(JSON.stringify({ ...minimal, cells: [{ cell_type: "code" }] }), "x.ipynb"),
      /cell 1 has no source/,
    );
    assert.throws(
      () => parseNotebook(JSON.stringify({ ...minimal, cells: [{ cell_type: "sql", source: "" }] }), "x.ipynb"),
      /cell 1 has no valid cell_type/,
    );
  });

  it("says when the file does not exist", () => {
    assert.throws(() => readNotebook("/nonexistent/n.ipynb"), /\/nonexistent\/n\.ipynb: no such file/);
  });

  it("splits text into lines that keep their newline, and joins them back", () => {
    for (const text of ["", "a", "a\n", "a\nb", "a\n\nb\n"]) assert.strictEqual(joinText(splitText(text)), text);
    assert.deepStrictEqual(splitText("a\nb"), ["a\n", "b"]);
  });

  it("converts outputs to nbformat: JSON stays an object, images stay base64, text becomes lines", () => {
    const outputs = toIpynbOutputs([
      { kind: "stream", name: "stdout", text: "x\ny\n" },
      {
        kind: "display",
        data: { "application/vnd.medad.table+json": { rows: [] }, "image/png": "iVBO", "text/plain": "a\nb" },
        metadata: {},
      },
      { kind: "error", ename: "E", evalue: "v", traceback: ["t"] },
    ]);
    assert.deepStrictEqual(outputs, [
      { output_type: "stream", name: "stdout", text: ["x\n", "y\n"] },
      {
        output_type: "display_data",
        data: { "application/vnd.medad.table+json": { rows: [] }, "image/png": "iVBO", "text/plain": ["a\n", "b"] },
        metadata: {},
      },
      { output_type: "error", ename: "E", evalue: "v", traceback: ["t"] },
    ]);
  });

  it("writes atomically and leaves no temporary file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ipynb-"));
    const file = path.join(dir, "n.ipynb");
    writeNotebook(file, parseNotebook(JSON.stringify(minimal), file));
    assert.deepStrictEqual(fs.readdirSync(dir), ["n.ipynb"]);
    assert.deepStrictEqual(readNotebook(file).cells.length, 1);
    fs.rmSync(dir, { recursive: true });
  });
});

describe("jsonErrorOffset", () => {
  it("accepts what JSON.parse accepts", () => {
    for (const text of ['{"a":[1,-2.5e3,true,false,null,"x\\n\\u00e9"]}', " [] ", '""', "0"]) {
      JSON.parse(text);
      assert.strictEqual(jsonErrorOffset(text), undefined, text);
    }
  });

  it("finds the first error where JSON.parse fails", () => {
    const cases: Array<[string, number]> = [
      ["{,}", 1],
      ['{"a" 1}', 5],
      ["[1,]", 3],
      ["[1 2]", 3],
      ['{"a":01}', 6],
      ["[tru]", 1],
      ['"abc', 4],
      ["[] x", 3],
      ["", 0],
    ];
    for (const [text, offset] of cases) {
      assert.throws(() => JSON.parse(text));
      assert.strictEqual(jsonErrorOffset(text), offset, text);
    }
  });
});

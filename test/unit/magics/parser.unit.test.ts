import * as assert from "assert";
import { MagicError } from "../../../kernel/magics/errors";
import { parseCell } from "../../../kernel/magics/parser";

describe("parseCell", () => {
  it("keeps a plain TypeScript cell as one code part", () => {
    assert.deepStrictEqual(parseCell("const a = 1;\na % 2"), [{ kind: "code", code: "const a = 1;\na % 2", line: 0 }]);
  });

  it("reads a cell magic with arguments, body and positions", () => {
    const [part] = parseCell("%%fewshot --as r\ndataset: ./x\nshots: 4");
    assert.deepStrictEqual(part, {
      kind: "cell",
      name: "fewshot",
      args: "--as r",
      argsColumn: 11,
      column: 1,
      body: "dataset: ./x\nshots: 4",
      line: 0,
      bodyLine: 1,
    });
  });

  it("allows blank lines before a cell magic", () => {
    const [part] = parseCell("\n\n%%time\nx");
    assert.strictEqual(part.kind, "cell");
    assert.strictEqual(part.line, 2);
    assert.strictEqual((part as { bodyLine: number }).bodyLine, 3);
  });

  it("splits line magics from the code around them, in order, with 0-based lines", () => {
    const parts = parseCell("let a = 1;\n%env X=1\n  %cd /tmp\nconsole.log(a);");
    assert.deepStrictEqual(
      parts.map((p) => [p.kind, p.line, p.kind === "code" ? p.code : p.name + ":" + p.args]),
      [
        ["code", 0, "let a = 1;"],
        ["line", 1, "env:X=1"],
        ["line", 2, "cd:/tmp"],
        ["code", 3, "console.log(a);"],
      ],
    );
    const cd = parts[2] as { column: number; argsColumn: number };
    assert.strictEqual(cd.column, 3);
    assert.strictEqual(cd.argsColumn, 7);
  });

  it("rejects a cell magic below the first line, pointing at it", () => {
    assert.throws(
      () => parseCell("let a = 1;\n%%time\na"),
      (e: MagicError) => e instanceof MagicError && e.line === 2 && e.column === 1 && /first line/.test(e.message),
    );
  });

  it("rejects a % without a magic name", () => {
    assert.throws(
      () => parseCell("% foo"),
      (e: MagicError) => e.line === 1 && e.column === 2 && /nothing/.test(e.message),
    );
    assert.throws(
      () => parseCell("%%1abc"),
      (e: MagicError) => e.line === 1 && e.column === 3 && /'1abc'/.test(e.message),
    );
  });

  it("drops code parts that are only whitespace", () => {
    assert.deepStrictEqual(
      parseCell("\n%pwd\n\n").map((p) => p.kind),
      ["line"],
    );
  });
});

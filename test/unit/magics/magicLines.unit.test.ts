import * as assert from "assert";
import { magicRanges } from "../../../kernel/magics/magicLines";
import { parseCell } from "../../../kernel/magics/parser";

/** The magic text of a cell, range by range. */
function magicText(cell: string): string[] {
  return magicRanges(cell).map((r) => cell.slice(r.start, r.end));
}

describe("magic lines", () => {
  it("makes a whole %% cell magic, head and body, from its first non-blank line", () => {
    const cell = "\n  %%fewshot --as r\ndataset: demo\n\nshots: 4";
    assert.deepStrictEqual(magicText(cell), ["  %%fewshot --as r", "dataset: demo", "", "shots: 4"]);
  });

  it("marks % lines of a TypeScript cell and nothing else", () => {
    const cell = "const a = 1;\n  %env X=1\na % 2\n%roc r";
    assert.deepStrictEqual(magicText(cell), ["  %env X=1", "%roc r"]);
    assert.deepStrictEqual(magicRanges("const a = 1 % 2;"), []);
    // The same lines the kernel's splitter takes away from TypeScript.
    assert.deepStrictEqual(
      parseCell(cell)
        .filter((p) => p.kind === "line")
        .map((p) => p.line),
      [1, 3],
    );
  });

  it("counts \\r\\n as two characters, so offsets match the document", () => {
    const cell = "let a = 1;\r\n%time\r\na";
    assert.deepStrictEqual(magicRanges(cell), [{ start: 12, end: 17 }]);
    assert.deepStrictEqual(magicText("%%time\r\nx\r\n"), ["%%time", "x", ""]);
  });
});

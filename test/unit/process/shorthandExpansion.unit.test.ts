import * as assert from "assert";
import { expandShorthandProperties } from "../../../kernel/process/shorthandExpansion";

describe("expandShorthandProperties", () => {
  it("expands shorthand properties in literals, nested functions and destructuring assignments", () => {
    assert.strictEqual(
      expandShorthandProperties("const o = { labels, scores: s };"),
      "const o = { labels: labels, scores: s };",
    );
    assert.strictEqual(
      expandShorthandProperties("function f() { return { a, b }; }"),
      "function f() { return { a: a, b: b }; }",
    );
    assert.strictEqual(expandShorthandProperties("({ x = 1 } = obj);"), "({ x: x = 1 } = obj);");
  });

  it("leaves everything else alone", () => {
    for (const code of [
      "const { a, b } = obj;",
      "const o = { a: 1 };",
      "f({ ...rest });",
      "const s = '{ a }';",
      "let x = 1;",
    ]) {
      assert.strictEqual(expandShorthandProperties(code), code);
    }
  });
});

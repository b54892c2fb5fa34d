import * as assert from "assert";
import type { Ipynb } from "../../../kernel/notebook/ipynb";
import { injectParameters, parseParamArg } from "../../../kernel/notebook/parameters";

function notebook(tagged: boolean): Ipynb {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# title" },
      {
        cell_type: "code",
        metadata: tagged ? { tags: ["parameters"] } : {},
        source: ['let model = "openai/clip";\n', "let epochs: number = 50;\n", "const fixed = 1;"],
        outputs: [],
        execution_count: null,
      },
      { cell_type: "code", metadata: {}, source: "model", outputs: [], execution_count: null },
    ],
  };
}

describe("notebook parameters (medad run --param)", () => {
  it("parses JSON values and keeps other text as strings", () => {
    assert.deepStrictEqual(parseParamArg("epochs=2"), ["epochs", 2]);
    assert.deepStrictEqual(parseParamArg('datasets=["demo","x"]'), ["datasets", ["demo", "x"]]);
    assert.deepStrictEqual(parseParamArg("model=medad/demo-tiny-clip"), ["model", "medad/demo-tiny-clip"]);
    assert.deepStrictEqual(parseParamArg("dir=a=b"), ["dir", "a=b"]);
    assert.throws(() => parseParamArg("=3"), /name=value/);
  });

  it("inserts one tagged assignment cell after the parameters cell and leaves the input alone", () => {
    const nb = notebook(true);
    const out = injectParameters(nb, { epochs: 2, model: "medad/demo-tiny-clip" }, "nb.ipynb");
    assert.strictEqual(out.cells.length, 4);
    assert.deepStrictEqual(out.cells[2].metadata, { tags: ["injected-parameters"] });
    assert.strictEqual(
      (out.cells[2].source as string[]).join(""),
      '// Injected by medad run --param\nepochs = 2;\nmodel = "medad/demo-tiny-clip";',
    );
    assert.strictEqual(nb.cells.length, 3);
    assert.strictEqual(injectParameters(nb, {}, "nb.ipynb"), nb);
  });

  it("names the notebook and the fix when there is no parameters cell or the name is not a let", () => {
    assert.throws(
      () => injectParameters(notebook(false), { epochs: 2 }, "nb.ipynb"),
      /nb\.ipynb has no cell tagged 'parameters'/,
    );
    assert.throws(
      () => injectParameters(notebook(true), { fixed: 2 }, "nb.ipynb"),
      /--param fixed: the parameters cell \(cell 2 of nb\.ipynb\) does not declare it with let; declared there: model, epochs/,
    );
    assert.throws(() => injectParameters(notebook(true), { "a-b": 2 }, "nb.ipynb"), /not a TypeScript identifier/);
  });
});

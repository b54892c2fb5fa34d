import * as assert from "assert";
import { magicCatalog } from "../../../../kernel/magics/editor/catalog";
import { magicCompletions } from "../../../../kernel/magics/editor/completions";
import { locateMagicError, magicDiagnostics } from "../../../../kernel/magics/editor/diagnostics";
import { magicHover } from "../../../../kernel/magics/editor/hover";
import { AVAILABLE_METHODS } from "../../../../kernel/methods/runFewshot";

const catalog = magicCatalog();

/** Completions with the cursor at the `|` in the cell text. */
function complete(cell: string) {
  const before = cell.slice(0, cell.indexOf("|")).split("\n");
  return magicCompletions(cell.replace("|", ""), before.length - 1, before[before.length - 1].length, catalog);
}

function hover(cell: string) {
  const before = cell.slice(0, cell.indexOf("|")).split("\n");
  return magicHover(cell.replace("|", ""), before.length - 1, before[before.length - 1].length, catalog);
}

describe("magic completions", () => {
  it("offers cell magics after %% on the first line and line magics after %", () => {
    assert.deepStrictEqual(
      complete("%%|").map((c) => c.label),
      ["%%compare", "%%fewshot", "%%synth", "%%time"],
    );
    assert.deepStrictEqual(
      complete("%%fe|").map((c) => [c.label, c.insertText, c.replaceStart]),
      [["%%fewshot", "fewshot", 2]],
    );
    const line = complete("const a = 1;\n  %h|");
    assert.deepStrictEqual(
      line.map((c) => c.label),
      ["%heatmap", "%help"],
    );
    assert.strictEqual(line[0].replaceStart, 3);
    assert.match(line[0].documentation, /%heatmap RESULT \[CASES\]/);
    assert.ok(
      complete("%|").some((c) => c.label === "%explore") && complete("%|").every((c) => c.label !== "%fewshot"),
    );
  });

  it("offers no %% magic below the first line, and none inside a cell magic's body", () => {
    assert.deepStrictEqual(complete("x\n%%|"), []);
    assert.deepStrictEqual(complete("%%fewshot\n%|"), []);
  });

  it("offers magic names after %help", () => {
    assert.deepStrictEqual(
      complete("%help fe|").map((c) => c.label),
      ["fewshot"],
    );
  });

  it("offers body keys not given yet, required first, inserting 'key: '", () => {
    const keys = complete("%%fewshot\nmethod: patchcore\n|");
    assert.deepStrictEqual(
      keys.slice(0, 1).map((c) => c.label),
      ["model"],
    );
    assert.ok(!keys.some((c) => c.label === "method"));
    assert.strictEqual(keys[0].insertText, "model: ");
    assert.match(keys[0].detail, /^required · a text value$/);
    assert.deepStrictEqual(
      complete("%%fewshot\n  sh|").map((c) => [c.label, c.replaceStart]),
      [["shots", 2]],
    );
    assert.ok(complete("%%compare\n|").some((c) => c.label === "seeds"));
  });

  it("offers enum and boolean values from the kernel's schema", () => {
    const methods = complete("%%fewshot\nmethod: |").map((c) => c.label);
    assert.deepStrictEqual(methods, [...AVAILABLE_METHODS]);
    assert.deepStrictEqual(
      complete("%%fewshot\nmethod: pa|").map((c) => [c.label, c.replaceStart]),
      [["patchcore", 8]],
    );
    assert.deepStrictEqual(
      complete("%%fewshot\ncache: |").map((c) => c.label),
      ["true", "false"],
    );
    assert.deepStrictEqual(complete("%%fewshot\nshots: |"), []);
    assert.deepStrictEqual(complete("%%time\nconst a|"), []);
  });

  it("offers nothing for a word typed out in full, so Enter at the line end breaks the line", () => {
    assert.deepStrictEqual(complete("%%fewshot\nmethod: patchcore|"), []);
    assert.deepStrictEqual(complete("%%fewshot\ncache: true|"), []);
    assert.deepStrictEqual(complete("%%fewshot\nshots|"), []);
    assert.deepStrictEqual(complete("%%fewshot|"), []);
    assert.deepStrictEqual(complete("%roc|"), []);
    assert.deepStrictEqual(
      complete("%%fewshot\nmethod: patchcor|").map((c) => c.label),
      ["patchcore"],
    );
  });
});

describe("magic hovers", () => {
  it("documents magic names and body keys", () => {
    const name = hover("%%few|shot\nmethod: zero-shot");
    assert.ok(name);
    assert.deepStrictEqual([name.line, name.start, name.end], [0, 0, 9]);
    assert.match(name.markdown, /^\*\*%%fewshot\*\* — Run a few-shot anomaly-detection method/);
    assert.match(name.markdown, /`method` \(required\): few-shot method/);
    const key = hover("%%fewshot\n  sh|ots: 4");
    assert.ok(key);
    assert.deepStrictEqual([key.line, key.start, key.end], [1, 2, 7]);
    assert.match(
      key.markdown,
      // The default comes from the option table (fewshotOptions.ts), MadCLIP's 16 shots included.
      /`shots`: support images per class \(default 4, madclip 16\)\n\nValue: a whole number from 0 to 256\./,
    );
    assert.match(hover("x = 1\n%ro|c fewshotResult")!.markdown, /^\*\*%roc\*\* — Show ROC curves/);
  });

  it("stays silent elsewhere", () => {
    assert.strictEqual(hover("%%fewshot\nshots: 4|"), undefined);
    assert.strictEqual(hover("const x = 1;|"), undefined);
    assert.strictEqual(hover("%nosuch|"), undefined);
  });
});

describe("magic diagnostics", () => {
  it("finds the kernel's errors at their line and column without running the cell", () => {
    assert.deepStrictEqual(magicDiagnostics("%%fewshot\nmethod: patchcore\nshot: 4\nmodel: m", catalog), [
      {
        line: 2,
        character: 0,
        message:
          "unknown key 'shot'. Did you mean 'shots'? Expected one of: dataset, method, model, shots, seed, device, image_size, taps, protocol, selection, list, max_test, category, batch, preprocess, cache, epochs, checkpoint, resume, prompts, train_adapters, jitter, signs.",
      },
    ]);
    assert.deepStrictEqual(
      magicDiagnostics("%%fewshot\nmethod: patchcor\nmodel: m", catalog).map((d) => [d.line, d.character]),
      [[1, 8]],
    );
    const unknown = magicDiagnostics("const a = 1;\n%rocc a", catalog);
    assert.deepStrictEqual(
      unknown.map((d) => [d.line, d.character]),
      [[1, 0]],
    );
    assert.match(unknown[0].message, /unknown line magic '%rocc'\. Did you mean '%roc'\?/);
    assert.match(magicDiagnostics("x\n%%time", catalog)[0].message, /a cell magic must be the first line/);
    assert.match(magicDiagnostics("%load f --as 2x", catalog)[0].message, /'2x' is not a valid variable name/);
    // Each magic's own argument checks, with --as taken out first as the kernel does.
    assert.deepStrictEqual(
      magicDiagnostics("x\n%heatmap r lots", catalog).map((d) => [d.line, d.character, d.message.split(".")[0]]),
      [[1, 11, "'lots' is not a valid number of cases"]],
    );
    assert.deepStrictEqual(
      magicDiagnostics("%save r", catalog).map((d) => d.message.split(".")[0]),
      ["%save needs a file to write"],
    );
    assert.deepStrictEqual(
      magicDiagnostics("%load a.json --as r extra", catalog).map((d) => [d.character, d.message.split(".")[0]]),
      [[20, "unexpected argument 'extra'"]],
    );
    assert.deepStrictEqual(
      magicDiagnostics("%models pull nothing", catalog).map((d) => [d.character, d.message.split(".")[0]]),
      [[13, "'nothing' is not a Hub repo id"]],
    );
  });

  it("finds nothing in good cells and plain TypeScript", () => {
    assert.deepStrictEqual(magicDiagnostics("%%fewshot\nmethod: patchcore # the baseline\nmodel: m\n", catalog), []);
    assert.deepStrictEqual(magicDiagnostics("const a = 10 % 3;\n%roc fewshotResult\nconsole.log(a)", catalog), []);
    assert.deepStrictEqual(magicDiagnostics("%%time\nthis is not checked as a body", catalog), []);
  });

  it("reads the location out of a kernel MagicError", () => {
    assert.deepStrictEqual(
      locateMagicError("MagicError", "line 2, column 10: dataset /x does not exist. Expected a dataset folder."),
      { line: 1, character: 9, message: "dataset /x does not exist. Expected a dataset folder." },
    );
    assert.strictEqual(locateMagicError("TypeError", "line 2, column 10: x"), undefined);
  });
});

import * as assert from "assert";
import { createDefaultRegistry } from "../../../kernel/magics/builtins";
import { MagicError } from "../../../kernel/magics/errors";
import { defaultResultName, takeResultName } from "../../../kernel/magics/registry";
import { editDistance, nearest } from "../../../kernel/magics/suggest";

describe("magic registry", () => {
  const registry = createDefaultRegistry();

  it("has the built-in magics", () => {
    assert.deepStrictEqual(
      registry.all().map((m) => m.name),
      [
        "cd",
        "compare",
        "dataset",
        "detect",
        "env",
        "explore",
        "fewshot",
        "heatmap",
        "help",
        "load",
        "lsmagic",
        "models",
        "pwd",
        "roc",
        "save",
        "synth",
        "time",
        "tsne",
      ],
    );
  });

  it("suggests the nearest magic for a typo and keeps the position", () => {
    assert.throws(
      () => registry.resolve("tiem", "line", 4, 3),
      (e: MagicError) =>
        e.suggestion === "%time" &&
        e.line === 4 &&
        e.column === 3 &&
        /%cd, %dataset, %detect, %env/.test(e.expected ?? ""),
    );
  });

  it("says when a line magic is used as a cell magic", () => {
    assert.throws(
      () => registry.resolve("env", "cell", 1, 1),
      (e: MagicError) => /not a cell magic/.test(e.message) && /'%env'/.test(e.expected ?? ""),
    );
  });

  it("refuses to register a name twice", () => {
    assert.throws(() => registry.register(registry.get("time")!), /registered twice/);
  });
});

describe("result variables", () => {
  it("takes --as NAME out of the arguments", () => {
    // Blanked, not cut: "foo" keeps its column.
    assert.deepStrictEqual(takeResultName("--as r2 foo", 1, 8), { args: "        foo", as: "r2" });
    assert.deepStrictEqual(takeResultName("a --as=best b", 1, 8), { args: "a           b", as: "best" });
    assert.deepStrictEqual(takeResultName("a --as r", 1, 8), { args: "a", as: "r" });
    assert.deepStrictEqual(takeResultName("--ask", 1, 8), { args: "--ask" });
  });

  it("rejects a missing or invalid variable name with its column", () => {
    assert.throws(
      () => takeResultName("x --as", 2, 8),
      (e: MagicError) => e.line === 2 && e.column === 10,
    );
    assert.throws(
      () => takeResultName("--as 9lives", 1, 8),
      (e: MagicError) => e.column === 13 && /not a valid variable name/.test(e.message),
    );
  });

  it("derives the default variable from the magic name", () => {
    assert.strictEqual(defaultResultName("fewshot"), "fewshotResult");
    assert.strictEqual(defaultResultName("my-magic"), "myMagicResult");
  });
});

describe("suggestions", () => {
  it("computes edit distances", () => {
    assert.strictEqual(editDistance("kitten", "sitting"), 3);
    assert.strictEqual(editDistance("", "abc"), 3);
    assert.strictEqual(editDistance("same", "same"), 0);
  });

  it("suggests only plausible typos", () => {
    assert.strictEqual(nearest("Shots", ["shots", "seed"]), "shots");
    assert.strictEqual(nearest("xyzzy", ["shots", "seed"]), undefined);
  });
});

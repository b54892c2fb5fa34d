import * as assert from "assert";
import { distinctSuffixes, keepEnd, wrapLimited, wrapWords } from "../../../kernel/protocol/labels";

describe("protocol: label layout", () => {
  it("wraps at spaces and cuts only words longer than a line", () => {
    const name = "zero-shot CLIP (MVFA prompt ensemble)";
    assert.deepStrictEqual(wrapWords(name, 16), ["zero-shot CLIP", "(MVFA prompt", "ensemble)"]);
    assert.deepStrictEqual(wrapWords("abcdefghij k", 4), ["abcd", "efgh", "ij k"]);
    assert.deepStrictEqual(wrapWords("", 10), [""]);
    const long = "PatchCore-style few-shot (MVFA memory branch on frozen features)";
    assert.ok(wrapWords(long, 20).every((l) => l.length <= 20));
  });

  it("limits the lines and marks what was dropped", () => {
    assert.deepStrictEqual(wrapLimited("one two three four", 8, 2), ["one two", "three…"]);
    assert.deepStrictEqual(wrapLimited("one two", 8, 2), ["one two"]);
  });

  it("keeps the end of a long name", () => {
    assert.strictEqual(keepEnd("Brain_AD/test/Ungood/img/00004_109.png", 12), "…004_109.png");
    assert.strictEqual(keepEnd("short.png", 12), "short.png");
  });

  it("shows the part of each id that tells it apart from the others", () => {
    assert.deepStrictEqual(
      distinctSuffixes(["Brain_AD/test/Ungood/img/00004_109.png", "Brain_AD/test/good/img/00012_50.png"]),
      ["00004_109.png", "00012_50.png"],
    );
    // Same file name in two folders: the folder that differs comes back.
    const ids = ["a/good/img/1.png", "a/Ungood/img/1.png", "a/good/img/2.png"];
    assert.deepStrictEqual(distinctSuffixes(ids), ["good/img/1.png", "Ungood/img/1.png", "2.png"]);
    assert.deepStrictEqual(distinctSuffixes(["x", "x"]), ["x", "x"]);
    assert.deepStrictEqual(distinctSuffixes(["case-1"]), ["case-1"]);
  });
});

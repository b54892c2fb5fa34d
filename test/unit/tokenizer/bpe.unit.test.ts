import * as assert from "assert";
import { BytePairEncoder, parseMerges } from "../../../kernel/tokenizer/bpe";
import { byteToChar, fromByteAlphabet, toByteAlphabet } from "../../../kernel/tokenizer/byteUnicode";

describe("BPE merges", () => {
  it("applies the lowest-ranked pair first, left to right without overlap", () => {
    const ranks = parseMerges("#version: 0.2\na a\naa a</w>\nb a\n");
    const bpe = new BytePairEncoder(ranks);
    // The last symbol carries </w>, so "a a</w>" is not the ranked pair "a a": non-overlapping merges leave it.
    assert.deepStrictEqual(bpe.encodeWord("aaaa"), ["aa", "a", "a</w>"]);
    assert.deepStrictEqual(bpe.encodeWord("aaaaa"), ["aa", "aaa</w>"]);
    assert.deepStrictEqual(bpe.encodeWord("ba"), ["b", "a</w>"]);
    assert.deepStrictEqual(bpe.encodeWord("x"), ["x</w>"]);
  });

  it("honours rank order over position", () => {
    const bpe = new BytePairEncoder(parseMerges("c d</w>\nb c\n"));
    assert.deepStrictEqual(bpe.encodeWord("bcd"), ["b", "cd</w>"]);
  });

  it("stops reading merges at the limit and rejects malformed lines", () => {
    assert.strictEqual(parseMerges("a b\nc d\ne f\n", 2).size, 2);
    assert.throws(() => parseMerges("a b\nabc\n"), /line 2/);
  });

  it("maps all 256 bytes to distinct printable characters and back", () => {
    assert.strictEqual(new Set(byteToChar).size, 256);
    assert.strictEqual(byteToChar[0x20], "\u0120");
    assert.strictEqual(byteToChar[0x41], "A");
    assert.strictEqual(toByteAlphabet("é"), "\u00c3\u00a9");
    assert.strictEqual(fromByteAlphabet(toByteAlphabet("é 東")), "é 東");
  });
});

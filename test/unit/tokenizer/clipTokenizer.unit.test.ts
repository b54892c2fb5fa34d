import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { cleanText, ClipTokenizer, toInt64 } from "../../../kernel/tokenizer";
import { tinyClipDir, tinyClipModel, tinyClipRef } from "../../helpers/fixturePaths";
import { readFixtureTensor } from "../../helpers/safetensorsFixture";

describe("ClipTokenizer", () => {
  const tok = ClipTokenizer.fromDirectory(tinyClipModel);
  const vocab = JSON.parse(fs.readFileSync(path.join(tinyClipModel, "vocab.json"), "utf8")) as Record<string, number>;
  const id = (token: string) => {
    assert.ok(token in vocab, `vocab has ${token}`);
    return vocab[token];
  };

  it("matches the reference token ids of the fixture prompts exactly", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(tinyClipDir, "manifest.json"), "utf8"));
    const entry = manifest.files["text.safetensors"].find((e: { name: string }) => e.name === "token_ids");
    const prompts = (entry.meaning as string).split("Prompts: ")[1].split(" | ");
    assert.strictEqual(prompts.length, 3);
    const ref = readFixtureTensor(path.join(tinyClipRef, "text.safetensors"), "token_ids");
    const got = tok.tokenize(prompts);
    assert.deepStrictEqual(got.dims, ref.shape);
    assert.deepStrictEqual(Array.from(got.ids), Array.from(ref.data as Int32Array));
  });

  it("gives the well-known ids of 'a photo of a cat'", () => {
    assert.deepStrictEqual(tok.encode("a photo of a cat"), [320, 1125, 539, 320, 2368]);
    // The example of OpenAI's CLIP README: clip.tokenize(["a diagram", "a dog", "a cat"]).
    assert.deepStrictEqual(
      Array.from(tok.tokenize(["a diagram", "a dog", "a cat"], 4).ids),
      [49406, 320, 22697, 49407, 49406, 320, 1929, 49407, 49406, 320, 2368, 49407],
    );
    assert.strictEqual(tok.sotId, 49406);
    assert.strictEqual(tok.eotId, 49407);
  });

  it("lays out SOT, tokens, EOT and zero padding in a [n,77] batch", () => {
    const batch = tok.tokenize(["a cat", "a"]);
    assert.deepStrictEqual(batch.dims, [2, 77]);
    assert.deepStrictEqual(Array.from(batch.ids.subarray(0, 5)), [49406, 320, 2368, 49407, 0]);
    assert.deepStrictEqual(Array.from(batch.ids.subarray(77, 81)), [49406, 320, 49407, 0]);
    assert.ok(batch.ids.subarray(81, 154).every((v) => v === 0));
    const wide = toInt64(batch);
    assert.strictEqual(wide.length, 154);
    assert.strictEqual(wide[3], 49407n);
  });

  it("splits punctuation runs from words and keeps a run together", () => {
    assert.deepStrictEqual(tok.encode("stop!!"), [id("stop</w>"), id("!!</w>")]);
    assert.deepStrictEqual(tok.encode("x-ray"), [id("x</w>"), id("-</w>"), id("ray</w>")]);
  });

  it("splits numbers into single digits", () => {
    assert.deepStrictEqual(tok.encode("2024"), [id("2</w>"), id("0</w>"), id("2</w>"), id("4</w>")]);
    assert.deepStrictEqual(tok.encode("t2"), [id("t</w>"), id("2</w>")]);
  });

  it("separates English contractions, also after curly quotes are straightened", () => {
    const straight = tok.encode("it's");
    assert.deepStrictEqual(straight, [id("it</w>"), id("'s</w>")]);
    assert.deepStrictEqual(tok.encode("It\u2019s"), straight);
    assert.deepStrictEqual(tok.encode("don't we'll"), [id("don</w>"), id("'t</w>"), id("we</w>"), id("'ll</w>")]);
  });

  it("lower-cases, collapses whitespace and unescapes HTML twice", () => {
    const plain = tok.encode("a < b");
    assert.deepStrictEqual(tok.encode("  A \t\n &amp;lt;  B  "), plain);
    assert.deepStrictEqual(tok.encode("a&nbsp;&lt;\u3000b"), plain);
    // ftfy adds a third level, but not on a line that contains '<' (it may be HTML).
    assert.deepStrictEqual(tok.encode("a &amp;amp;lt; b"), plain);
    assert.strictEqual(cleanText("< &amp;amp;lt;"), "< &lt;");
    assert.strictEqual(cleanText("x&amp;amp;amp;y\nz < &amp;amp;gt;"), "x&y z < &gt;");
  });

  it("encodes non-ASCII text byte-level and decodes it back", () => {
    for (const text of ["naïve café", "東京 mri", "lesion 🙂", "ǆ ﬁbrosis"]) {
      const ids = tok.encode(text);
      assert.ok(
        ids.every((v) => v >= 0 && v < 49406),
        text,
      );
      assert.strictEqual(tok.decode(ids), text.replace("ﬁ", "fi"));
    }
    // Full-width letters become ASCII (ftfy) before lower-casing.
    assert.deepStrictEqual(tok.encode("\uff21\uff22\uff23"), tok.encode("abc"));
  });

  it("keeps the special tokens written in the text as their own ids", () => {
    assert.deepStrictEqual(tok.encode("a<|endoftext|>"), [id("a</w>"), 49407]);
  });

  it("truncates long texts keeping EOT in the last slot", () => {
    const long = Array.from({ length: 100 }, () => "brain").join(" ");
    const batch = tok.tokenize(long);
    assert.strictEqual(batch.ids[0], 49406);
    assert.strictEqual(batch.ids[76], 49407);
    assert.ok(batch.ids.subarray(1, 76).every((v) => v === id("brain</w>")));
    assert.throws(() => tok.tokenize(long, { truncate: false }), /longer than the context of 77/);
    const short = tok.tokenize("a photo of a cat", 8);
    assert.deepStrictEqual(Array.from(short.ids), [49406, 320, 1125, 539, 320, 2368, 49407, 0]);
    assert.deepStrictEqual(Array.from(tok.tokenize("a photo of a cat", 5).ids), [49406, 320, 1125, 539, 49407]);
  });

  it("uses the vendored CLIP BPE when a folder has no tokenizer, and names the folder when it has only half of one", () => {
    assert.deepStrictEqual(ClipTokenizer.fromDirectory("/nonexistent/model").encode("a photo"), [320, 1125]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-tok-"));
    try {
      fs.writeFileSync(path.join(dir, "merges.txt"), "#version: 0.2\n");
      assert.throws(
        () => ClipTokenizer.fromDirectory(dir),
        (e: Error) => e.message.includes(path.join(dir, "vocab.json")) && /medad models pull/.test(e.message),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

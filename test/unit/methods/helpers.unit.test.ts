// Small pieces of the methods layer: model identity, default taps, min–max edge cases.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { quarterTaps } from "../../../kernel/methods/method";
import { hashModelFile } from "../../../kernel/methods/modelHash";
import { MinMaxTracker, normalise, scaleOf } from "../../../kernel/methods/normalise";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { tempDir } from "../engine/helpers";

describe("methods: model hash, default taps, normalisation", () => {
  const weights = path.join(tinyClipModel, "model.safetensors");

  it("'file' hashes every byte; 'header+size' hashes the header and the size, and tells files with other headers apart", () => {
    const full = hashModelFile(weights, "file");
    assert.strictEqual(full.value, crypto.createHash("sha256").update(fs.readFileSync(weights)).digest("hex"));
    const quick = hashModelFile(weights);
    assert.strictEqual(quick.over, "header+size");
    assert.notStrictEqual(quick.value, full.value);
    assert.strictEqual(quick.bytes, fs.statSync(weights).size);
    // Same bytes plus one trailing byte: same header, other size → other hash.
    const dir = tempDir();
    try {
      const copy = path.join(dir, "m.safetensors");
      fs.writeFileSync(copy, Buffer.concat([fs.readFileSync(weights), Buffer.from([0])]));
      assert.notStrictEqual(hashModelFile(copy).value, quick.value);
      fs.writeFileSync(path.join(dir, "bad.safetensors"), Buffer.from([255, 255, 255, 255, 0, 0, 0, 0, 1]));
      assert.throws(() => hashModelFile(path.join(dir, "bad.safetensors")), /not a safetensors file/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("default taps are the trunk's quarter points (MVFA's 6/12/18/24 on ViT-L)", () => {
    assert.deepStrictEqual(quarterTaps(24), [6, 12, 18, 24]);
    assert.deepStrictEqual(quarterTaps(12), [3, 6, 9, 12]);
    assert.deepStrictEqual(quarterTaps(8), [2, 4, 6, 8]);
    assert.deepStrictEqual(quarterTaps(2), [1, 2]);
  });

  it("min–max: eps enters the denominator; a constant set divides by 1; no statistics is an error", () => {
    const t = new MinMaxTracker();
    t.add([3, 1, 2]);
    assert.strictEqual(normalise(2, t.result(0)), 0.5);
    assert.strictEqual(normalise(3, t.result(1e-4)), 2 / (2 + 1e-4));
    const c = new MinMaxTracker();
    c.add([5, 5]);
    assert.strictEqual(scaleOf(c.result(0)), 1);
    assert.strictEqual(normalise(7, c.result(0)), 2);
    assert.throws(() => new MinMaxTracker().result(0), /at least one finite score/);
  });
});

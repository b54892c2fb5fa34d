// Small pieces of the methods layer: model identity (weights + config), default taps, min–max edge cases.
import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { quarterTaps } from "../../../kernel/methods/method";
import { hashModel, sha256File } from "../../../kernel/methods/modelHash";
import { readClipConfig } from "../../../kernel/engine/weights/clipConfig";
import { MinMaxTracker, normalise, scaleOf } from "../../../kernel/methods/normalise";
import { tinyClipModel } from "../../helpers/fixturePaths";
import { tempDir } from "../engine/helpers";

describe("methods: model hash, default taps, normalisation", () => {
  const weights = path.join(tinyClipModel, "model.safetensors");

  it("the model hash covers every weight byte and the parsed config: one changed value or field changes it", () => {
    const config = readClipConfig(path.join(tinyClipModel, "config.json"));
    const h = hashModel(weights, config);
    assert.strictEqual(h.over, "weights+config");
    assert.strictEqual(h.weightsSha256, crypto.createHash("sha256").update(fs.readFileSync(weights)).digest("hex"));
    assert.strictEqual(h.bytes, fs.statSync(weights).size);
    assert.strictEqual(hashModel(weights, readClipConfig(path.join(tinyClipModel, "config.json"))).value, h.value);
    const dir = tempDir();
    try {
      // Same header, same size, one weight value changed (the last byte of the data block).
      const bytes = Buffer.from(fs.readFileSync(weights));
      bytes[bytes.length - 1] ^= 0x01;
      const copy = path.join(dir, "model.safetensors");
      fs.writeFileSync(copy, bytes);
      assert.notStrictEqual(hashModel(copy, config).value, h.value);
      // Same weights, one config field changed.
      const edited = { ...config, vision: { ...config.vision!, layerNormEps: 1e-6 } };
      assert.notStrictEqual(hashModel(weights, edited).value, h.value);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("remembers a file's digest in the cache by path, size, mtime and inode, and re-digests a rewritten file", () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, "w.bin");
      fs.writeFileSync(file, "first");
      const digest = sha256File(file, dir);
      const notes = fs.readdirSync(path.join(dir, "digests"));
      assert.strictEqual(notes.length, 1);
      assert.strictEqual(JSON.parse(fs.readFileSync(path.join(dir, "digests", notes[0]), "utf8")).sha256, digest);
      fs.writeFileSync(file, "other"); // same size, new bytes, new mtime
      fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
      assert.strictEqual(sha256File(file, dir), crypto.createHash("sha256").update("other").digest("hex"));
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

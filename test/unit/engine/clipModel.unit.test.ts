import * as assert from "assert";
import * as fs from "fs";
import { ClipModel, ClipTextEncoder, ClipVisionEncoder, resolveModelFiles } from "../../../kernel/engine";
import { readRef } from "./clipLoad";
import { compare, fixturePath, tempDir } from "./helpers";

describe("engine/clip: ClipModel and encoders (folder → sessions)", () => {
  it("loads the fixture folder and encodes images and prompts within tolerance of the references", async () => {
    const model = ClipModel.load(fixturePath("model"));
    assert.strictEqual(model.scheme, "hf");
    const vis = await ClipVisionEncoder.create(model, { taps: [8] }, { intraOpThreads: 1 });
    const pixels = readRef("pre.safetensors")
      .readFloat32("pixels_mvfa")
      .data.subarray(0, 3 * 3 * 56 * 56);
    const out = await vis.encode(pixels, 3);
    assert.ok(
      compare(out.pooled.data as Float32Array, readRef("backbone.safetensors").readFloat64("pooled_gelu_mvfa_f64").data)
        .ok,
    );
    await assert.rejects(vis.encode(pixels, 2), /expected 2×3×56×56/);
    const text = readRef("text.safetensors");
    const enc = await ClipTextEncoder.create(model, {}, { intraOpThreads: 1 });
    const t = await enc.encodeIds(text.readInt64("token_ids").data.subarray(0, 2 * 77));
    assert.deepStrictEqual(t.dims, [2, 32]);
    assert.ok(compare(t.data as Float32Array, text.readFloat64("text_embed_causal_f64").data).ok);
    await assert.rejects(enc.encodeEmbeddings(new Float32Array(77 * 16), BigInt64Array.of(3n)), /built for token ids/);
    await vis.release();
    await enc.release();
    model.close();
  });

  it("names the folder when no config or weights are there", () => {
    const dir = tempDir();
    assert.throws(
      () => resolveModelFiles(dir),
      (e: Error) => e.message.startsWith(dir) && /no config found/.test(e.message),
    );
    fs.writeFileSync(`${dir}/config.json`, "{}");
    assert.throws(() => resolveModelFiles(dir), /no safetensors weights found \(looked for model.safetensors/);
    fs.rmSync(dir, { recursive: true });
  });
});

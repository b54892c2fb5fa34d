import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { readClipConfig } from "../../../kernel/engine/weights/clipConfig";
import {
  detectScheme,
  loadTextWeights,
  loadVisionWeights,
  transpose2d,
} from "../../../kernel/engine/weights/clipWeights";
import { WeightsError } from "../../../kernel/engine/weights/errors";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { StTensorIn, writeSafetensors } from "../../../kernel/engine/weights/safetensorsWrite";
import { fixturePath, tempDir } from "./helpers";

/** Renames the HF fixture to OpenCLIP names the way open_clip stores them (fused in_proj, [in, out] projections). */
function toOpenClip(st: SafetensorsFile): Record<string, StTensorIn> {
  const out: Record<string, StTensorIn> = {};
  const f = (n: string) => st.readFloat32(n);
  const put = (n: string, t: { data: Float32Array; shape: number[] }) =>
    (out[n] = { dtype: "F32", shape: t.shape, data: t.data });
  const towers: [string, string, number][] = [
    ["vision_model.encoder.layers", "visual.transformer.resblocks", 8],
    ["text_model.encoder.layers", "transformer.resblocks", 4],
  ];
  for (const [hf, oc, n] of towers) {
    for (let i = 0; i < n; i++) {
      const p = `${hf}.${i}`;
      const q = `${oc}.${i}`;
      const qkv = ["q", "k", "v"].map((k) => f(`${p}.self_attn.${k}_proj.weight`));
      const d = qkv[0].shape[1];
      const w = new Float32Array(3 * d * d);
      qkv.forEach((t, k) => w.set(t.data, k * d * d));
      put(`${q}.attn.in_proj_weight`, { data: w, shape: [3 * d, d] });
      const bias = new Float32Array(3 * d);
      ["q", "k", "v"].forEach((k, j) => bias.set(f(`${p}.self_attn.${k}_proj.bias`).data, j * d));
      put(`${q}.attn.in_proj_bias`, { data: bias, shape: [3 * d] });
      for (const [a, b] of [
        ["self_attn.out_proj", "attn.out_proj"],
        ["layer_norm1", "ln_1"],
        ["layer_norm2", "ln_2"],
        ["mlp.fc1", "mlp.c_fc"],
        ["mlp.fc2", "mlp.c_proj"],
      ]) {
        put(`${q}.${b}.weight`, f(`${p}.${a}.weight`));
        put(`${q}.${b}.bias`, f(`${p}.${a}.bias`));
      }
    }
  }
  const direct: [string, string][] = [
    ["vision_model.embeddings.patch_embedding.weight", "visual.conv1.weight"],
    ["vision_model.embeddings.class_embedding", "visual.class_embedding"],
    ["vision_model.embeddings.position_embedding.weight", "visual.positional_embedding"],
    ["vision_model.pre_layrnorm.weight", "visual.ln_pre.weight"],
    ["vision_model.pre_layrnorm.bias", "visual.ln_pre.bias"],
    ["vision_model.post_layernorm.weight", "visual.ln_post.weight"],
    ["vision_model.post_layernorm.bias", "visual.ln_post.bias"],
    ["text_model.embeddings.token_embedding.weight", "token_embedding.weight"],
    ["text_model.embeddings.position_embedding.weight", "positional_embedding"],
    ["text_model.final_layer_norm.weight", "ln_final.weight"],
    ["text_model.final_layer_norm.bias", "ln_final.bias"],
  ];
  for (const [a, b] of direct) put(b, f(a));
  put("visual.proj", transpose2d(f("visual_projection.weight")));
  put("text_projection", transpose2d(f("text_projection.weight")));
  return out;
}

describe("engine/weights: CLIP parameters from HF and OpenCLIP names", () => {
  const config = readClipConfig(fixturePath("model", "config.json"));
  let dir: string;
  let hf: SafetensorsFile;
  before(() => {
    dir = tempDir();
    hf = SafetensorsFile.open(fixturePath("model", "model.safetensors"));
  });
  after(() => {
    hf.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("loads the fixture's HF weights in the canonical layout (projection transposed to [in, out])", () => {
    assert.strictEqual(detectScheme(hf), "hf");
    const v = loadVisionWeights(hf, config);
    assert.strictEqual(v.blocks.length, 8);
    assert.deepStrictEqual(v.patchEmbedding.shape, [64, 3, 8, 8]);
    assert.deepStrictEqual(v.positionEmbedding.shape, [50, 64]);
    assert.deepStrictEqual(v.projection.shape, [64, 32]);
    const raw = hf.readFloat32("visual_projection.weight"); // [32, 64]
    assert.strictEqual(v.projection.data[5 * 32 + 3], raw.data[3 * 64 + 5]);
    const t = loadTextWeights(hf, config);
    assert.deepStrictEqual(t.tokenEmbedding.shape, [49408, 16]);
    assert.deepStrictEqual(t.blocks[3].fc1.weight.shape, [64, 16]);
  });

  it("OpenCLIP names (fused in_proj split into q/k/v) give exactly the same parameters", () => {
    const file = path.join(dir, "open_clip.safetensors");
    writeSafetensors(file, toOpenClip(hf));
    const oc = SafetensorsFile.open(file);
    assert.strictEqual(detectScheme(oc), "open_clip");
    const pairs: [unknown, unknown][] = [
      [loadVisionWeights(oc, config), loadVisionWeights(hf, config)],
      [loadTextWeights(oc, config), loadTextWeights(hf, config)],
    ];
    for (const [a, b] of pairs) assert.deepStrictEqual(a, b);
    oc.close();
  });

  it("a BF16 checkpoint loads as the bf16-rounded float32 values (dtype conversion on the real loading path)", () => {
    const toBf16 = (f: Float32Array) => {
      const u = new Uint32Array(f.buffer, f.byteOffset, f.length);
      return Uint16Array.from(u, (v) => (v + 0x7fff + ((v >>> 16) & 1)) >>> 16); // round to nearest even
    };
    const tensors: Record<string, StTensorIn> = {};
    for (const n of hf.names()) {
      const t = hf.readFloat32(n);
      tensors[n] = { dtype: "BF16", shape: t.shape, data: toBf16(t.data) };
    }
    const file = path.join(dir, "bf16.safetensors");
    writeSafetensors(file, tensors);
    const st = SafetensorsFile.open(file);
    const a = loadVisionWeights(st, config);
    const b = loadVisionWeights(hf, config);
    const expected = new Float32Array(new Uint32Array(toBf16(b.blocks[7].fc2.weight.data)).map((v) => v << 16).buffer);
    assert.deepStrictEqual(a.blocks[7].fc2.weight.data, expected);
    assert.notDeepStrictEqual(a.blocks[7].fc2.weight.data, b.blocks[7].fc2.weight.data, "rounding really happened");
    st.close();
  });

  it("names the file and tensor for a missing tensor or a shape that disagrees with the config", () => {
    const tensors = toOpenClip(hf);
    delete tensors["visual.transformer.resblocks.5.mlp.c_fc.bias"];
    const missing = path.join(dir, "missing.safetensors");
    writeSafetensors(missing, tensors);
    const m = SafetensorsFile.open(missing);
    assert.throws(
      () => loadVisionWeights(m, config),
      (e: Error) =>
        e instanceof WeightsError &&
        e.message === `${missing}: visual.transformer.resblocks.5.mlp.c_fc.bias: tensor not found in this file`,
    );
    m.close();
    const wrong = { ...config, vision: { ...config.vision!, intermediateSize: 128 } };
    assert.throws(
      () => loadVisionWeights(hf, wrong),
      (e: Error) =>
        e.message.includes(fixturePath("model", "model.safetensors")) &&
        /vision_model.encoder.layers.0.mlp.fc1.weight: shape \[256, 64\] does not match the expected \[128, 64\]/.test(
          e.message,
        ),
    );
    const noName = path.join(dir, "other.safetensors");
    writeSafetensors(noName, { "encoder.weight": { dtype: "F32", shape: [1], data: new Float32Array(1) } });
    const o = SafetensorsFile.open(noName);
    assert.throws(
      () => detectScheme(o),
      (e: Error) => e.message.startsWith(noName) && /neither Hugging Face CLIP names/.test(e.message),
    );
    o.close();
  });
});

import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseClipConfigJson, readClipConfig } from "../../../kernel/engine/weights/clipConfig";
import { WeightsError } from "../../../kernel/engine/weights/errors";
import { fixturePath, tempDir } from "./helpers";

describe("engine/weights: CLIP config", () => {
  it("parses the tiny fixture's HF CLIPModel config", () => {
    const c = readClipConfig(fixturePath("model", "config.json"));
    assert.strictEqual(c.architecture, "CLIPModel");
    assert.strictEqual(c.projectionDim, 32);
    assert.deepStrictEqual(c.vision, {
      hiddenSize: 64,
      intermediateSize: 256,
      numLayers: 8,
      numHeads: 4,
      layerNormEps: 1e-5,
      activation: "gelu",
      imageSize: 56,
      patchSize: 8,
      numChannels: 3,
    });
    assert.strictEqual(c.text!.hiddenSize, 16);
    assert.strictEqual(c.text!.contextLength, 77);
    assert.strictEqual(c.text!.padTokenId, 0);
    assert.strictEqual(c.text!.activation, "gelu");
  });

  it("applies HF defaults (quick_gelu, ViT-B/32 sizes) to fields a config leaves out", () => {
    const c = parseClipConfigJson(
      {
        architectures: ["CLIPModel"],
        projection_dim: 768,
        vision_config: {
          hidden_size: 1024,
          patch_size: 14,
          image_size: 336,
          num_hidden_layers: 24,
          num_attention_heads: 16,
          intermediate_size: 4096,
        },
        text_config: {},
      },
      "cfg.json",
    );
    assert.strictEqual(c.vision!.activation, "quick_gelu");
    assert.strictEqual(c.vision!.patchSize, 14);
    assert.strictEqual(c.text!.hiddenSize, 512);
    assert.strictEqual(c.text!.activation, "quick_gelu");
    assert.strictEqual(c.projectionDim, 768);
  });

  it("parses single-tower HF configs and OpenCLIP model configs", () => {
    const v = parseClipConfigJson(
      { architectures: ["CLIPVisionModelWithProjection"], hidden_size: 768, patch_size: 16, projection_dim: 512 },
      "v.json",
    );
    assert.strictEqual(v.vision!.patchSize, 16);
    assert.strictEqual(v.text, undefined);
    const o = parseClipConfigJson(
      {
        model_cfg: {
          embed_dim: 768,
          quick_gelu: true,
          vision_cfg: { image_size: 336, layers: 24, width: 1024, patch_size: 14 },
          text_cfg: { context_length: 77, vocab_size: 49408, width: 768, heads: 12, layers: 12 },
        },
      },
      "open_clip_config.json",
    );
    assert.strictEqual(o.source, "open_clip");
    assert.deepStrictEqual(
      [o.vision!.numHeads, o.vision!.intermediateSize, o.vision!.activation],
      [16, 4096, "quick_gelu"],
    );
    assert.deepStrictEqual([o.text!.numHeads, o.text!.intermediateSize], [12, 3072]);
    const g = parseClipConfigJson(
      {
        embed_dim: 512,
        vision_cfg: { width: 768, layers: 12, patch_size: 16, image_size: 224 },
        text_cfg: { width: 512, heads: 8, layers: 12 },
      },
      "b16.json",
    );
    assert.strictEqual(g.vision!.activation, "gelu");
  });

  it("errors name the file and the field: unknown architecture, bad activation, bad size, bad JSON", () => {
    const check = (fn: () => unknown, re: RegExp) =>
      assert.throws(
        fn,
        (e: Error) => e instanceof WeightsError && e.message.startsWith("cfg.json: ") && re.test(e.message),
      );
    check(
      () => parseClipConfigJson({ architectures: ["SiglipModel"] }, "cfg.json"),
      /field architectures: unknown architecture "SiglipModel"/,
    );
    check(() => parseClipConfigJson({ model_type: "bert" }, "cfg.json"), /field architectures: is missing/);
    check(
      () =>
        parseClipConfigJson({ architectures: ["CLIPModel"], vision_config: { hidden_act: "gelu_new" } }, "cfg.json"),
      /field vision_config.hidden_act: activation "gelu_new" is not supported/,
    );
    check(
      () => parseClipConfigJson({ architectures: ["CLIPModel"], text_config: { hidden_size: -4 } }, "cfg.json"),
      /field text_config.hidden_size: must be a positive integer/,
    );
    check(
      () =>
        parseClipConfigJson(
          { model_cfg: { embed_dim: 512, vision_cfg: { timm_model_name: "x" }, text_cfg: {} } },
          "cfg.json",
        ),
      /timm/,
    );
    const dir = tempDir();
    const bad = path.join(dir, "config.json");
    fs.writeFileSync(bad, "{ nope");
    assert.throws(
      () => readClipConfig(bad),
      (e: Error) => e.message.includes(bad) && /not valid JSON/.test(e.message),
    );
    fs.rmSync(dir, { recursive: true });
  });
});

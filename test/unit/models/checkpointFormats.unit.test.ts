// Every checkpoint format resolves (once) to a safetensors folder whose weights and features are bit-identical to
// the HF safetensors copy of the same weights.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClipModel, ClipVisionEncoder } from "../../../kernel/engine";
import type { Fetched } from "../../../kernel/engine/runtime/session";
import { hashModel } from "../../../kernel/methods/modelHash";
import { resolveModelDir } from "../../../kernel/models/resolveModelDir";
import { ClipTokenizer } from "../../../kernel/tokenizer/clipTokenizer";
import { checkpointFixtures as FX } from "../../helpers/fixturePaths";

function pixels(n: number): Float32Array {
  const p = new Float32Array(n * 3 * 32 * 32);
  let s = 7;
  for (let i = 0; i < p.length; i++) p[i] = ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  return p;
}

async function features(dir: string): Promise<Record<string, Fetched>> {
  const model = ClipModel.load(dir);
  const enc = await ClipVisionEncoder.create(model, { taps: [1, 2], activation: "quick_gelu" }, { intraOpThreads: 1 });
  try {
    return await enc.encode(pixels(2), 2);
  } finally {
    await enc.release();
    model.close();
  }
}

const bytesOf = (f: Fetched) =>
  Buffer.from(
    (f.data as Float32Array).buffer,
    (f.data as Float32Array).byteOffset,
    (f.data as Float32Array).byteLength,
  );

describe("models: PyTorch checkpoint formats → cached safetensors", function () {
  this.timeout(60_000);
  let cache: string;
  before(() => (cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ckpt-cache-"))));
  after(() => fs.rmSync(cache, { recursive: true, force: true }));

  it("HF .bin, open_clip .bin (bf16) and OpenAI TorchScript .pt (fp16) give the HF safetensors copy's features bit for bit", async () => {
    const reference = await features(path.join(FX, "hf-safetensors"));
    const pooled = reference.pooled.data as Float32Array;
    assert.ok(pooled.every(Number.isFinite) && pooled.some((v) => v !== 0), "reference features are real numbers");
    const sources = [
      path.join(FX, "hf-pytorch"),
      path.join(FX, "open_clip-pytorch"),
      path.join(FX, "openai", "ViT-T-8-tiny.pt"),
    ];
    for (const src of sources) {
      const dir = resolveModelDir(src, cache);
      assert.ok(dir.startsWith(path.join(cache, "converted")), dir);
      const got = await features(dir);
      assert.deepStrictEqual(Object.keys(got).sort(), Object.keys(reference).sort());
      for (const k of Object.keys(reference)) assert.ok(bytesOf(got[k]).equals(bytesOf(reference[k])), `${src}: ${k}`);
    }
  });

  it("converts once: a second resolve reuses the folder; the OpenAI config is inferred and the CLIP BPE is the fallback tokenizer", () => {
    const pt = path.join(FX, "openai", "ViT-T-8-tiny.pt");
    const dir = resolveModelDir(pt, cache);
    const weights = path.join(dir, "open_clip_model.safetensors");
    const before = fs.statSync(weights).mtimeMs;
    assert.strictEqual(resolveModelDir(pt, cache), dir);
    assert.strictEqual(fs.statSync(weights).mtimeMs, before);
    assert.ok(!fs.readdirSync(path.dirname(dir)).some((f) => f.includes(".tmp-")));
    const cfg = JSON.parse(fs.readFileSync(path.join(dir, "open_clip_config.json"), "utf8"));
    assert.strictEqual(cfg.model_cfg.quick_gelu, true);
    assert.strictEqual(cfg.model_cfg.vision_cfg.image_size, 32);
    assert.deepStrictEqual(ClipTokenizer.fromDirectory(dir).encode("a photo"), [320, 1125]);
  });

  it("the identity is over the stored bytes: the converted .bin keeps its position_ids buffers, so it is another model file", () => {
    const a = ClipModel.load(resolveModelDir(path.join(FX, "hf-pytorch"), cache));
    const b = ClipModel.load(path.join(FX, "hf-safetensors"));
    // Same weights, but the converted file also keeps the position_ids buffers: other bytes, other identity.
    assert.notStrictEqual(hashModel(a.files.weights, a.config).value, hashModel(b.files.weights, b.config).value);
    a.close();
    b.close();
  });

  it("an open_clip state dict without a config asks for the architecture by name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-ckpt-bare-"));
    try {
      const file = path.join(dir, "weights.bin");
      fs.copyFileSync(path.join(FX, "open_clip-pytorch", "open_clip_pytorch_model.bin"), file);
      assert.throws(
        () => resolveModelDir(file, cache),
        (e: Error) => e.message.startsWith(file) && /name it as .*#ViT-L-14-336/.test(e.message),
      );
      assert.throws(
        () => resolveModelDir(`${file}#ViT-Q-99`, cache),
        /architecture ViT-Q-99: is not a known architecture \(known: ViT-B-32/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

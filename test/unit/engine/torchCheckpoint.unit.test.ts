// The PyTorch checkpoint reader: zip + restricted pickle, every format the generator writes, and the refusals.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { convertTorchToSafetensors } from "../../../kernel/engine/weights/convertCheckpoint";
import { inferOpenAiArchitecture } from "../../../kernel/engine/weights/openClipArchitectures";
import { TorchCheckpoint } from "../../../kernel/engine/weights/torchCheckpoint";
import { checkpointFixtures as FX } from "../../helpers/fixturePaths";
import { tempDir } from "./helpers";

const f32 = (u: Uint8Array) => new Float32Array(u.buffer, u.byteOffset, u.byteLength / 4);
const ref = () => SafetensorsFile.open(path.join(FX, "hf-safetensors", "model.safetensors"));

describe("engine/weights: PyTorch checkpoints read without executing anything", () => {
  it("reads an HF pytorch_model.bin: float32 bytes equal the safetensors copy, int64 buffers, a strided view", () => {
    const ck = TorchCheckpoint.open(path.join(FX, "hf-pytorch", "pytorch_model.bin"));
    const st = ref();
    try {
      assert.strictEqual(ck.kind, "state_dict");
      for (const name of st.names())
        assert.ok(Buffer.from(ck.readRaw(name)).equals(Buffer.from(st.readRaw(name))), name);
      const vp = ck.info("visual_projection.weight");
      assert.deepStrictEqual(
        [vp.shape, vp.stride],
        [
          [32, 64],
          [1, 32],
        ],
      ); // saved as a transposed view
      const ids = ck.info("text_model.embeddings.position_ids");
      assert.strictEqual(ids.dtype, "I64");
      assert.deepStrictEqual([...new BigInt64Array(ck.readRaw(ids.name).buffer)].slice(0, 3), [0n, 1n, 2n]);
    } finally {
      ck.close();
      st.close();
    }
  });

  it("reads a bf16 open_clip state dict and a float16 TorchScript archive (module records flattened to names)", () => {
    const st = ref();
    const w = st.readFloat32("vision_model.encoder.layers.1.self_attn.q_proj.weight").data;
    for (const [file, dtype] of [
      ["open_clip-pytorch/open_clip_pytorch_model.bin", "BF16"],
      ["openai/ViT-T-8-tiny.pt", "F16"],
    ]) {
      const ck = TorchCheckpoint.open(path.join(FX, file));
      try {
        assert.strictEqual(ck.kind, file.endsWith(".pt") ? "torchscript" : "state_dict");
        const t = ck.info("visual.transformer.resblocks.1.attn.in_proj_weight");
        assert.deepStrictEqual([t.dtype, t.shape], [dtype, [192, 64]]);
        // Convert through the safetensors reader's own half-float paths and compare the Q rows with the reference.
        const dir = tempDir();
        try {
          convertTorchToSafetensors(path.join(FX, file), path.join(dir, "m.safetensors"));
          const out = SafetensorsFile.open(path.join(dir, "m.safetensors"));
          const q = out.readFloat32(t.name).data.subarray(0, 64 * 64);
          assert.ok(Buffer.from(q.buffer, q.byteOffset, q.byteLength).equals(Buffer.from(w.buffer)), file);
          out.close();
        } finally {
          fs.rmSync(dir, { recursive: true, force: true });
        }
      } finally {
        ck.close();
      }
    }
    st.close();
  });

  it("infers the architecture of an OpenAI TorchScript file from its tensor shapes", () => {
    const ck = TorchCheckpoint.open(path.join(FX, "openai", "ViT-T-8-tiny.pt"));
    const shapes = new Map(ck.names().map((n) => [n, ck.info(n).shape]));
    ck.close();
    assert.ok(shapes.has("transformer.resblocks.0.attn_mask"));
    assert.deepStrictEqual(inferOpenAiArchitecture(shapes, "x.pt"), {
      embed_dim: 32,
      quick_gelu: true,
      vision_cfg: { image_size: 32, layers: 2, width: 64, patch_size: 8, head_width: 64, mlp_ratio: 4 },
      text_cfg: { context_length: 77, vocab_size: 512, width: 64, heads: 1, layers: 1, mlp_ratio: 4 },
    });
    assert.throws(
      () => inferOpenAiArchitecture(new Map([["visual.conv1.weight", [64, 3, 8, 8]]]), "x.pt"),
      /x\.pt: visual\.positional_embedding: is missing/,
    );
  });

  it("unwraps {state_dict: …} training checkpoints and strips DataParallel's module. prefix", () => {
    const ck = TorchCheckpoint.open(path.join(FX, "reader", "wrapped.bin"));
    const st = ref();
    try {
      assert.deepStrictEqual(ck.names().sort(), [
        "ln_final.weight",
        "position_ids",
        "positional_embedding",
        "visual.proj",
      ]);
      const proj = f32(ck.readRaw("visual.proj")); // [64, 32] strided view of the transposed projection
      const hf = st.readFloat32("visual_projection.weight").data; // [32, 64]
      for (let i = 0; i < 64; i++) for (let j = 0; j < 32; j++) assert.strictEqual(proj[i * 32 + j], hf[j * 64 + i]);
      assert.strictEqual(ck.info("ln_final.weight").dtype, "BF16");
      assert.deepStrictEqual(ck.info("positional_embedding").shape, [4, 64]);
    } finally {
      ck.close();
      st.close();
    }
  });

  it("refuses a pickle that would run code, naming the file and the global, without running it", () => {
    const file = path.join(FX, "reader", "evil.bin");
    fs.rmSync("/tmp/medad-evil-pickle-ran", { force: true });
    assert.throws(
      () => TorchCheckpoint.open(file),
      (e: Error) =>
        e.message.startsWith(`${file}: evil/data.pkl: refusing to load global posix.system`) &&
        /Only tensor data/.test(e.message),
    );
    assert.ok(!fs.existsSync("/tmp/medad-evil-pickle-ran"));
  });

  it("refuses legacy (non-zip) torch files with a conversion hint, and damaged or foreign files clearly", () => {
    const legacy = path.join(FX, "reader", "legacy.bin");
    assert.throws(
      () => TorchCheckpoint.open(legacy),
      (e: Error) => e.message.startsWith(legacy) && /legacy \(pre-1\.6, non-zip\).*torch\.save/.test(e.message),
    );
    const dir = tempDir();
    try {
      const bytes = fs.readFileSync(path.join(FX, "hf-pytorch", "pytorch_model.bin"));
      fs.writeFileSync(path.join(dir, "cut.bin"), bytes.subarray(0, bytes.length >> 1));
      assert.throws(
        () => TorchCheckpoint.open(path.join(dir, "cut.bin")),
        /cut\.bin: not a readable zip archive: no end-of-central-directory record/,
      );
      fs.writeFileSync(path.join(dir, "text.bin"), "hello world");
      assert.throws(
        () => TorchCheckpoint.open(path.join(dir, "text.bin")),
        /neither a zip-format PyTorch checkpoint nor a TorchScript archive/,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

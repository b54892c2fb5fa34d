// `pullModel` against loopback hubs that serve the file lists of real CLIP repos (tiny stand-in bytes, real names):
// it finds the first known file set, downloads only that, converts PyTorch weights once, and the result loads.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClipModel } from "../../../kernel/engine";
import { convertTorchToSafetensors } from "../../../kernel/engine/weights/convertCheckpoint";
import { pullModel } from "../../../kernel/models";
import { clipBpeDir } from "../../../kernel/models/demoModel";
import { resolveModelDir } from "../../../kernel/models/resolveModelDir";
import { ClipTokenizer } from "../../../kernel/tokenizer/clipTokenizer";
import { startFakeHub } from "../../helpers/fakeHub";
import { checkpointFixtures as FX } from "../../helpers/fixturePaths";

type Files = Record<string, string | Buffer | (() => Buffer)>;
const json = (v: unknown) => JSON.stringify(v, null, 2);
const junk = (n: number) => Buffer.alloc(n, 0x5a); // files MedAD Lab must never fetch
const file =
  (...p: string[]) =>
  () =>
    fs.readFileSync(path.join(...p));
const bpe = { "vocab.json": file(clipBpeDir(), "vocab.json"), "merges.txt": file(clipBpeDir(), "merges.txt") };
const hfTokenizer = {
  ...bpe,
  "tokenizer.json": "{}",
  "tokenizer_config.json": json({ model_max_length: 77 }),
  "special_tokens_map.json": "{}",
};
const common = { ".gitattributes": "*.bin filter=lfs\n", "README.md": "# model card\n" };

// File lists of the real repos (Hugging Face "Files and versions"), with tiny stand-ins for the bytes.
const REPOS: Record<string, Files> = {
  "openai/clip-vit-large-patch14-336": {
    ...common,
    ...hfTokenizer,
    "config.json": file(FX, "hf-pytorch", "config.json"),
    "preprocessor_config.json": "{}",
    "pytorch_model.bin": file(FX, "hf-pytorch", "pytorch_model.bin"),
    "tf_model.h5": junk(4096),
  },
  "openai/clip-vit-base-patch16": {
    ...common,
    ...hfTokenizer,
    "config.json": file(FX, "hf-safetensors", "config.json"),
    "preprocessor_config.json": "{}",
    "model.safetensors": file(FX, "hf-safetensors", "model.safetensors"),
    "pytorch_model.bin": junk(4096),
    "tf_model.h5": junk(4096),
    "flax_model.msgpack": junk(4096),
  },
  "timm/vit_large_patch14_clip_336.openai": {
    ...common,
    "config.json": json({
      architecture: "vit_large_patch14_clip_336",
      num_classes: 0,
      pretrained_cfg: { tag: "openai" },
    }),
    "model.safetensors": junk(4096),
    "pytorch_model.bin": junk(4096), // timm's image-tower weights
    "open_clip_config.json": file(FX, "open_clip-pytorch", "open_clip_config.json"),
    "open_clip_pytorch_model.bin": file(FX, "open_clip-pytorch", "open_clip_pytorch_model.bin"),
    "open_clip_model.safetensors": () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "medad-oc-"));
      convertTorchToSafetensors(
        path.join(FX, "open_clip-pytorch", "open_clip_pytorch_model.bin"),
        path.join(tmp, "w.safetensors"),
      );
      const b = fs.readFileSync(path.join(tmp, "w.safetensors"));
      fs.rmSync(tmp, { recursive: true });
      return b;
    },
  },
};

function writeRepo(files: Files): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-hubrepo-"));
  for (const [name, v] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), typeof v === "function" ? v() : v);
  return dir;
}

describe("pullModel: the known file sets of real CLIP repos (loopback hub)", function () {
  this.timeout(60_000);
  let cache: string;
  const dirs: string[] = [];
  beforeEach(() => dirs.push((cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-cache-")))));
  after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  async function pullFrom(repo: string, files: Files) {
    const served = writeRepo(files);
    dirs.push(served);
    const hub = await startFakeHub(repo, served);
    const events: string[] = [];
    try {
      const result = await pullModel({
        repo,
        cacheRoot: cache,
        endpoint: hub.endpoint,
        retryDelayMs: 1,
        onFileEvent: (e) => events.push(e.kind),
      });
      const fetched = hub.log
        .filter((r) => r.path.includes("/resolve/"))
        .map((r) => decodeURIComponent(r.path.split("/").pop()!));
      return { result, fetched, events };
    } finally {
      await hub.close();
    }
  }

  it("openai/clip-vit-large-patch14-336: config.json + pytorch_model.bin (no safetensors), converted once, loads", async () => {
    const repo = "openai/clip-vit-large-patch14-336";
    const { result, fetched, events } = await pullFrom(repo, REPOS[repo]);
    assert.strictEqual(result.layout, "hf-pytorch");
    assert.strictEqual(result.tokenizer, "repo");
    assert.deepStrictEqual(fetched, [
      "config.json",
      "model.safetensors",
      "pytorch_model.bin",
      "vocab.json",
      "merges.txt",
      "tokenizer_config.json",
    ]);
    assert.ok(events.includes("fileset") && events.includes("converted"));
    const dir = resolveModelDir(repo, cache);
    assert.strictEqual(dir, result.converted);
    const model = ClipModel.load(dir);
    assert.strictEqual(model.visionWeights().blocks.length, 2);
    model.close();
  });

  it("openai/clip-vit-base-patch16: takes model.safetensors and never touches pytorch_model.bin, tf_model.h5 or flax", async () => {
    const repo = "openai/clip-vit-base-patch16";
    const { result, fetched } = await pullFrom(repo, REPOS[repo]);
    assert.strictEqual(result.layout, "hf-safetensors");
    assert.deepStrictEqual(fetched, [
      "config.json",
      "model.safetensors",
      "vocab.json",
      "merges.txt",
      "tokenizer_config.json",
    ]);
    assert.strictEqual(resolveModelDir(repo, cache), result.dir);
  });

  it("timm/vit_large_patch14_clip_336.openai: skips timm's config.json, takes the open_clip set, vendored BPE", async () => {
    const repo = "timm/vit_large_patch14_clip_336.openai";
    const { result, fetched, events } = await pullFrom(repo, REPOS[repo]);
    assert.strictEqual(result.layout, "open_clip-safetensors");
    assert.strictEqual(result.tokenizer, "vendored");
    assert.ok(events.includes("ignored"));
    assert.deepStrictEqual(fetched, [
      "config.json",
      "open_clip_config.json",
      "open_clip_model.safetensors",
      "vocab.json",
      "merges.txt",
      "tokenizer_config.json",
    ]);
    assert.ok(!fs.existsSync(path.join(result.dir, "config.json")), "the timm config is not kept");
    const dir = resolveModelDir(repo, cache);
    const model = ClipModel.load(dir);
    assert.strictEqual(model.scheme, "open_clip");
    assert.strictEqual(model.config.vision!.activation, "quick_gelu");
    model.textWeights();
    model.close();
    assert.deepStrictEqual(ClipTokenizer.fromDirectory(dir).encode("a photo"), [320, 1125]);
  });

  it("an open_clip repo with only open_clip_pytorch_model.bin falls through to it and converts it", async () => {
    const repo = "timm/vit_large_patch14_clip_336.openai";
    const files = { ...REPOS[repo] };
    delete files["open_clip_model.safetensors"];
    const { result } = await pullFrom(repo, files);
    assert.strictEqual(result.layout, "open_clip-pytorch");
    const model = ClipModel.load(resolveModelDir(repo, cache));
    assert.strictEqual(model.scheme, "open_clip");
    model.close();
  });
});

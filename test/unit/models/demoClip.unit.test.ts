// medad/demo-clip: the committed weights match the pinned SHA-256, resolve offline into the cache with the tokenizer,
// load as a CLIP at the shipped input size, and a tampered copy is refused with a message naming the file.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { demoClipDir, ensureDemoClip, sha256File, shippedDemoClipDir } from "../../../kernel/models/demoClip/install";
import { DEMO_CLIP_SHA256 } from "../../../kernel/models/demoClip/pinned";
import { SHIPPED_IMAGE_SIZE } from "../../../kernel/models/demoClip/recipe";
import { resolveModelDir } from "../../../kernel/models/resolveModelDir";

describe("models: medad/demo-clip (shipped pretrained weights)", () => {
  const roots: string[] = [];
  const root = () => {
    const r = fs.mkdtempSync(path.join(os.tmpdir(), "medad-democlip-"));
    roots.push(r);
    return r;
  };
  after(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  it("the committed model.safetensors has the pinned SHA-256 and is a few tens of MB at most", () => {
    const file = path.join(shippedDemoClipDir(), "model.safetensors");
    assert.strictEqual(sha256File(file), DEMO_CLIP_SHA256);
    assert.ok(fs.statSync(file).size < 40 * 1024 * 1024);
  });

  it("resolves offline into the cache with the tokenizer and loads at the shipped size", () => {
    const cache = root();
    const dir = resolveModelDir("medad/demo-clip", cache);
    assert.strictEqual(dir, demoClipDir(cache));
    for (const f of ["config.json", "model.safetensors", "vocab.json", "merges.txt"])
      assert.ok(fs.existsSync(path.join(dir, f)), f);
    const m = ClipModel.load(dir);
    assert.strictEqual(m.config.vision?.imageSize, SHIPPED_IMAGE_SIZE);
    assert.strictEqual(m.visionWeights().positionEmbedding.shape[0], (SHIPPED_IMAGE_SIZE / 8) ** 2 + 1);
    assert.strictEqual(m.textWeights().tokenEmbedding.shape[0], 49408);
    m.close();
    assert.strictEqual(ensureDemoClip({ cacheRoot: cache }), dir); // second call reuses the copy
  });

  it("reinstalls a cache copy whose recorded hash is not the pinned one", () => {
    const cache = root();
    const dir = ensureDemoClip({ cacheRoot: cache });
    const manifest = path.join(dir, "medad-model.json");
    const m = JSON.parse(fs.readFileSync(manifest, "utf8"));
    m.files["model.safetensors"].sha256 = "0".repeat(64);
    fs.writeFileSync(manifest, JSON.stringify(m));
    fs.writeFileSync(path.join(dir, "model.safetensors"), "stale");
    ensureDemoClip({ cacheRoot: cache });
    assert.strictEqual(sha256File(path.join(dir, "model.safetensors")), DEMO_CLIP_SHA256);
  });
});

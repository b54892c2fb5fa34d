import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FeatureCache, featureKeyHash } from "../../../kernel/methods/featureCache";

describe("feature cache", () => {
  let dir: string;
  let image: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-fcache-"));
    image = path.join(dir, "img.png");
    fs.writeFileSync(image, "pixels-v1");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const feats = (v: number) => ({ tap6: { shape: [1, 2], data: new Float32Array([v, v + 1]) } });

  it("computes once, then serves the stored features", async () => {
    const cache = new FeatureCache(path.join(dir, "cache"));
    const key = { modelHash: "m1", imagePath: image, recipe: { size: 240, taps: [6, 12] } };
    let computed = 0;
    const compute = async () => (computed++, feats(1));
    assert.deepStrictEqual(await cache.get(key, compute), feats(1));
    assert.deepStrictEqual(await new FeatureCache(path.join(dir, "cache")).get(key, compute), feats(1));
    assert.strictEqual(computed, 1);
  });

  it("keys on the model, the image bytes and the recipe (in any key order)", () => {
    const base = { modelHash: "m1", imagePath: image, recipe: { size: 240, taps: [6, 12] } };
    const h = featureKeyHash(base);
    assert.strictEqual(featureKeyHash({ ...base, recipe: { taps: [6, 12], size: 240 } }), h);
    assert.notStrictEqual(featureKeyHash({ ...base, modelHash: "m2" }), h);
    assert.notStrictEqual(featureKeyHash({ ...base, recipe: { size: 224, taps: [6, 12] } }), h);
    fs.writeFileSync(image, "pixels-v2");
    assert.notStrictEqual(featureKeyHash(base), h);
  });

  it("recomputes a damaged entry instead of failing", async () => {
    const cacheDir = path.join(dir, "cache");
    const cache = new FeatureCache(cacheDir);
    const key = { modelHash: "m1", imagePath: image, recipe: {} };
    await cache.get(key, async () => feats(1));
    const hash = featureKeyHash(key);
    fs.writeFileSync(path.join(cacheDir, hash.slice(0, 2), `${hash}.safetensors`), "garbage");
    assert.deepStrictEqual(await cache.get(key, async () => feats(5)), feats(5));
    assert.deepStrictEqual([cache.hits, cache.misses], [0, 2]);
  });
});

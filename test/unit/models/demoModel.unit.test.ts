import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ClipModel, ClipTextEncoder, ClipVisionEncoder } from "../../../kernel/engine";
import { DEMO_MODEL_ID, demoModelNote, ensureDemoModel } from "../../../kernel/models/demoModel";
import { resolveModelDir } from "../../../kernel/models/resolveModelDir";
import { listCachedModels } from "../../../kernel/models/listModels";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { sha256File } from "../../../kernel/methods/modelHash";
import { ClipTokenizer } from "../../../kernel/tokenizer/clipTokenizer";
import { rmTree, tempDir } from "../../helpers/tempTree";

const sha = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");

describe("models: the built-in demo model (medad/demo-tiny-clip)", () => {
  const roots: string[] = [];
  const root = () => {
    const r = tempDir("medad-demo-model-");
    roots.push(r);
    return r;
  };
  after(() => roots.forEach(rmTree));

  it("generates the same bytes in two caches, and a second call reuses the folder", () => {
    const a = ensureDemoModel({ cacheRoot: root() });
    const b = ensureDemoModel({ cacheRoot: root() });
    for (const f of ["model.safetensors", "config.json", "vocab.json", "merges.txt", "TOKENIZER_LICENSE"]) {
      assert.strictEqual(sha(path.join(a, f)), sha(path.join(b, f)), f);
    }
    const before = fs.statSync(path.join(a, "model.safetensors")).mtimeMs;
    assert.strictEqual(ensureDemoModel({ cacheRoot: path.dirname(a) }), a);
    assert.strictEqual(fs.statSync(path.join(a, "model.safetensors")).mtimeMs, before);
    assert.strictEqual(sha256File(path.join(a, "model.safetensors")), sha256File(path.join(b, "model.safetensors")));
    const st = SafetensorsFile.open(path.join(a, "model.safetensors"));
    assert.match(st.metadata.data_sha256, /^[0-9a-f]{64}$/);
    st.close();
  });

  it("installs atomically: a crash before the rename leaves neither a model folder nor temp files", () => {
    const cache = root();
    assert.throws(
      () =>
        ensureDemoModel({
          cacheRoot: cache,
          hooks: {
            beforeInstall: () => {
              throw new Error("simulated crash");
            },
          },
        }),
      /simulated crash/,
    );
    assert.deepStrictEqual(fs.readdirSync(cache), []);
    const dir = ensureDemoModel({ cacheRoot: cache });
    assert.deepStrictEqual(fs.readdirSync(cache), [path.basename(dir)]);
  });

  it("is resolved by id without network, listed as complete, and says its weights are random", () => {
    const cache = root();
    const dir = resolveModelDir(DEMO_MODEL_ID, cache);
    assert.strictEqual(dir, path.join(cache, "medad--demo-tiny-clip"));
    const listed = listCachedModels(cache);
    assert.deepStrictEqual(
      listed.map((m) => [m.repo, m.complete]),
      [[DEMO_MODEL_ID, true]],
    );
    assert.match(demoModelNote(dir) ?? "", /random weights/);
    assert.strictEqual(demoModelNote(path.dirname(dir)), undefined);
  });

  it("loads with ClipModel and runs both towers with the fixture's shapes", async () => {
    const dir = ensureDemoModel({ cacheRoot: root() });
    const model = ClipModel.load(dir);
    assert.strictEqual(model.scheme, "hf");
    const vis = await ClipVisionEncoder.create(model, { taps: [2, 8] }, { intraOpThreads: 1 });
    const pixels = new Float32Array(2 * 3 * 56 * 56);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i % 97) / 97;
    pixels.fill(0.5, 0, 3 * 56 * 56); // image 0 flat grey, image 1 a pattern: features must differ
    const out = await vis.encode(pixels, 2);
    assert.deepStrictEqual(out.tap8.dims, [2, 50, 64]);
    assert.deepStrictEqual(out.pooled.dims, [2, 32]);
    const pooled = out.pooled.data as Float32Array;
    assert.ok(pooled.every(Number.isFinite));
    assert.ok(Math.abs(pooled[0] - pooled[32]) > 1e-4, "the two images give the same embedding");
    const text = await ClipTextEncoder.create(model, {}, { intraOpThreads: 1 });
    const ids = ClipTokenizer.fromDirectory(dir).tokenize([
      "a photo of a normal brain.",
      "a photo of a brain with a tumor.",
    ]);
    const t = await text.encodeIds(BigInt64Array.from(ids.ids, (v) => BigInt(v)));
    assert.deepStrictEqual(t.dims, [2, 32]);
    assert.ok((t.data as Float32Array).every(Number.isFinite));
    await vis.release();
    await text.release();
    model.close();
  });
});

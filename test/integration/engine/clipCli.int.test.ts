import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tinyClipImages, tinyClipModel, tinyClipRef } from "../../helpers/fixturePaths";
import { readFixtureTensor } from "../../helpers/safetensorsFixture";
import { compare } from "../../unit/engine/helpers";

const MEDAD = path.join(__dirname, "..", "..", "..", "..", "bin", "medad.js");

function medad(args: string[]) {
  const r = spawnSync(process.execPath, [MEDAD, ...args], { encoding: "utf8", timeout: 120000 });
  return { code: r.status, stderr: r.stderr };
}

/** The fixture's tolerance for activations: max|a-b| ≤ 1e-5 + 1e-4·max|b|. */
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  const d = compare(actual, expected);
  assert.ok(d.ok, `${what}: max abs ${d.maxAbs.toExponential(2)} > bound ${d.bound.toExponential(2)}`);
}

describe("medad features / medad text (CLI parity with the reference CLIP)", function () {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-clipcli-"))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes tap features and pooled embeddings that match the reference (exact GELU, MVFA preprocessing)", () => {
    const out = path.join(dir, "feats.safetensors");
    const images = ["test_0.png", "test_1.png", "test_2.png"].map((f) => path.join(tinyClipImages, f));
    const r = medad([
      "features",
      "--model",
      tinyClipModel,
      "--taps",
      "2,4,6,8",
      "--act",
      "gelu",
      "--out",
      out,
      ...images,
    ]);
    assert.strictEqual(r.code, 0, r.stderr);
    for (const tap of [2, 4, 6, 8]) {
      const ours = readFixtureTensor(out, `tap${tap}`);
      const ref = readFixtureTensor(path.join(tinyClipRef, "backbone.safetensors"), `tap${tap}_gelu_mvfa`);
      assert.deepStrictEqual(ours.shape, ref.shape);
      assertClose(ours.data as Float32Array, ref.data as Float32Array, `tap${tap}`);
    }
    const pooled = readFixtureTensor(out, "pooled");
    assert.deepStrictEqual(pooled.shape, [3, 32]);
  });

  it("writes token ids and causal text embeddings that match the reference", () => {
    const out = path.join(dir, "text.safetensors");
    const prompts = ["a photo of a flawless Brain.", "there is a damaged Chest X-ray film in the scene."];
    const r = medad(["text", "--model", tinyClipModel, "--act", "gelu", "--out", out, ...prompts]);
    assert.strictEqual(r.code, 0, r.stderr);
    const ids = readFixtureTensor(out, "token_ids").data as BigInt64Array;
    const refIds = readFixtureTensor(path.join(tinyClipRef, "text.safetensors"), "token_ids").data as Int32Array;
    assert.deepStrictEqual(Array.from(ids, Number), Array.from(refIds.subarray(0, 2 * 77)));
    const ours = readFixtureTensor(out, "text_embeds");
    const ref = readFixtureTensor(path.join(tinyClipRef, "text.safetensors"), "text_embed_causal");
    assertClose(ours.data as Float32Array, ref.data as Float32Array, "text_embeds");
  });

  it("names the problem for a missing model and refuses bad options", () => {
    const missing = medad(["features", "--model", path.join(dir, "nope"), "--out", path.join(dir, "x"), "a.png"]);
    assert.strictEqual(missing.code, 1);
    assert.match(missing.stderr, /nope does not exist; --model takes a checkpoint folder/);
    const notPulled = medad(["text", "--model", "someorg/not-pulled", "--out", path.join(dir, "x"), "hi"]);
    assert.match(
      notPulled.stderr,
      /model 'someorg\/not-pulled' is not in the cache .*medad models pull someorg\/not-pulled/,
    );
    const badAct = medad([
      "features",
      "--model",
      tinyClipModel,
      "--act",
      "relu",
      "--out",
      path.join(dir, "x"),
      "a.png",
    ]);
    assert.strictEqual(badAct.code, 2);
    assert.match(badAct.stderr, /--act is gelu or quickgelu/);
  });

  it("names the image that does not decode", () => {
    const bad = path.join(dir, "broken.png");
    fs.writeFileSync(bad, "not a png");
    const r = medad(["features", "--model", tinyClipModel, "--out", path.join(dir, "x.safetensors"), bad]);
    assert.notStrictEqual(r.code, 0);
    assert.match(r.stderr, /broken\.png/);
  });
});

describe("medad fewshot (CLI)", function () {
  it("runs a method, prints AUROC and writes the full result as JSON", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-fewshot-cli-"));
    try {
      const out = path.join(dir, "r.json");
      const dataset = path.join(__dirname, "..", "..", "..", "..", "data", "demo-brainmri");
      const r = spawnSync(
        process.execPath,
        [
          MEDAD,
          "fewshot",
          "--dataset",
          dataset,
          "--method",
          "patchcore",
          "--model",
          tinyClipModel,
          "--shots",
          "1",
          "--max-test",
          "6",
          "--out",
          out,
        ],
        {
          encoding: "utf8",
          timeout: 120000,
          env: { ...process.env, MEDAD_FEATURE_CACHE: path.join(dir, "cache") },
        },
      );
      assert.strictEqual(r.status, 0, r.stderr);
      const result = JSON.parse(fs.readFileSync(out, "utf8"));
      assert.match(
        r.stdout,
        new RegExp(
          `image AUROC ${(100 * result.metrics.image.auroc).toFixed(2)}, pixel AUROC ${(100 * result.metrics.pixel.auroc).toFixed(2)}`,
        ),
      );
      assert.deepStrictEqual([result.method, result.shots, result.test.evaluated], ["patchcore", 1, 6]);
      const planned = spawnSync(
        process.execPath,
        [MEDAD, "fewshot", "--dataset", dataset, "--method", "winclip", "--model", tinyClipModel],
        { encoding: "utf8" },
      );
      assert.strictEqual(planned.status, 1);
      assert.match(planned.stderr, /unknown method 'winclip'/);
      // A trained method with its epoch count from the command line (MediCLIP: normal-only, 1 epoch).
      const medi = path.join(dir, "mediclip.json");
      const m = spawnSync(
        process.execPath,
        [
          MEDAD,
          "fewshot",
          "--dataset",
          dataset,
          "--method",
          "mediclip",
          "--model",
          tinyClipModel,
          "--shots",
          "2",
          "--max-test",
          "4",
          "--epochs",
          "1",
          "--out",
          medi,
        ],
        {
          encoding: "utf8",
          env: { ...process.env, MEDAD_FEATURE_CACHE: path.join(dir, "cache") },
        },
      );
      assert.strictEqual(m.status, 0, m.stderr);
      const mr = JSON.parse(fs.readFileSync(medi, "utf8"));
      assert.deepStrictEqual(
        [mr.method, mr.settings.epochs, mr.settings.stepsRun, mr.support.abnormal.length],
        ["mediclip", 1, 1, 0],
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

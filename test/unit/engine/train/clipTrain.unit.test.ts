// Whole-CLIP pretraining: (1) float64 central differences of the InfoNCE loss w.r.t. EVERY parameter input of the
// training graph and the looked-up token embeddings; (2) the training graph (patchify + MatMul) computes what the
// inference graphs (Conv, clip/vision.ts + clip/text.ts) compute on the exported HF folder; (3) a run interrupted by
// a checkpoint and resumed ends with exactly the parameters of an uninterrupted run; (4) fp16 export rounding.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { toFloat64 } from "../../../../kernel/engine/autodiff/float64";
import { ClipModel } from "../../../../kernel/engine/clip/model";
import { tokenEmbeddings } from "../../../../kernel/engine/clip/text";
import { encodeModel } from "../../../../kernel/engine/onnx/writer";
import { createSession, type Feed } from "../../../../kernel/engine/runtime/session";
import { type ClipArch, allParamSpecs, initParams, TOKEN_EMBEDDING } from "../../../../kernel/engine/train/clipParams";
import { buildClipTrainGraph } from "../../../../kernel/engine/train/clipTrainGraph";
import { type PairData, trainContrastive } from "../../../../kernel/engine/train/contrastive";
import { floatToHalf, writeHfModel } from "../../../../kernel/engine/train/exportHf";
import type { Rng } from "../../../../kernel/util/random/rng";
import { halfToFloat } from "../../../../kernel/engine/weights/halfFloat";
import { SeededRandom } from "../../../../kernel/util/random/xoshiro128";
import { checkGraph, uniform } from "../autodiff/fdCheck";

function tinyArch(activation: "gelu" | "quick_gelu", vocab = 64, context = 7): ClipArch {
  const tower = { intermediateSize: 16, numLayers: 2, numHeads: 2, layerNormEps: 1e-5, activation };
  return {
    vision: { ...tower, hiddenSize: 8, imageSize: 17, patchSize: 8, numChannels: 3 }, // 17 px: the conv drops a row/column
    text: {
      ...tower,
      hiddenSize: 8,
      vocabSize: vocab,
      contextLength: context,
      eosTokenId: vocab - 1,
      bosTokenId: vocab - 2,
      padTokenId: 0,
    },
    projectionDim: 6,
  };
}

const B = 3;

function idsFor(arch: ClipArch, r: number): number[] {
  const v = arch.text.vocabSize;
  const row = [v - 2, 1 + r, 5 + 2 * r, v - 1];
  while (row.length < arch.text.contextLength) row.push(0);
  if (r === 1) {
    row.splice(2, 1); // rows of different lengths → different EOT positions
    row.push(0);
  }
  return row.slice(0, arch.text.contextLength);
}

describe("engine/train: whole-CLIP contrastive training", () => {
  it("gradients of every parameter match float64 central differences", async function () {
    this.timeout(120000);
    const arch = tinyArch("quick_gelu");
    const g = buildClipTrainGraph(arch, B);
    const graph = toFloat64(g.graph);
    const random = new SeededRandom(7);
    const params = initParams(allParamSpecs(arch), 3);
    const feeds: Record<string, Feed> = {};
    for (const p of g.params) {
      const base = params[p.name];
      // Perturb the init (LayerNorm gains ≠ 1, biases ≠ 0) so every term of every rule is exercised.
      feeds[p.name] = {
        data: Float64Array.from(base, (x, i) => x * 3 + 0.2 * Math.sin(i + p.name.length)),
        dims: p.shape,
      };
    }
    feeds.logit_scale = { data: Float64Array.of(1.3), dims: [1] };
    const s = arch.vision.imageSize;
    feeds.pixels = { data: uniform(random, B * 3 * s * s), dims: [B, 3, s, s] };
    const ids = [0, 1, 2].flatMap((r) => idsFor(arch, r));
    const table = {
      data: new Float32Array(arch.text.vocabSize * 8).map((_, i) => Math.cos(i * 0.37)),
      shape: [arch.text.vocabSize, 8],
    };
    feeds.input_embeds = {
      data: Float64Array.from(tokenEmbeddings({ tokenEmbedding: table } as never, ids)),
      dims: [B, arch.text.contextLength, 8],
    };
    const eot = [0, 1, 2].map((r) => idsFor(arch, r).indexOf(arch.text.vocabSize - 1));
    feeds.eot_index = { data: BigInt64Array.from(eot.map(BigInt)), dims: [B] };
    const wrt = [...g.params.map((p) => p.name), "input_embeds"];
    const r = await checkGraph(graph, "loss", feeds, wrt, { maxCoords: 12, rtol: 1e-6 });
    this.test!.title += ` — ${wrt.length} inputs, max abs ${r.maxAbs.toExponential(1)}, rel ${r.maxRel.toExponential(1)}`;
    assert.ok(r.ok, `finite differences disagree: max abs ${r.maxAbs}, rel ${r.maxRel}`);
    for (const name of wrt)
      assert.ok(
        r.gradients[name].some((x) => x !== 0),
        `gradient of ${name} is all zeros`,
      );
  });

  it("computes the same embeddings as the inference graphs on the exported model", async function () {
    this.timeout(60000);
    const arch = tinyArch("gelu");
    const params = initParams(allParamSpecs(arch), 5);
    for (const [n, p] of Object.entries(params))
      if (n.endsWith("bias")) p.forEach((_, i) => (p[i] = 0.05 * Math.sin(i)));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-clip-export-"));
    try {
      writeHfModel(dir, arch, params);
      const model = ClipModel.load(dir);
      const s = arch.vision.imageSize;
      const pixels = Float32Array.from({ length: B * 3 * s * s }, (_, i) => Math.sin(i * 0.11));
      const ids = [0, 1, 2].flatMap((r) => idsFor(arch, r));
      const vs = await createSession(encodeModel(model.buildVision({ batch: B }).graph));
      const ts = await createSession(encodeModel(model.buildText({ batch: B }).graph));
      const refImg = (await vs.run({ pixels: { data: pixels, dims: [B, 3, s, s] } }))["pooled"].data as Float32Array;
      const refTxt = (
        await ts.run({ input_ids: { data: BigInt64Array.from(ids.map(BigInt)), dims: [B, arch.text.contextLength] } })
      )["text_embeds"].data as Float32Array;
      const g = buildClipTrainGraph(arch, B);
      const train = await createSession(encodeModel(g.graph));
      const feeds: Record<string, Feed> = { pixels: { data: pixels, dims: [B, 3, s, s] } };
      for (const p of g.params) feeds[p.name] = { data: params[p.name], dims: p.shape };
      feeds.input_embeds = {
        data: tokenEmbeddings(
          { tokenEmbedding: { data: params[TOKEN_EMBEDDING], shape: [arch.text.vocabSize, 8] } } as never,
          ids,
        ),
        dims: [B, arch.text.contextLength, 8],
      };
      feeds.eot_index = {
        data: BigInt64Array.from([0, 1, 2].map((r) => BigInt(idsFor(arch, r).indexOf(arch.text.vocabSize - 1)))),
        dims: [B],
      };
      const out = await train.run(feeds);
      const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, x, i) => Math.max(m, Math.abs(x - b[i])), 0);
      const di = maxDiff(out.image_embeds.data as Float32Array, refImg);
      const dt = maxDiff(out.text_embeds.data as Float32Array, refTxt);
      this.test!.title += ` — max |Δ| image ${di.toExponential(1)}, text ${dt.toExponential(1)}`;
      assert.ok(di < 1e-5 && dt < 1e-5, `training and inference graphs differ: image ${di}, text ${dt}`);
      assert.ok(Math.max(...refImg.map(Math.abs)) > 1e-3, "reference embeddings are trivially small");
      await Promise.all([vs.release(), ts.release(), train.release()]);
      model.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("resuming from a checkpoint continues exactly as the uninterrupted run; the loss falls on learnable pairs", async function () {
    this.timeout(120000);
    const arch = tinyArch("gelu", 49408, 8);
    const s = arch.vision.imageSize;
    const n = 8;
    // Pair i: an image whose mean colour encodes i, and a caption with token 10 + i — learnable in a few steps.
    const data: PairData = {
      count: n,
      image: (i: number, out: Float32Array, rng: Rng) => {
        for (let k = 0; k < out.length; k++)
          out[k] = Math.sin(i * 1.7 + Math.floor(k / (s * s)) * 2.1) + 0.1 * (rng.next() - 0.5);
      },
      ids: (i: number) => [49406, 10 + i, 320, 49407],
    };
    const opts = { batch: 4, steps: 6, lr: 3e-3, warmup: 2, weightDecay: 0.1, seed: 11 };
    const full = await trainContrastive(arch, data, opts);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "medad-clip-ckpt-"));
    try {
      const stop = new AbortController();
      await assert.rejects(
        trainContrastive(arch, data, {
          ...opts,
          checkpointDir: dir,
          checkpointEvery: 100,
          signal: stop.signal,
          onProgress: (p) => {
            if (p.step === 3) stop.abort();
          },
        }),
        (err: Error) =>
          err.name === "AbortError" && /stopped after step 3; its checkpoint in .* is kept/.test(err.message),
      );
      const events: string[] = [];
      const resumed = await trainContrastive(arch, data, {
        ...opts,
        checkpointDir: dir,
        onProgress: (p) => events.push(p.event),
      });
      assert.strictEqual(events[0], "resumed");
      assert.strictEqual(resumed.step, 6);
      assert.deepStrictEqual(resumed.losses, full.losses);
      for (const name of Object.keys(full.params))
        assert.ok(
          Buffer.from(full.params[name].buffer).equals(Buffer.from(resumed.params[name].buffer)),
          `${name} differs after resume`,
        );
      // Token rows the captions use moved; an unused row only decayed.
      const w = arch.text.hiddenSize;
      const init = initParams(allParamSpecs(arch), 11)[TOKEN_EMBEDDING];
      const row = (t: Float32Array, id: number) => t.subarray(id * w, (id + 1) * w);
      assert.notDeepStrictEqual(row(full.params[TOKEN_EMBEDDING], 12), row(init, 12));
      const unused = row(full.params[TOKEN_EMBEDDING], 5000);
      const ratio = unused[0] / row(init, 5000)[0];
      assert.ok(ratio < 1 && ratio > 0.99, `unused token row should only decay, ratio ${ratio}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const more = await trainContrastive(arch, data, { ...opts, steps: 40, warmup: 4 });
    const head = more.losses.slice(0, 4).reduce((a, b) => a + b) / 4;
    const tail = more.losses.slice(-4).reduce((a, b) => a + b) / 4;
    this.test!.title += ` — loss ${head.toFixed(3)} → ${tail.toFixed(3)}`;
    assert.ok(tail < head * 0.75, `loss did not fall: ${head} → ${tail}`);
  });

  it("fp16 export rounds to the nearest half", () => {
    for (const x of [0, 1, -2.5, 0.1, 1e-5, 6.1e-5, 65504, 1e6, -3.14159, 2 ** -24]) {
      const h = halfToFloat(floatToHalf(x));
      const exact = Math.abs(x) > 65504 ? Infinity * Math.sign(x) : x;
      const tol = Math.abs(x) < 6.1e-5 ? 2 ** -25 : Math.abs(x) * 2 ** -11;
      if (!Number.isFinite(exact)) assert.strictEqual(h, exact);
      else assert.ok(Math.abs(h - exact) <= tol, `${x} → ${h}`);
    }
  });
});

// MVFA's few-shot memory against MVFA-AD's own code (test/fixtures/parity/make_parity.py): utils.augment() of the two
// support normals (11 versions, version-major) and of an abnormal image's mask; the memory bank = the adapted `med`
// tokens of the 22 augmented normals, CLS included, as train_few.main builds it; per-level min(1 − cos) of the test
// patches; the few-shot map summed over levels; and train_few.test()'s fused outputs on the seg (Brain) and det
// (Chest) paths. Everything on our side runs through the code run.ts uses: augmentSupport, the feature extractor
// (frozen residual after the first tap), the MVFA score graph, buildMemoryBank, the ORT memory scorer, mvfaBranches
// and evaluate(). Tolerance: the fixture README's max|a − b| ≤ 1e-5 + 1e-4·max|b|, float32 here against float64
// references (augmentation: float32 both sides, as the reference casts to FloatTensor).
import * as assert from "assert";
import * as path from "path";
import { augmentSupport } from "../../../kernel/data/augment";
import { ClipModel } from "../../../kernel/engine/clip/model";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession } from "../../../kernel/engine/runtime/session";
import { SafetensorsFile } from "../../../kernel/engine/weights/safetensors";
import { buildMemoryBank, l2NormalizedRows, MemoryBank } from "../../../kernel/methods/branches";
import { evaluate } from "../../../kernel/methods/evaluate";
import { branchMap, fuseImage } from "../../../kernel/methods/fuse";
import { createFeatureExtractor } from "../../../kernel/methods/features";
import { createMemoryScorer, MemoryScorer } from "../../../kernel/methods/memoryScorer";
import { buildMvfaScoreGraph } from "../../../kernel/methods/mvfa/scoreGraph";
import type { ScoredImage } from "../../../kernel/methods/result";
import { mvfaBranches } from "../../../kernel/methods/scoredImages";
import { parityFixtures, tinyClipModel } from "../../helpers/fixturePaths";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56;
const G = 7;
const TOKENS = G * G + 1;
const PROJ = 32;
const TAPS = [2, 4, 6, 8];
const HEADS = ["seg", "det"] as const;
type Head = (typeof HEADS)[number];

describe("methods/mvfa: memory bank from augmented supports vs MVFA-AD (parity fixture)", function () {
  this.timeout(120_000);
  const ref = SafetensorsFile.open(path.join(parityFixtures, "mvfa_memory.safetensors"));
  const pre = readRef("pre.safetensors");
  const mvfa = readRef("mvfa.safetensors");
  const T = readRef("text.safetensors").readFloat32("T_mvfa_brain_f64").data;
  const model = ClipModel.load(tinyClipModel);
  const pixels = pre.readFloat32("pixels_mvfa").data;
  const image = (row: number) => pixels.slice(row * 3 * S * S, (row + 1) * 3 * S * S);
  const chw = (data: Float32Array, c = 3) => ({ dims: [c, S, S] as const, data });
  // Our augmented normals (supports = rows 3, 4), in the order run.ts builds its training set.
  const aug = augmentSupport([chw(image(3)), chw(image(4))], [undefined, undefined], "mvfa");
  const worst: Record<string, number> = {};
  const note = (key: string, d: { maxRel: number }) => (worst[key] = Math.max(worst[key] ?? 0, d.maxRel));

  /** Adapted med tokens per level of each image (our extractor → score graph), for one head. */
  const tokensOf: Record<Head, { support: Float32Array[][]; test: Float32Array[][] }> = {} as never;
  const banks: Record<Head, MemoryBank[]> = {} as never;
  const scorers: MemoryScorer[] = [];
  before(async () => {
    const fx = await createFeatureExtractor(model, {
      imageSize: S,
      taps: [TAPS[0]],
      space: "raw",
      activation: "gelu",
      preprocess: { filter: "bicubic", normalize: false },
      intraOpThreads: 1,
    });
    const residualsOf = async (images: Float32Array[]) => {
      const out: Float32Array[] = new Array(images.length);
      await fx.run(
        images.map((im) => () => im),
        { batch: 4, phase: "support", each: (i, [r]) => void (out[i] = r) },
      );
      return out;
    };
    const supportRes = await residualsOf(aug.images.map((t) => t.data));
    const testRes = await residualsOf([0, 1, 2].map(image));
    await fx.release();
    const vw = model.visionWeights();
    for (const head of HEADS) {
      const sg = buildMvfaScoreGraph(vw, model.config.vision!, { taps: TAPS, grid: G, head });
      const s = await createSession(encodeModel(sg.graph), { intraOpThreads: 1 });
      const weights = Object.fromEntries(
        sg.params.map((p) => [p.name, { data: mvfa.readFloat32(p.name).data, dims: p.shape }]),
      );
      const adapted = async (r: Float32Array) => {
        const out = await s.run({ ...weights, residual: { data: r, dims: [1, TOKENS, sg.width] } }, sg.outputs);
        return sg.outputs.map((n) => out[n].data as Float32Array);
      };
      tokensOf[head] = { support: [], test: [] };
      for (const r of supportRes) tokensOf[head].support.push(await adapted(r));
      for (const r of testRes) tokensOf[head].test.push(await adapted(r));
      await s.release();
      banks[head] = TAPS.map((_, l) =>
        buildMemoryBank(
          tokensOf[head].support.map((t) => t[l]),
          PROJ,
          true,
          aug.sources,
        ),
      );
    }
  });
  after(async () => {
    await Promise.all(scorers.map((s) => s.release()));
    model.close();
    console.log(
      `      max rel errors: ${Object.entries(worst)
        .map(([k, v]) => `${k} ${v.toExponential(1)}`)
        .join(", ")}`,
    );
  });

  it("augmentSupport('mvfa') = utils.augment(): 22 images, version-major, bilinear + reflection warps", function () {
    assert.strictEqual(aug.images.length, 22);
    const r = ref.readFloat32("augmented_normal");
    assert.deepStrictEqual(r.shape, [22, 3, S, S]);
    const flat = new Float32Array(22 * 3 * S * S);
    aug.images.forEach((t, i) => flat.set(t.data, i * 3 * S * S));
    const d = compare(flat, r.data);
    note("augment", d);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
    assert.deepStrictEqual(aug.sources.slice(0, 4), [0, 1, 0, 1]);
  });

  it("masks are warped with their image (utils.augment's mask branch, before re-binarising)", function () {
    const mask = pre.readFloat32("masks").data.slice(2 * S * S, 3 * S * S);
    const a = augmentSupport([chw(image(2))], [chw(mask, 1)], "mvfa");
    const flat = new Float32Array(11 * S * S);
    a.masks.forEach((t, i) => flat.set(t.data, i * S * S));
    const d = compare(flat, ref.readFloat32("augmented_abnormal_mask").data);
    note("mask warp", d);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  it("memory bank: 22 × 50 tokens per level (CLS included), same rows in the same order", function () {
    const bank = banks.seg[3];
    assert.strictEqual(bank.count, 22 * TOKENS);
    const expected = l2NormalizedRows(ref.readFloat32("seg_memory_tap8_f64").data, PROJ);
    const d = compare(bank.data, expected);
    note("bank", d);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  for (const head of HEADS) {
    it(`${head} head: per-level min(1 − cos) of the test patches against the bank (ORT scorer)`, async function () {
      const msgs: string[] = [];
      for (const [l, t] of TAPS.entries()) {
        const scorer = await createMemoryScorer(banks[head][l]);
        scorers.push(scorer);
        const got = new Float64Array(3 * G * G);
        for (let i = 0; i < 3; i++)
          got.set(await scorer.distances({ data: tokensOf[head].test[i][l], dim: PROJ, grid: G }), i * G * G);
        const d = compare(got, ref.readFloat32(`${head}_distance_tap${t}_f64`).data);
        note(`${head} distances`, d);
        msgs.push(`tap${t} ${d.maxRel.toExponential(1)}`);
        assert.ok(d.ok, `${head} tap ${t}: ${fmt(d)}`);
      }
      this.test!.title += ` — max rel ${msgs.join(", ")}`;
    });
  }

  /** Our scored test images for one head: MVFA's text + memory branches with the ORT scorers. */
  async function scored(head: Head): Promise<ScoredImage[]> {
    const own = await Promise.all(banks[head].map((b) => createMemoryScorer(b)));
    scorers.push(...own);
    const masks = pre.readFloat32("masks").data;
    const labels = pre.readFloat32("labels").data;
    return Promise.all(
      [0, 1, 2].map(async (i) => ({
        file: `test_${i}.png`,
        label: labels[i] as 0 | 1,
        mask: () => masks.slice(i * S * S, (i + 1) * S * S),
        branches: await mvfaBranches(tokensOf[head].test[i], {
          dim: PROJ,
          grid: G,
          T,
          banks: banks[head],
          scorers: own,
          size: S,
        }),
      })),
    );
  }

  for (const head of HEADS) {
    it(`${head} head: few-shot map summed over the 4 levels (before min–max)`, async function () {
      const images = await scored(head);
      const got = new Float64Array(3 * S * S);
      images.forEach((im, i) => got.set(branchMap(im.branches[1], S), i * S * S));
      const d = compare(got, ref.readFloat32(`${head}_few_map_f64`).data);
      note(`${head} few map`, d);
      this.test!.title += ` — ${fmt(d)}`;
      assert.ok(d.ok, fmt(d));
    });
  }

  it("train_few.test(), Brain path: fused image scores (max of 0.5/0.5 min–max fused map over the test set)", async function () {
    const images = await scored("seg");
    const weights = { text: 0.5, memory: 0.5 };
    const ev = evaluate(
      { mapSize: S, taps: TAPS, images },
      { protocol: "reference", weights, imageScore: "map-max", perLayerPixel: false },
    );
    const d = compare(
      ev.scores.map((s) => s.score),
      ref.readFloat64("seg_image_scores_f64").data,
    );
    note("seg fused scores", d);
    assert.ok(d.ok, fmt(d));
    // The fused map itself, with the statistics evaluate() recorded.
    const spec = {
      size: S,
      weights,
      imgNorm: ev.normalisation.branches.map((b) => b.image),
      mapNorm: ev.normalisation.branches.map((b) => b.map!),
      imageScore: "map-max" as const,
    };
    const fused = new Float32Array(3 * S * S);
    images.forEach((im, i) => fused.set(fuseImage(im, spec, true).map32!, i * S * S));
    const dm = compare(fused, ref.readFloat32("seg_fused_map_f64").data);
    note("seg fused map", dm);
    this.test!.title += ` — scores ${fmt(d)}; map ${fmt(dm)}`;
    assert.ok(dm.ok, fmt(dm));
  });

  it("train_few.test(), Chest path: 0.5·norm(zero det score) + 0.5·norm(mean few-shot map)", async function () {
    const ev = evaluate(
      { mapSize: S, taps: TAPS, images: await scored("det") },
      { protocol: "reference", weights: { text: 0.5, memory: 0.5 }, imageScore: "branches", pixel: false },
    );
    const d = compare(
      ev.scores.map((s) => s.score),
      ref.readFloat64("det_image_scores_f64").data,
    );
    note("det fused scores", d);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });
});

// MadCLIP's scoring path vs the reference test() captured in the tiny-CLIP fixture: the scoring graph (not the
// training graph, which madclipParity checks) on the fixture's adapter weights and T, turned into level scores by
// run.ts's madclipLevel, rendered by the shared text-map rule and evaluated by the shared evaluation with the
// reference protocol (global min–max, +1e-4, image score = max of the normalised map on a seg dataset). If any step
// of the path that produces the reported image and pixel AUROC differed from the reference, this would fail.
import * as assert from "assert";
import { textLevelMap } from "../../../kernel/methods/branches";
import { evaluate } from "../../../kernel/methods/evaluate";
import { madclipLevel } from "../../../kernel/methods/madclip/run";
import { buildMadclipScoreGraph } from "../../../kernel/methods/madclip/scoreGraph";
import type { ScoredImage, ScoredSet } from "../../../kernel/methods/result";
import { branchWithRule } from "../../../kernel/methods/scoredImages";
import { aurocExact } from "../../../kernel/metrics/auroc";
import { encodeModel } from "../../../kernel/engine/onnx/writer";
import { createSession, Feed } from "../../../kernel/engine/runtime/session";
import { readRef } from "../engine/clipLoad";
import { compare, fmt } from "../engine/helpers";

const S = 56,
  G = 7,
  TOKENS = 50,
  WIDTH = 64,
  PROJ = 32;
const TAPS = [2, 4, 6, 8];
const LABELS = [0, 1, 1] as const;

describe("methods/madclip: scoring path (score graph → level scores → maps → evaluation) vs the reference test() (tiny CLIP)", () => {
  const pre = readRef("pre.safetensors");
  const backbone = readRef("backbone.safetensors");
  const ref = readRef("madclip.safetensors");
  after(() => [pre, backbone, ref].forEach((f) => f.close()));
  let set: ScoredSet;

  before(async () => {
    const sg = buildMadclipScoreGraph({
      levels: TAPS.length,
      width: WIDTH,
      proj: PROJ,
      grid: G,
      textT: ref.readFloat32("T").data,
    });
    const session = await createSession(encodeModel(sg.graph), { intraOpThreads: 1 });
    const masks = pre.readFloat32("masks").data;
    const images: ScoredImage[] = [];
    try {
      for (const i of [0, 1, 2]) {
        const feeds: Record<string, Feed> = Object.fromEntries(
          sg.params.map((p) => [p.name, { data: ref.readFloat32(p.name).data, dims: p.shape }]),
        );
        TAPS.forEach((t, l) => {
          const n = TOKENS * WIDTH;
          feeds[`tap${l}`] = {
            data: backbone.readFloat32(`tap${t}_gelu_mvfa_f64`).data.slice(i * n, (i + 1) * n),
            dims: [1, TOKENS, WIDTH],
          };
        });
        const out = await session.run(feeds, [...sg.det, ...sg.seg]);
        const levels = sg.det.map((d, l) =>
          madclipLevel(out[d].data as Float32Array, out[sg.seg[l]].data as Float32Array, G),
        );
        images.push({
          file: `test_${i}.png`,
          label: LABELS[i],
          mask: () => masks.slice(i * S * S, (i + 1) * S * S),
          branches: [branchWithRule("text", levels, textLevelMap, S, "mean")],
        });
      }
    } finally {
      await session.release();
    }
    set = { mapSize: S, taps: TAPS, images };
  });

  it("det image score (Σ levels of the mean patch p₁) = det_score", function () {
    const d = compare(
      set.images.map((im) => im.branches[0].image),
      ref.readFloat64("det_score_f64").data,
    );
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  it("map (Σ levels of channel 1 of the softmax of the upsampled seg scores) = seg_map", function () {
    const actual: number[] = [];
    for (const im of set.images) {
      const b = im.branches[0];
      const acc = new Float64Array(S * S);
      for (const lv of b.levels) b.render(lv, S).forEach((v, p) => (acc[p] += v));
      actual.push(...acc);
    }
    const d = compare(actual, ref.readFloat32("seg_map_f64").data);
    this.test!.title += ` — ${fmt(d)}`;
    assert.ok(d.ok, fmt(d));
  });

  it("reference protocol: image scores = max of the min–max normalised map = norm_seg_image_scores; AUROCs = test()'s", function () {
    const ev = evaluate(set, { protocol: "reference", weights: { text: 1 }, imageScore: "map-max", eps: 1e-4 });
    const d = compare(
      ev.scores.map((s) => s.score),
      ref.readFloat32("norm_seg_image_scores").data,
    );
    const metrics = ref.readFloat64("test_metrics").data; // [pixel AUROC, image AUROC (seg: map max), image AUROC (det)]
    this.test!.title += ` — ${fmt(d)}; pixel AUROC ${ev.metrics.pixel!.auroc} vs ${metrics[0]}`;
    assert.ok(d.ok, fmt(d));
    assert.ok(Math.abs(ev.metrics.pixel!.auroc - metrics[0]) < 1e-4);
    assert.strictEqual(ev.metrics.image.auroc, metrics[1]);
    // The det score's AUROC (the reference's rule on det-only datasets) is rank-based, so raw = normalised.
    assert.strictEqual(
      aurocExact(
        ev.scores.map((s) => s.branches.text),
        LABELS,
      ),
      metrics[2],
    );
  });
});

// SD-MAD-inspired pieces in TypeScript, on constructed data with hand-worked answers: sign scores, category logits,
// decisions, sign selection, the three protocols, sign lists (shipped, edited, missing) and the per-category support.
import * as assert from "assert";
import * as path from "path";
import { loadDataset } from "../../../kernel/data/loadDataset";
import { selectFewShot } from "../../../kernel/data/supportSet";
import { demoDatasetPath } from "../../../kernel/data/demo/paths";
import { anomalyCategories } from "../../../kernel/data/anomalyCategories";
import { TEMPERATURE } from "../../../kernel/methods/sdmad/design";
import { multiAnomalyProtocols } from "../../../kernel/methods/sdmad/protocols";
import {
  anomalyScore,
  categoryLogits,
  categoryWeights,
  decisionEntropy,
  patchLogitGrid,
  predictedClass,
  signScores,
} from "../../../kernel/methods/sdmad/scores";
import { selectSigns, uncertaintyThreshold } from "../../../kernel/methods/sdmad/selection";
import { resolveSigns, shippedSignLists, signLayout, signPrompt } from "../../../kernel/methods/sdmad/signs";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe("methods: SD-MAD-inspired scores, selection and protocols", () => {
  it("sign score = ½·global cosine + ½·mean of the top ⌈1 %⌉ patch cosines", () => {
    // 4 patches → top 1; token 0 is the global feature. cos is [tokens, S] with S = 2.
    const cos = [0.2, -0.1, 0.1, 0.0, 0.5, -0.3, 0.3, 0.4, -0.2, 0.1];
    const u = signScores(cos, 5, 2);
    close(u[0], 0.5 * 0.2 + 0.5 * 0.5);
    close(u[1], 0.5 * -0.1 + 0.5 * 0.4);
    // 150 patches → top 2 averaged.
    const many = new Float64Array(151);
    many[0] = 1;
    many[10] = 0.9;
    many[20] = 0.7;
    many[30] = 0.6;
    close(signScores(many, 151, 1)[0], 0.5 + 0.5 * 0.8);
    assert.throws(() => signScores(cos, 5, 3), /expected 5×3 cosines/);
  });

  it("logits contrast each category's (selected) signs with the normal signs, divided by τ", () => {
    const group = [0, 0, 1, 1, 1, 2, 2];
    const w = categoryWeights(group, 2);
    assert.deepStrictEqual(Array.from(w[0]), [-0.5, -0.5, 1 / 3, 1 / 3, 1 / 3, 0, 0]);
    assert.deepStrictEqual(Array.from(w[1]), [-0.5, -0.5, 0, 0, 0, 0.5, 0.5]);
    const sel = categoryWeights(group, 2, [true, true, false, true, true, true, true]);
    assert.deepStrictEqual(Array.from(sel[0]), [-0.5, -0.5, 0, 0.5, 0.5, 0, 0]);
    const u = [0.1, 0.3, 0.5, 0.2, 0.2, 0.0, 0.4];
    const z = categoryLogits(u, sel);
    close(z[0], (0.2 - 0.2) / TEMPERATURE);
    close(z[1], (0.2 - 0.2) / TEMPERATURE);
    close(categoryLogits(u, w)[0], (0.3 - 0.2) / TEMPERATURE, 1e-12);
    assert.throws(
      () => categoryWeights(group, 2, [true, true, false, false, false, true, true]),
      /category 1 has no selected sign/,
    );
    // Patch grid: per patch the max over categories of the same contrast.
    const cos = [0, 0, 0, 0, 0, 0, 0, /* patch 1 */ 0, 0, 0.3, 0.3, 0.3, 0, 0.6];
    const grid = patchLogitGrid(cos, 2, w);
    close(grid[0], Math.max(0.3, 0.3) / TEMPERATURE);
  });

  it("decisions: argmax over [0, z] (normal when every z < 0), entropy, max σ", () => {
    assert.strictEqual(predictedClass([-1, -2]), 0);
    assert.strictEqual(predictedClass([0.5, 2]), 2);
    assert.strictEqual(predictedClass([1, 1]), 1);
    close(decisionEntropy([0, 0]), Math.log(3));
    close(decisionEntropy([-50, -50]), 0, 1e-18);
    close(anomalyScore([-1, 2]), 1 / (1 + Math.exp(-2)));
  });

  it("sign selection keeps AUROC ≥ max(0.5, median), else the 2 best; normal signs always", () => {
    // Images: 2 normal, 2 of category 1, 2 of category 2. Signs: 1 normal, 4 of category 1, 3 of category 2.
    const labels = [[], [], [1], [1], [2], [2]];
    const group = [0, 1, 1, 1, 1, 2, 2, 2];
    const columns = [
      [0, 0, 0, 0, 0, 0], // normal sign (not measured)
      [0, 0, 1, 1, 0, 0], // AUROC 1
      [0.1, 0.2, 0.5, 0.9, 0.6, 0.3], // 7/8
      [0, 0, 0, 0, 0, 0], // 1/2
      [1, 1, 0, 0, 1, 1], // 0
      [1, 1, 1, 1, 0, 0], // category 2: 0
      [0.1, 0.6, 0.7, 0.8, 0.5, 0.2], // 2/8
      [0.1, 0.6, 0.7, 0.8, 0.3, 0.65], // 3/8
    ];
    const u = labels.map((_, i) => columns.map((c) => c[i]));
    const r = selectSigns(u, labels, group, 2);
    assert.ok(Number.isNaN(r.auroc[0]));
    assert.deepStrictEqual(r.auroc.slice(1), [1, 0.875, 0.5, 0, 0, 0.25, 0.375]);
    // Category 1: median of (0, 0.5, 0.875, 1) = 0.6875 → the first two. Category 2: none ≥ 0.5 → the best two.
    assert.deepStrictEqual(r.selected, [true, true, true, false, false, false, true, true]);
  });

  it("the uncertainty threshold is the 90th percentile (linear) of the support entropies", () => {
    close(uncertaintyThreshold([10, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), 9);
    close(uncertaintyThreshold([0, 1]), 0.9);
  });

  it("protocols P1/P2/P3 on six images equal the hand-worked values", () => {
    const images = [
      { categories: [], z: [-1, -2] },
      { categories: [], z: [0.5, -1] },
      { categories: [1], z: [2, 1] },
      { categories: [1], z: [-0.5, 0.3] },
      { categories: [2], z: [0.1, 1.5] },
      { categories: [2], z: [1, -0.2] },
    ];
    const p = multiAnomalyProtocols(images, ["mass", "small"]);
    assert.strictEqual(p.p1.auroc, 7 / 8);
    assert.deepStrictEqual([p.p1.positives, p.p1.negatives], [4, 2]);
    assert.strictEqual(p.p2.perCategory.mass.auroc, 5 / 8);
    assert.strictEqual(p.p2.perCategory.small.auroc, 6 / 8);
    assert.strictEqual(p.p2.macroAuroc, 0.6875);
    assert.deepStrictEqual(p.p3.confusion, {
      classes: ["normal", "mass", "small"],
      matrix: [
        [1, 1, 0],
        [0, 1, 1],
        [0, 1, 1],
      ],
    });
    assert.strictEqual(p.p3.accuracy, 0.5);
    close(p.p3.perClassF1.normal, 2 / 3);
    close(p.p3.perClassF1.mass, 0.4);
    close(p.p3.perClassF1.small, 0.5);
    close(p.p3.macroF1, (2 / 3 + 0.4 + 0.5) / 3);
    close(p.p3.meanAveragePrecision, (0.7 + 0.75) / 2);
    // A multi-label image enters P1, P2 and mAP but not accuracy/macro-F1.
    const withBoth = multiAnomalyProtocols([...images, { categories: [1, 2], z: [3, 3] }], ["mass", "small"]);
    assert.strictEqual(withBoth.p3.multiLabelImages, 1);
    assert.strictEqual(withBoth.p3.images, 6);
    assert.strictEqual(withBoth.p3.accuracy, 0.5);
    assert.strictEqual(withBoth.p2.perCategory.mass.positives, 3);
  });
});

describe("methods: SD-MAD-inspired sign lists and per-category support", () => {
  it("ships curated lists for brain MRI, liver CT, retinal OCT, chest X-ray and histopathology", () => {
    const names = shippedSignLists().map((s) => s.name);
    for (const n of ["brain-mri", "liver-ct", "retinal-oct", "chest-xray", "histopathology"])
      assert.ok(names.includes(n), n);
    for (const s of shippedSignLists()) {
      assert.match(s.curation, /MedAD Lab's own curation/);
      assert.ok(s.normal.length >= 2 && Object.values(s.categories).every((l) => l.length >= 2), s.name);
    }
  });

  it("the demo class picks brain-mri by default; edits replace categories; missing categories are named", () => {
    const d = resolveSigns(undefined, "Brain", ["mass", "small_lesions"]);
    assert.match(d.source, /brain-mri/);
    assert.strictEqual(d.signs.modality, "brain MRI");
    const edited = resolveSigns({ categories: { mass: ["a big bright blob", "midline shift"] } }, "Brain", [
      "mass",
      "small_lesions",
    ]);
    assert.deepStrictEqual(edited.signs.categories.mass, ["a big bright blob", "midline shift"]);
    assert.deepStrictEqual(edited.signs.categories.small_lesions, d.signs.categories.small_lesions);
    assert.match(edited.source, /edited by options.signs/);
    assert.throws(
      () => resolveSigns(undefined, "Brain", ["mass", "haemorrhage"]),
      /no signs for anomaly category 'haemorrhage'.*options.signs = \{categories: \{haemorrhage/,
    );
    assert.throws(() => resolveSigns(undefined, "Knee", ["tear"]), /class 'Knee' has no shipped sign list/);
    assert.throws(
      () => resolveSigns({ categories: { mass: [] } }, "Brain", ["mass"]),
      /options.signs.categories.mass must be a non-empty list/,
    );
    const own = resolveSigns(
      {
        modality: "knee MRI",
        normal: ["intact menisci"],
        categories: { tear: ["a meniscal tear", "a linear bright line"] },
      },
      "Knee",
      ["tear"],
    );
    assert.strictEqual(own.source, "options.signs");
    const layout = signLayout(own.signs, ["tear"]);
    assert.deepStrictEqual(layout.group, [0, 1, 1]);
    assert.strictEqual(layout.prompts[1], "a knee MRI image showing a meniscal tear.");
    assert.strictEqual(
      signPrompt("brain MRI", "punctate hyperintensities."),
      "a brain MRI image showing punctate hyperintensities.",
    );
  });

  it("the per-category protocol draws k normals + k of each anomaly category from valid, recorded per category", () => {
    const ds = loadDataset(demoDatasetPath());
    const set = selectFewShot(ds, { k: 4, protocol: "per-category", seed: 3 });
    assert.strictEqual(set.normal.length, 4);
    assert.strictEqual(set.abnormal.length, 8);
    assert.ok([...set.normal, ...set.abnormal].every((s) => s.split === "valid"));
    const by = set.record.abnormalByCategory!;
    assert.deepStrictEqual(Object.keys(by), ["mass", "small_lesions"]);
    for (const [c, files] of Object.entries(by)) {
      assert.strictEqual(files.length, 4);
      for (const f of files)
        assert.deepStrictEqual(anomalyCategories(ds.samples.find((s) => s.path === path.join(ds.root, f))!), [c]);
    }
    assert.deepStrictEqual(selectFewShot(ds, { k: 4, protocol: "per-category", seed: 3 }).record, set.record);
    // The demo's valid split has 5 small-lesion images.
    assert.throws(
      () => selectFewShot(ds, { k: 6, protocol: "per-category" }),
      /'small_lesions' has 5 unused abnormal .* k=6 per category needs 6/,
    );
    assert.throws(
      () => selectFewShot(ds, { k: 1, protocol: "per-category", listFile: "auto" }),
      /draws k per anomaly category/,
    );
  });
});

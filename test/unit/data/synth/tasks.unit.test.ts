// MediCLIP's synthesis tasks (kernel/data/synth, methods.md §4.5) by their properties: patch sizes within the task's
// bounds, Perlin coverage ≥ 0.2, seeded reproducibility, pixels change only inside the anomaly mask (every task, both
// CutPaste blends), identity leaves the image alone, labels as the reference defines them, one or two anomalies with
// probability ½ each, the four tasks drawn with probability ¼ each.
import * as assert from "assert";
import { Rng } from "../../../../kernel/util/random/rng";
import { cutPasteAnomaly, cutPasteTransform, flippedGaussianLabel } from "../../../../kernel/data/synth/cutPaste";
import { gaussIntensityAnomaly, intensityTexture } from "../../../../kernel/data/synth/gaussIntensity";
import { cloneImage, grayImage, GrayImage } from "../../../../kernel/data/synth/grayImage";
import { fillHoles } from "../../../../kernel/data/synth/morphology";
import { patchBounds, perlinPatchMask } from "../../../../kernel/data/synth/perlinMask";
import { poissonBlend } from "../../../../kernel/data/synth/poisson";
import { deformShape, edgeDistance, sourceDeformationAnomaly } from "../../../../kernel/data/synth/sourceDeformation";
import { drawTask, synthesize, SYNTH_TASKS, SynthTaskName } from "../../../../kernel/data/synth/tasks";

const S = 64;

/** A textured test image: smooth gradients plus a seeded speckle, 0–255. */
function testImage(seed: number, size = S): GrayImage {
  const rng = new Rng(seed);
  return grayImage(size, size, Array.from({ length: size * size }, (_, k) => {
    const r = Math.floor(k / size);
    const c = k % size;
    return Math.min(255, Math.max(0, 60 + 1.5 * r + c + 40 * Math.sin(r / 5) * Math.cos(c / 7) + 20 * rng.next()));
  }));
}

function changedOutside(before: GrayImage, after: GrayImage, mask: ArrayLike<number>): number {
  let n = 0;
  for (let k = 0; k < mask.length; k++) if (!mask[k] && before.data[k] !== after.data[k]) n++;
  return n;
}

/** [r0, c0, r1, c1) of the nonzero pixels, or undefined. */
function boundingBox(mask: ArrayLike<number>, size: number): [number, number, number, number] | undefined {
  let box: [number, number, number, number] | undefined;
  for (let k = 0; k < mask.length; k++) {
    if (!mask[k]) continue;
    const r = Math.floor(k / size);
    const c = k % size;
    box = box ? [Math.min(box[0], r), Math.min(box[1], c), Math.max(box[2], r + 1), Math.max(box[3], c + 1)] : [r, c, r + 1, c + 1];
  }
  return box;
}

describe("data/synth: MediCLIP anomaly synthesis", function () {
  this.timeout(60_000);
  it("Perlin patch masks: size in [lo, hi), binary, ≥ 20 % covered, reproducible per seed", () => {
    const { lo, hi } = patchBounds(224, 0.1, 0.6);
    assert.deepStrictEqual([lo, hi], [22, 134]);
    for (let seed = 0; seed < 30; seed++) {
      const m = perlinPatchMask(new Rng(seed), lo, hi);
      assert.ok(m.height >= lo && m.height < hi && m.width >= lo && m.width < hi, `${m.height}×${m.width}`);
      let on = 0;
      for (const v of m.data) {
        assert.ok(v === 0 || v === 1);
        on += v;
      }
      assert.ok(on / m.data.length >= 0.2, `coverage ${on / m.data.length}`);
      assert.deepStrictEqual(perlinPatchMask(new Rng(seed), lo, hi), m);
    }
  });

  for (const task of SYNTH_TASKS) {
    it(`${task}: same seed → same sample; the normal image is not modified; pixels change only inside the mask`, () => {
      const normal = testImage(1);
      const copy = cloneImage(normal);
      const sources = [normal, testImage(2), testImage(3)];
      let differs = false;
      for (let seed = 0; seed < 12; seed++) {
        const a = synthesize(normal, new Rng(seed), { task, sources });
        const b = synthesize(normal, new Rng(seed), { task, sources });
        assert.deepStrictEqual(a, b);
        assert.deepStrictEqual(normal, copy);
        assert.strictEqual(a.task, task);
        assert.strictEqual(changedOutside(normal, a.image, a.mask), 0, `seed ${seed}: pixels changed outside the mask`);
        // CutPaste's labeller fills holes inside each component's bounding box; elsewhere the label lives on the mask.
        const box = boundingBox(a.mask, S);
        for (let k = 0; k < a.label.length; k++) {
          assert.ok(a.label[k] >= 0 && a.label[k] <= 1);
          const inBox = box && Math.floor(k / S) >= box[0] && Math.floor(k / S) < box[2] && k % S >= box[1] && k % S < box[3];
          if (!a.mask[k] && (task !== "cutpaste" || !inBox)) assert.strictEqual(a.label[k], 0, "label outside the mask");
        }
        if (task === "identity") {
          assert.deepStrictEqual(a.image, normal);
          assert.strictEqual(a.anomalies, 0);
          assert.ok(a.mask.every((v) => v === 0));
        } else {
          assert.ok(a.anomalies === 1 || a.anomalies === 2);
          assert.ok(a.mask.some((v) => v === 1));
          if (a.image.data.some((v, k) => v !== normal.data[k])) differs = true;
        }
        if (seed > 0 && task !== "identity") assert.notDeepStrictEqual(a.mask, synthesize(normal, new Rng(seed - 1), { task, sources }).mask);
      }
      if (task !== "identity") assert.ok(differs, "the task never changed a pixel");
    });
  }

  it("cutpaste with Poisson blending also changes pixels only inside its mask, and differs from direct replacement", () => {
    const normal = testImage(4);
    const sources = [testImage(5)];
    for (let seed = 0; seed < 4; seed++) {
      const p = synthesize(normal, new Rng(seed), { task: "cutpaste", sources, cutPasteBlend: "poisson" });
      const r = synthesize(normal, new Rng(seed), { task: "cutpaste", sources });
      assert.strictEqual(changedOutside(normal, p.image, p.mask), 0);
      assert.notDeepStrictEqual(p.image.data, r.image.data);
    }
  });

  it("gauss-intensity: the label is the binary mask; every changed pixel moves by at most the texture amplitude", () => {
    const normal = testImage(6);
    const s = synthesize(normal, new Rng(3), { task: "gauss-intensity" });
    assert.deepStrictEqual(Array.from(s.label), Array.from(s.mask));
    for (let k = 0; k < s.mask.length; k++) assert.ok(Math.abs(s.image.data[k] - normal.data[k]) <= 0.6 * 255 + 1e-9);
    const t = intensityTexture(S, S, new Rng(1));
    const amp = Math.max(...Array.from(t, Math.abs));
    assert.ok(amp >= 0.4 - 1e-12 && amp <= 0.6 + 1e-12, `texture amplitude ${amp}`);
  });

  it("gauss-intensity and source-deformation patches respect their size bounds (props 0.3–0.8 and 0.2–0.6 of 224)", () => {
    for (let seed = 0; seed < 8; seed++) {
      const img = testImage(seed, 224);
      const g = gaussIntensityAnomaly(cloneImage(img), new Rng(seed));
      assert.ok(g.mask.height >= 67 && g.mask.height < 179 && g.mask.width >= 67 && g.mask.width < 179, `gauss ${g.mask.height}×${g.mask.width}`);
      const d = sourceDeformationAnomaly(cloneImage(img), new Rng(seed));
      assert.ok(d.mask.height <= 135 && d.mask.width <= 135, `deformation ${d.mask.height}×${d.mask.width}`);
      assert.ok(d.r0 >= 0 && d.c0 >= 0 && d.r0 + d.mask.height <= 224 && d.c0 + d.mask.width <= 224);
    }
  });

  it("source-deformation: shape masks are convex rectangles/ellipses; edge distance is exact for an unrotated shape", () => {
    for (let seed = 0; seed < 10; seed++) {
      const s = deformShape(new Rng(seed), 224);
      // Convexity along rows: the pixels of each row are contiguous.
      for (let r = 0; r < s.mask.height; r++) {
        const row = Array.from(s.mask.data.subarray(r * s.mask.width, (r + 1) * s.mask.width));
        const first = row.indexOf(1);
        const last = row.lastIndexOf(1);
        if (first >= 0) assert.ok(row.slice(first, last + 1).every((v) => v === 1), `seed ${seed} row ${r}`);
      }
    }
    const rect = { kind: "rectangle" as const, half: [10, 5] as [number, number], inverse: [1, 0, 0, 1] as [number, number, number, number], mask: { height: 1, width: 1, data: new Uint8Array(1) } };
    assert.ok(Math.abs(edgeDistance(rect, [0, 0], [1, 0]) - 10) < 1e-12);
    assert.ok(Math.abs(edgeDistance(rect, [2, 1], [0, -1]) - 6) < 1e-12);
    const ell = { ...rect, kind: "ellipse" as const };
    assert.ok(Math.abs(edgeDistance(ell, [0, 0], [Math.SQRT1_2, Math.SQRT1_2]) - 1 / Math.sqrt(0.5 / 100 + 0.5 / 25)) < 1e-9);
  });

  it("cutpaste: the crop transform fits 0.8 of the source; direct replacement copies source intensities", () => {
    for (let seed = 0; seed < 50; seed++) {
      const t = cutPasteTransform(new Rng(seed), [130, 40], [224, 224]);
      assert.ok(t.crop[0] <= Math.ceil(0.8 * 224) + 1 && t.crop[1] <= Math.ceil(0.8 * 224) + 1, `crop ${t.crop}`);
      const det = t.M[0] * t.M[3] - t.M[1] * t.M[2];
      assert.ok(det > 0, "a rotation times a positive scale");
    }
    // A constant source pastes exactly that constant (the spline reproduces constants; clipped to the source range).
    const img = testImage(7);
    const before = cloneImage(img);
    const a = cutPasteAnomaly(img, new Rng(2), [grayImage(S, S, new Array(S * S).fill(200))]);
    for (let r = 0; r < a.mask.height; r++) {
      for (let c = 0; c < a.mask.width; c++) {
        const k = (a.r0 + r) * S + a.c0 + c;
        if (a.mask.data[r * a.mask.width + c]) assert.ok(Math.abs(img.data[k] - 200) < 1e-9 || before.data[k] === 200);
      }
    }
  });

  it("FlippedGaussianLabeller: 1 − exp(−d²/0.08) on the 0–255 difference, holes filled", () => {
    // A 4×4 region changed by one grey level, and one changed by two, on an 8×8 image.
    const orig = grayImage(8, 8, new Array(64).fill(10));
    const aug = cloneImage(orig);
    const mask = new Uint8Array(64);
    const fill = (r0: number, r1: number, value: number) => {
      for (let r = r0; r < r1; r++) {
        for (let c = r0; c < r1; c++) {
          aug.data[r * 8 + c] = value;
          mask[r * 8 + c] = 1;
        }
      }
    };
    fill(0, 4, 11);
    fill(5, 8, 12);
    const label = flippedGaussianLabel(aug, orig, mask);
    assert.strictEqual(label[4 * 8 + 4], 0);
    assert.ok(Math.abs(label[0] - (1 - Math.exp(-1 / 0.08))) < 1e-12 && label[0] < 1);
    assert.strictEqual(label[7 * 8 + 7], 1, "two grey levels already give 1.0 exactly");
    // A ring of ones around a zero: closing + reconstruction fill the centre.
    const ring = new Float64Array(25);
    for (let r = 1; r < 4; r++) for (let c = 1; c < 4; c++) ring[r * 5 + c] = r === 2 && c === 2 ? 0 : 1;
    assert.strictEqual(fillHoles(ring, 5, 5)[12], 1);
    const open = Float64Array.from(ring);
    open[2 * 5 + 3] = 0; // a gap to the border-connected zeros: not a hole any more
    open[2 * 5 + 4] = 0;
    assert.strictEqual(fillHoles(open, 5, 5)[12], 0);
  });

  it("hole filling equals the definition (parallel iteration of seed ← max(erode₃ₓ₃(seed), image)) on random images", () => {
    const parallel = (image: Float64Array, h: number, w: number) => {
      const max = Math.max(...image);
      let seed = Float64Array.from(image, (v, k) => (k < w || k >= (h - 1) * w || k % w === 0 || k % w === w - 1 ? v : max));
      for (;;) {
        const next = seed.map((v, k) => {
          const r = Math.floor(k / w);
          const c = k % w;
          let m = v;
          for (let dr = -1; dr <= 1; dr++) for (let dc = -1; dc <= 1; dc++) if (r + dr >= 0 && r + dr < h && c + dc >= 0 && c + dc < w) m = Math.min(m, seed[(r + dr) * w + c + dc]);
          return Math.max(m, image[k]);
        });
        if (next.every((v, k) => v === seed[k])) return next;
        seed = next;
      }
    };
    const rng = new Rng(11);
    for (let t = 0; t < 30; t++) {
      const h = 3 + rng.int(0, 12);
      const w = 3 + rng.int(0, 12);
      const image = Float64Array.from({ length: h * w }, () => rng.int(0, 4));
      assert.deepStrictEqual(fillHoles(image, h, w), parallel(image, h, w));
    }
  });

  it("Poisson blending keeps the target where the source is the target shifted by a constant", () => {
    const target = testImage(8, 32);
    const source = grayImage(10, 12, Array.from({ length: 120 }, (_, k) => target.data[(8 + Math.floor(k / 12)) * 32 + 9 + (k % 12)] + 30));
    const mask = new Uint8Array(120);
    for (let r = 2; r < 8; r++) for (let c = 2; c < 10; c++) mask[r * 12 + c] = 1;
    const out = cloneImage(target);
    poissonBlend(out, source, mask, 8, 9, { tolerance: 1e-6 });
    for (let k = 0; k < out.data.length; k++) assert.ok(Math.abs(out.data[k] - target.data[k]) < 1e-3, `pixel ${k}: ${out.data[k]} vs ${target.data[k]}`);
  });

  it("one or two anomalies with probability ½ each; tasks drawn with probability ¼ each", () => {
    const normal = testImage(9, 48);
    let two = 0;
    const N = 200;
    for (let seed = 0; seed < N; seed++) if (synthesize(normal, new Rng(seed), { task: "gauss-intensity" }).anomalies === 2) two++;
    assert.ok(two > 0.4 * N && two < 0.6 * N, `${two} of ${N} with two anomalies`);
    const counts: Record<SynthTaskName, number> = { cutpaste: 0, "gauss-intensity": 0, "source-deformation": 0, identity: 0 };
    const rng = new Rng(0);
    for (let i = 0; i < 4000; i++) counts[drawTask(rng)]++;
    for (const t of SYNTH_TASKS) assert.ok(counts[t] > 900 && counts[t] < 1100, `${t}: ${counts[t]} of 4000`);
  });
});

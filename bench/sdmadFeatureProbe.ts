// `npm run bench:sdmad-probe`: does the frozen model's projected feature space separate normal / mass / small lesions
// on the demo set at all? The answer bounds what SD-MAD's shift adapter + sign alignment can reach. Fit on the
// support split (valid: 16 normal, 11 mass, 5 small lesions), scored on all 96 test images, at the last block:
//   centroid  — cos(g, μ_c) − cos(g, μ_normal) of the global token (class centroids from valid)
//   probe     — a ridge-regularised logistic probe on [global token, max-pooled patches, mean-pooled patches]
//   mask probe — a logistic probe per patch trained on the valid masks; an image scores its highest patch
//   patch kNN — the largest distance of a test patch to its nearest normal valid patch (PatchCore-style, P1 only)
// Printed: P1 (normal vs any anomaly) and P2 (each category one vs rest) AUROC. Flags: --model DIR, --tap N (a block),
// --size S (input size; the position table is resized), --control (the fixture with identity blocks, controlModel.ts).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadDataset } from "../kernel/data/loadDataset";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { anomalyCategories } from "../kernel/data/anomalyCategories";
import { extractFeatures } from "../kernel/api/features";
import { aurocExact } from "../kernel/metrics/auroc";
import type { Sample } from "../kernel/data/types";
import { sampleMaskTensor } from "../kernel/data/sampleTensors";
import { benchModel } from "./fixtureModel";
import { arg } from "./args";
import { writeIdentityTrunkModel } from "./controlModel";

const f3 = (x: number) => x.toFixed(3);

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

function unit(v: ArrayLike<number>): number[] {
  const n = Math.sqrt(dot(v, v)) || 1;
  return Array.from(v, (x) => x / n);
}

interface Image {
  cls: string; // "normal" or the anomaly category
  global: number[];
  patches: number[][];
  /** Fraction of each patch inside the anomaly mask. */
  maskFraction: number[];
}

function patchFractions(s: Sample, grid: number, size: number): number[] {
  const m = sampleMaskTensor(s, size).data;
  const cell = size / grid;
  const out = new Array(grid * grid).fill(0);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      out[Math.floor(y / cell) * grid + Math.floor(x / cell)] += m[y * size + x] / (cell * cell);
  return out;
}

function toImages(
  samples: readonly Sample[],
  perImage: Float32Array[][],
  dim: number,
  grid: number,
  size: number,
): Image[] {
  return samples.map((s, i) => {
    const t = perImage[i][0];
    const tokens = t.length / dim;
    const rows = Array.from({ length: tokens }, (_, k) => unit(t.subarray(k * dim, (k + 1) * dim)));
    return {
      cls: s.label === "normal" ? "normal" : anomalyCategories(s)[0],
      global: rows[0],
      patches: rows.slice(1),
      maskFraction: patchFractions(s, grid, size),
    };
  });
}

function centroid(vs: number[][]): number[] {
  const m = new Array(vs[0].length).fill(0);
  for (const v of vs) for (let d = 0; d < m.length; d++) m[d] += v[d] / vs.length;
  return unit(m);
}

function probeFeatures(im: Image): number[] {
  const dim = im.global.length;
  const max = new Array(dim).fill(-Infinity);
  const avg = new Array(dim).fill(0);
  for (const p of im.patches)
    for (let d = 0; d < dim; d++) {
      max[d] = Math.max(max[d], p[d]);
      avg[d] += p[d] / im.patches.length;
    }
  return [...im.global, ...max, ...avg, 1];
}

/** Logistic regression by full-batch gradient descent with an L2 penalty (not on the bias); features standardised. */
function logistic(x: number[][], y: number[], l2 = 1e-2, steps = 3000, lr = 0.5): (v: number[]) => number {
  const dims = x[0].length;
  const mu = new Array(dims).fill(0);
  const sd = new Array(dims).fill(0);
  for (const v of x) for (let d = 0; d < dims; d++) mu[d] += v[d] / x.length;
  for (const v of x) for (let d = 0; d < dims; d++) sd[d] += (v[d] - mu[d]) ** 2 / x.length;
  const norm = (v: number[]) => v.map((a, d) => (d === dims - 1 ? 1 : (a - mu[d]) / (Math.sqrt(sd[d]) || 1)));
  const xs = x.map(norm);
  const w = new Array(dims).fill(0);
  for (let it = 0; it < steps; it++) {
    const g = new Array(dims).fill(0);
    xs.forEach((v, i) => {
      const p = 1 / (1 + Math.exp(-dot(w, v)));
      for (let d = 0; d < dims; d++) g[d] += ((p - y[i]) * v[d]) / xs.length;
    });
    for (let d = 0; d < dims; d++) w[d] -= lr * (g[d] + (d === dims - 1 ? 0 : l2 * w[d]));
  }
  return (v) => dot(w, norm(v));
}

function report(
  name: string,
  test: Image[],
  categories: string[],
  score: (im: Image, positive: string) => number,
): void {
  const p1 = aurocExact(
    test.map((im) => score(im, "any")),
    test.map((im) => (im.cls === "normal" ? 0 : 1)),
  );
  const p2 = categories.map((c) =>
    aurocExact(
      test.map((im) => score(im, c)),
      test.map((im) => (im.cls === c ? 1 : 0)),
    ),
  );
  console.log(`| ${name} | ${f3(p1)} | ${p2.map(f3).join(" / ")} | ${f3(p2.reduce((a, b) => a + b, 0) / p2.length)} |`);
}

async function main(): Promise<void> {
  const model = process.argv.includes("--control")
    ? writeIdentityTrunkModel(benchModel(), fs.mkdtempSync(path.join(os.tmpdir(), "medad-control-")))
    : benchModel();
  const ds = loadDataset(demoDatasetPath());
  const valid = ds.samples.filter((s) => s.split === "valid");
  const test = ds.samples.filter((s) => s.split === "test");
  const tapArg = process.argv.includes("--tap") ? [Number(arg("tap", "0"))] : undefined;
  const imageSize = process.argv.includes("--size") ? Number(arg("size", "0")) : undefined;
  const fv = await extractFeatures({ model, samples: valid, space: "projected", taps: tapArg, imageSize });
  const ft = await extractFeatures({ model, samples: test, space: "projected", taps: tapArg, imageSize });
  const last = fv.taps.length - 1;
  const pick = (f: typeof fv) => f.perImage.map((t) => [t[last]]);
  const V = toImages(valid, pick(fv), fv.dim, fv.grid, fv.imageSize);
  const T = toImages(test, pick(ft), ft.dim, ft.grid, ft.imageSize);
  const categories = [...new Set(V.filter((im) => im.cls !== "normal").map((im) => im.cls))].sort();
  console.log(
    `model ${model}; tap ${fv.taps[last]}; projected dim ${fv.dim}; grid ${fv.grid}; valid ${V.length}, test ${T.length}; categories ${categories.join(", ")}`,
  );
  console.log("| Frozen-feature score | P1 AUROC | P2 AUROC per category | P2 macro |");
  console.log("|---|---|---|---|");

  const mu: Record<string, number[]> = {
    normal: centroid(V.filter((im) => im.cls === "normal").map((im) => im.global)),
  };
  mu.any = centroid(V.filter((im) => im.cls !== "normal").map((im) => im.global));
  for (const c of categories) mu[c] = centroid(V.filter((im) => im.cls === c).map((im) => im.global));
  report("global-token centroid (valid)", T, categories, (im, c) => dot(im.global, mu[c]) - dot(im.global, mu.normal));

  const xs = V.map(probeFeatures);
  const probes: Record<string, (v: number[]) => number> = {
    any: logistic(
      xs,
      V.map((im) => (im.cls === "normal" ? 0 : 1)),
    ),
  };
  for (const c of categories)
    probes[c] = logistic(
      xs,
      V.map((im) => (im.cls === c ? 1 : 0)),
    );
  report("linear probe [global, max, mean] (valid)", T, categories, (im, c) => probes[c](probeFeatures(im)));

  // Mask-supervised patch probe: soft target = the patch's mask fraction for the image's category, 0 elsewhere;
  // an image scores its highest patch. This is what dense (mask) supervision of a linear head could reach.
  const patchRows = V.flatMap((im) => im.patches.map((p, i) => ({ x: [...p, 1], im, f: im.maskFraction[i] })));
  const patchProbes: Record<string, (v: number[]) => number> = {
    any: logistic(
      patchRows.map((r) => r.x),
      patchRows.map((r) => (r.im.cls === "normal" ? 0 : r.f)),
      1e-3,
      1500,
    ),
  };
  for (const c of categories)
    patchProbes[c] = logistic(
      patchRows.map((r) => r.x),
      patchRows.map((r) => (r.im.cls === c ? r.f : 0)),
      1e-3,
      1500,
    );
  report("mask-supervised patch probe, image = max patch (valid)", T, categories, (im, c) =>
    Math.max(...im.patches.map((p) => patchProbes[c]([...p, 1]))),
  );
  const P = T.flatMap((im) => im.patches.map((p, i) => ({ p, on: im.maskFraction[i] >= 0.5 ? 1 : 0 })));
  console.log(
    `patch-level AUROC of that probe (test patches with ≥ half in the mask): ${f3(
      aurocExact(
        P.map((r) => patchProbes.any([...r.p, 1])),
        P.map((r) => r.on),
      ),
    )}`,
  );

  const normalPatches = V.filter((im) => im.cls === "normal").flatMap((im) => im.patches);
  const knn = new Map<Image, number>();
  for (const im of T)
    knn.set(im, Math.max(...im.patches.map((p) => 1 - Math.max(...normalPatches.map((q) => dot(p, q))))));
  report("patch kNN to normal valid patches", T, categories, (im) => knn.get(im)!);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// `npm run bench:ccb-tsc`: the ablation table behind docs/ccb-tsc.md — a base method alone, +CCB, +TSC (samples),
// +both (= ccb-tsc), and +TSC-patches, on the bundled demo set over seeds 0/1/2, honest protocol. Flags: --model DIR
// (default: the tiny random CLIP fixture), --base mvfa|patchcore|zero-shot|mvfa-frozen (default mvfa; comma list),
// --shots N (default 4), --epochs N (trained bases; default the method's own), --max-test N (default: the whole test
// split). Trained bases train once per seed: the variants resume the same checkpoint, so every row scores the same
// adapters. Prints one markdown row per (base, variant) with per-seed and mean image/pixel AUROC, then (or alone, with
// --graph-only) how often TSC-samples' k-NN neighbours share a test image's label on the frozen trunk's features —
// propagation can only help when they do more often than chance.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { loadDataset } from "../kernel/data/loadDataset";
import { ClipModel } from "../kernel/engine/clip/model";
import { createFeatureExtractor, sampleLoader, type FeatureSpace } from "../kernel/methods/features";
import { fewshot } from "../kernel/methods/runFewshot";
import { nodeFeature } from "../kernel/methods/plugins/apply";
import type { PluginOptions } from "../kernel/methods/plugins/apply";
import { benchModel } from "./fixtureModel";
import { arg } from "./args";

const SEEDS = [0, 1, 2];
const TRAINED = new Set(["mvfa", "madclip"]);
const VARIANTS: [string, PluginOptions | undefined][] = [
  ["alone", undefined],
  ["+CCB", { ccb: true }],
  ["+TSC (samples)", { tsc: true }],
  ["+CCB +TSC (ccb-tsc)", { ccb: true, tsc: true }],
  ["+TSC-patches", { tsc: { mode: "patches" } }],
];

async function main(): Promise<void> {
  const fixture = benchModel();
  const bases = arg("base", "mvfa").split(",");
  const shots = Number(arg("shots", "4"));
  const epochs = arg("epochs", "");
  const maxTest = arg("max-test", "");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-ccbtsc-"));
  console.log(
    `model ${fixture}; demo set; shots ${shots}; ${maxTest ? `${maxTest} test images` : "whole test split"}; seeds ${SEEDS.join("/")}; honest protocol`,
  );
  const graphOnly = process.argv.includes("--graph-only");
  if (!graphOnly) {
    console.log(
      "| Base | Variant | Image AUROC per seed (0 / 1 / 2) | Mean image | Pixel AUROC per seed | Mean pixel | Transductive |",
    );
    console.log("|---|---|---|---|---|---|---|");
  }
  const started = Date.now();
  try {
    for (const base of graphOnly ? [] : bases) {
      for (const [name, plugins] of VARIANTS) {
        const img: number[] = [];
        const px: number[] = [];
        let transductive = false;
        for (const seed of SEEDS) {
          const options: Record<string, unknown> = {};
          if (epochs) options.epochs = Number(epochs);
          if (TRAINED.has(base)) options.checkpoint = path.join(work, `${base}-seed${seed}.safetensors`);
          const r = await fewshot({
            dataset: demoDatasetPath(),
            method: base,
            shots,
            seed,
            model: fixture,
            featureCache: path.join(work, "features"),
            ...(maxTest ? { maxTestImages: Number(maxTest) } : {}),
            options,
            plugins,
          });
          img.push(r.metrics.image.auroc);
          px.push(r.metrics.pixel?.auroc ?? NaN);
          transductive = r.transductive ?? false;
        }
        const f = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" / ");
        const m = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
        console.log(
          `| ${base} | ${name} | ${f(img)} | ${m(img)} | ${f(px)} | ${m(px)} | ${transductive ? "yes" : "no"} |`,
        );
      }
    }
    if (!graphOnly) console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s wall)`);
    await graphLabelAgreement(fixture, 10);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * For the whole demo test split and frozen features of the last tap (raw residual stream as patchcore scores it, and
 * projected tokens as zero-shot / mvfa-frozen score them): TSC-samples' node feature per image, its k nearest
 * neighbours by cosine, and the fraction of neighbours with the same label (chance = (n_label − 1)/(n − 1)).
 */
async function graphLabelAgreement(modelDir: string, k: number): Promise<void> {
  const ds = loadDataset(demoDatasetPath());
  const test = ds.samples.filter((s) => s.split === "test" && s.label !== "unknown");
  const labels = test.map((s) => (s.label === "abnormal" ? 1 : 0));
  const model = ClipModel.load(modelDir);
  try {
    const vcfg = model.config.vision!;
    console.log(
      `\nTSC-samples graph on frozen features (${test.length} test images, k = ${k}): fraction of k-NN neighbours with the same label`,
    );
    console.log("| Features (last tap) | Normal images | Abnormal images | Chance (normal / abnormal) |");
    console.log("|---|---|---|---|");
    for (const space of ["raw", "projected"] as FeatureSpace[]) {
      const fx = await createFeatureExtractor(model, {
        imageSize: vcfg.imageSize,
        taps: [vcfg.numLayers],
        space,
        activation: "gelu",
        preprocess: { filter: "bicubic", normalize: false },
        device: "cpu",
      });
      const nodes: Float32Array[] = new Array(test.length);
      try {
        await fx.run(
          test.map((s) =>
            sampleLoader(s, { imageSize: vcfg.imageSize, preprocess: { filter: "bicubic", normalize: false } }),
          ),
          { batch: 8, phase: "test", each: (i, [t]) => void (nodes[i] = nodeFeature(t, fx.dim, "patch-mean")) },
        );
      } finally {
        await fx.release();
      }
      const agree = [0, 0];
      const count = [0, 0];
      nodes.forEach((a, i) => {
        const sims = nodes.map((b, j) => (j === i ? -Infinity : a.reduce((s, v, d) => s + v * b[d], 0)));
        const nn = sims
          .map((v, j) => [v, j])
          .sort((x, y) => y[0] - x[0] || x[1] - y[1])
          .slice(0, k);
        agree[labels[i]] += nn.filter(([, j]) => labels[j] === labels[i]).length / k;
        count[labels[i]]++;
      });
      const n = test.length;
      const chance = (c: number) => ((count[c] - 1) / (n - 1)).toFixed(3);
      console.log(
        `| ${space} | ${(agree[0] / count[0]).toFixed(3)} | ${(agree[1] / count[1]).toFixed(3)} | ${chance(0)} / ${chance(1)} |`,
      );
    }
  } finally {
    model.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// `npm run bench:ccb-tsc`: the ablation table behind docs/ccb-tsc.md — a base method alone, +CCB, +TSC (samples),
// +both (= ccb-tsc), and +TSC-patches, on the bundled demo set over seeds 0/1/2, honest protocol. Flags: --model DIR
// (default: the tiny random CLIP fixture), --base mvfa|patchcore|zero-shot|mvfa-frozen (default mvfa; comma list),
// --shots N (default 4), --epochs N (trained bases; default the method's own), --max-test N (default: the whole test
// split). Trained bases train once per seed: the variants resume the same checkpoint, so every row scores the same
// adapters. Prints one markdown row per (base, variant) with per-seed and mean image/pixel AUROC.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/fewshot";
import type { PluginOptions } from "../kernel/methods/plugins/apply";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

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
  const model = arg("model", path.resolve(__dirname, "..", "..", "shared", "fixtures", "tiny-clip", "model"));
  const fixture = fs.existsSync(model) ? model : "/work/shared/fixtures/tiny-clip/model";
  const bases = arg("base", "mvfa").split(",");
  const shots = Number(arg("shots", "4"));
  const epochs = arg("epochs", "");
  const maxTest = arg("max-test", "");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-ccbtsc-"));
  console.log(`model ${fixture}; demo set; shots ${shots}; ${maxTest ? `${maxTest} test images` : "whole test split"}; seeds ${SEEDS.join("/")}; honest protocol`);
  console.log("| Base | Variant | Image AUROC per seed (0 / 1 / 2) | Mean image | Pixel AUROC per seed | Mean pixel | Transductive |");
  console.log("|---|---|---|---|---|---|---|");
  const started = Date.now();
  try {
    for (const base of bases) {
      for (const [name, plugins] of VARIANTS) {
        const img: number[] = [];
        const px: number[] = [];
        let transductive = false;
        for (const seed of SEEDS) {
          const options: Record<string, unknown> = {};
          if (epochs) options.epochs = Number(epochs);
          if (TRAINED.has(base)) options.checkpoint = path.join(work, `${base}-seed${seed}.safetensors`);
          const r = await fewshot({
            dataset: demoDatasetPath(), method: base, shots, seed, model: fixture, featureCache: path.join(work, "features"),
            ...(maxTest ? { maxTestImages: Number(maxTest) } : {}), options, plugins,
          });
          img.push(r.metrics.image.auroc);
          px.push(r.metrics.pixel?.auroc ?? NaN);
          transductive = r.transductive ?? false;
        }
        const f = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" / ");
        const m = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
        console.log(`| ${base} | ${name} | ${f(img)} | ${m(img)} | ${f(px)} | ${m(px)} | ${transductive ? "yes" : "no"} |`);
      }
    }
    console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s wall)`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

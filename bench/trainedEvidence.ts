// `npm run bench:trained`: the AUROC table behind docs/methods-evidence.md — MVFA and MadCLIP on the bundled demo
// set with a given model (default: the tiny random CLIP fixture), shots 2, 16 test images, seeds 0/1/2, untrained
// (epochs 0) vs trained. Flags: --model DIR, --mvfa-epochs N (default 8; "skip" leaves MVFA out), --madclip-epochs N (default 5, repeatable
// as a comma list, e.g. 5,20), --madclip-prompts learnable|fixed (default: the method's, learnable), --max-test N (default 16). Prints one markdown row per (method, epochs) and the
// training losses.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/fewshot";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

const SEEDS = [0, 1, 2];

async function main(): Promise<void> {
  const model = arg("model", path.resolve(__dirname, "..", "..", "shared", "fixtures", "tiny-clip", "model"));
  const fixture = fs.existsSync(model) ? model : "/work/shared/fixtures/tiny-clip/model";
  const maxTest = Number(arg("max-test", "16"));
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-trained-"));
  const plan: [string, number[]][] = [
    ...(arg("mvfa-epochs", "8") === "skip" ? [] : [["mvfa", [0, ...arg("mvfa-epochs", "8").split(",").map(Number)]] as [string, number[]]]),
    ["madclip", [0, ...arg("madclip-epochs", "5").split(",").map(Number)]],
  ];
  console.log(`model ${fixture}; demo set; shots 2; ${maxTest} test images; seeds ${SEEDS.join("/")}`);
  console.log("| Method | Epochs | Image AUROC per seed | Mean image | Pixel AUROC per seed | Mean pixel | First → last epoch loss (seed 0) | Train s (seed 0) |");
  console.log("|---|---|---|---|---|---|---|---|");
  try {
    for (const [method, epochsList] of plan) {
      for (const epochs of epochsList) {
        const img: number[] = [];
        const px: number[] = [];
        let losses: number[] = [];
        let trainMs = 0;
        for (const seed of SEEDS) {
          const prompts = method === "madclip" ? arg("madclip-prompts", "learnable") : undefined;
          const r = await fewshot({ dataset: demoDatasetPath(), method, shots: 2, seed, model: fixture, maxTestImages: maxTest, featureCache: cache, options: { epochs, ...(prompts ? { prompts } : {}) } });
          img.push(r.metrics.image.auroc);
          px.push(r.metrics.pixel?.auroc ?? NaN);
          if (seed === 0) {
            losses = r.settings.epochLosses as number[];
            trainMs = r.settings.trainMs as number;
          }
        }
        const f = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" / ");
        const m = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
        const l = losses.length ? `${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)}` : "—";
        console.log(`| ${method} | ${epochs} | ${f(img)} | ${m(img)} | ${f(px)} | ${m(px)} | ${l} | ${(trainMs / 1000).toFixed(1)} |`);
      }
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// `npm run bench:mediclip`: the AUROC table behind docs/mediclip.md — MediCLIP (normal-only, synthetic anomalies) on
// the bundled demo set with a given model (default: the tiny random CLIP fixture), seeds 0/1/2, untrained (epochs 0)
// vs trained. Flags: --model DIR, --shots K (default 16, the reference's k), --epochs a,b,… (default 0,50,200),
// --max-test N (default: the whole test split), --blend replace|poisson. Prints one markdown row per epoch count.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/runFewshot";
import { benchModel } from "./fixtureModel";
import { arg } from "./args";

const SEEDS = [0, 1, 2];

async function main(): Promise<void> {
  const fixture = benchModel();
  const shots = Number(arg("shots", "16"));
  const maxTest = process.argv.includes("--max-test") ? Number(arg("max-test", "0")) : undefined;
  const blend = arg("blend", "replace");
  const epochsList = arg("epochs", "0,50,200").split(",").map(Number);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-mediclip-"));
  console.log(
    `model ${fixture}; demo set; shots ${shots} (normal only); ${maxTest ?? "all"} test images; seeds ${SEEDS.join("/")}; CutPaste ${blend}`,
  );
  console.log(
    "| Epochs | Image AUROC per seed | Mean image | Pixel AUROC per seed | Mean pixel | First → last epoch loss (seed 0) | Train s (seed 0) |",
  );
  console.log("|---|---|---|---|---|---|---|");
  try {
    for (const epochs of epochsList) {
      const img: number[] = [];
      const px: number[] = [];
      let losses: number[] = [];
      let trainMs = 0;
      for (const seed of SEEDS) {
        const r = await fewshot({
          dataset: demoDatasetPath(),
          method: "mediclip",
          shots,
          seed,
          model: fixture,
          maxTestImages: maxTest,
          featureCache: cache,
          options: { epochs, cutPasteBlend: blend },
        });
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
      console.log(
        `| ${epochs} | ${f(img)} | ${m(img)} | ${f(px)} | ${m(px)} | ${l} | ${(trainMs / 1000).toFixed(1)} |`,
      );
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

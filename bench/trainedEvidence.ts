// `npm run bench:trained`: the AUROC table behind docs/methods-evidence.md — MVFA and MadCLIP on the bundled demo
// set with a given model (default: the tiny random CLIP fixture), seeds 0/1/2, untrained (epochs 0) vs trained.
// Defaults: MVFA shots 2, 8 epochs, 16 test images; MadCLIP with the reference's defaults — 16 shots (the whole demo
// valid split), 60 epochs — on all 96 test images (~4 min of training per seed on a quiet 2-core machine).
// Flags: --model DIR, --mvfa-epochs N (comma list; "skip" leaves MVFA out), --madclip-epochs N (comma list, e.g.
// 5,20,60; "skip" leaves MadCLIP out), --madclip-prompts learnable|fixed (default: the method's, learnable),
// --max-test N / --madclip-max-test N (test images), --shots N (MVFA) / --madclip-shots N, --seeds 0,1,2.
// Prints one markdown row per (method, epochs): image AUROC (the method's rule: max of the map on this seg set),
// pixel AUROC and, for MadCLIP, the image AUROC of its det score (Σ levels, the reference's rule on det-only
// datasets — a diagnostic here), with the first/last epoch loss and training time of the first seed.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/runFewshot";
import { aurocExact } from "../kernel/metrics/auroc";
import { benchModel } from "./fixtureModel";
import { arg } from "./args";

async function main(): Promise<void> {
  const fixture = benchModel();
  const seeds = arg("seeds", "0,1,2").split(",").map(Number);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-trained-"));
  const epochPlan = (name: string, fallback: string): number[] =>
    arg(name, fallback) === "skip" ? [] : [0, ...arg(name, fallback).split(",").map(Number)];
  const plan = [
    {
      method: "mvfa",
      epochs: epochPlan("mvfa-epochs", "8"),
      shots: Number(arg("shots", "2")),
      maxTest: Number(arg("max-test", "16")),
    },
    {
      method: "madclip",
      epochs: epochPlan("madclip-epochs", "60"),
      shots: Number(arg("madclip-shots", "16")),
      maxTest: Number(arg("madclip-max-test", arg("max-test", "96"))),
    },
  ].filter((p) => p.epochs.length > 0);
  console.log(`model ${fixture}; demo set; seeds ${seeds.join("/")}`);
  console.log(
    "| Method | Shots | Test images | Epochs | Image AUROC per seed | Mean image | Pixel AUROC per seed | Mean pixel | Det-score image AUROC (mean) | First → last epoch loss (first seed) | Train s (first seed) |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  try {
    for (const { method, epochs: epochsList, shots, maxTest } of plan) {
      for (const epochs of epochsList) {
        const img: number[] = [];
        const px: number[] = [];
        const det: number[] = [];
        let losses: number[] = [];
        let trainMs = 0;
        for (const seed of seeds) {
          const prompts = method === "madclip" ? arg("madclip-prompts", "learnable") : undefined;
          const r = await fewshot({
            dataset: demoDatasetPath(),
            method,
            shots,
            seed,
            model: fixture,
            maxTestImages: maxTest,
            featureCache: cache,
            options: { epochs, ...(prompts ? { prompts } : {}) },
          });
          img.push(r.metrics.image.auroc);
          px.push(r.metrics.pixel?.auroc ?? NaN);
          // MadCLIP's only branch ("text") holds Σ levels of the det score as its raw image score.
          if (method === "madclip")
            det.push(
              aurocExact(
                r.scores.map((s) => s.branches.text),
                r.scores.map((s) => s.label),
              ),
            );
          if (seed === seeds[0]) {
            losses = r.settings.epochLosses as number[];
            trainMs = r.settings.trainMs as number;
          }
        }
        const f = (xs: number[]) => xs.map((x) => x.toFixed(3)).join(" / ");
        const m = (xs: number[]) => (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(3);
        const l = losses.length ? `${losses[0].toFixed(3)} → ${losses[losses.length - 1].toFixed(3)}` : "—";
        const d = det.length ? `${f(det)} (${m(det)})` : "—";
        console.log(
          `| ${method} | ${shots} | ${maxTest} | ${epochs} | ${f(img)} | ${m(img)} | ${f(px)} | ${m(px)} | ${d} | ${l} | ${(trainMs / 1000).toFixed(1)} |`,
        );
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

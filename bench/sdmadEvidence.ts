// `npm run bench:sdmad`: the table behind docs/sd-mad.md — sd-mad on the bundled demo set (mass vs small lesions)
// with a given model (default: the tiny random CLIP fixture), k = 4 per category + 4 normals, all 96 test images,
// seeds 0/1/2, untrained (epochs 0 = frozen CLIP matching signs, since W₂ starts at 0) vs trained. Flags: --model DIR,
// --epochs 20,60 (trained epoch counts), --shots K, --lr X, --max-test N, --no-selection (also run with selectSigns
// false). Prints one markdown row per setting: the three protocols on the test set (mean over seeds, per seed in
// brackets for P1) and the training fit (protocols on the support images).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/runFewshot";
import type { FewshotResult } from "../kernel/methods/result";
import { benchModel } from "./fixtureModel";
import { arg } from "./args";

const SEEDS = [0, 1, 2];
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f3 = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const fixture = benchModel();
  const maxTest = process.argv.includes("--max-test") ? Number(arg("max-test", "96")) : undefined;
  const shots = Number(arg("shots", "4"));
  const lr = process.argv.includes("--lr") ? Number(arg("lr", "")) : undefined;
  const epochsList = [0, ...arg("epochs", "20").split(",").map(Number)];
  const settings: [string, Record<string, unknown>][] = epochsList.map((e) => [`epochs ${e}`, { epochs: e, lr }]);
  if (process.argv.includes("--no-selection"))
    settings.push(
      ...epochsList.map((e): [string, Record<string, unknown>] => [
        `epochs ${e}, all signs`,
        { epochs: e, lr, selectSigns: false },
      ]),
    );
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-sdmad-"));
  console.log(
    `model ${fixture}; demo set; shots ${shots} per category + ${shots} normal; lr ${lr ?? "default"}; ${maxTest ?? "all"} test images; seeds ${SEEDS.join("/")}`,
  );
  console.log(
    "| Setting | P1 AUROC (seeds 0/1/2) | P2 macro AUROC | P3 accuracy | P3 macro-F1 | P3 mAP | Pixel AUROC | Support fit: P2 macro / P3 acc | Loss first → last (seed 0) | Uncertain test images |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  try {
    for (const [name, options] of settings) {
      const runs: FewshotResult[] = [];
      for (const seed of SEEDS)
        runs.push(
          await fewshot({
            dataset: demoDatasetPath(),
            method: "sd-mad",
            shots,
            seed,
            model: fixture,
            maxTestImages: maxTest,
            featureCache: cache,
            options,
          }),
        );
      const m = runs.map((r) => r.multiAnomaly!);
      const losses = runs[0].settings.epochLosses as number[];
      const loss = losses.length ? `${f3(losses[0])} → ${f3(losses[losses.length - 1])}` : "—";
      console.log(
        `| ${name} | ${f3(mean(m.map((x) => x.p1.auroc)))} (${m.map((x) => f3(x.p1.auroc)).join(" / ")}) | ${f3(mean(m.map((x) => x.p2.macroAuroc)))} | ${f3(mean(m.map((x) => x.p3.accuracy)))} | ${f3(mean(m.map((x) => x.p3.macroF1)))} | ${f3(mean(m.map((x) => x.p3.meanAveragePrecision)))} | ${f3(mean(runs.map((r) => r.metrics.pixel?.auroc ?? NaN)))} | ${f3(mean(m.map((x) => x.supportFit.p2.macroAuroc)))} / ${f3(mean(m.map((x) => x.supportFit.p3.accuracy)))} | ${loss} | ${m.map((x) => x.uncertain.testImages).join(" / ")} |`,
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

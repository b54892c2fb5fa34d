// `npm run bench:demo-clip`: the evidence table of docs/demo-clip.md — every few-shot method on the bundled demo set
// (demo-brainmri, its test split, honest protocol) with medad/demo-clip (pretrained by our engine) against
// medad/demo-tiny-clip (random weights), seeds 0/1/2. Prints one markdown row per (method, model): image and pixel
// AUROC (mean, per seed in brackets) and for sd-mad the P2 macro AUROC; the wall time of the first seed.
// Flags: --methods a,b (default zero-shot,patchcore,mvfa,madclip,mediclip,ccb-tsc,sd-mad), --models a,b (ids or
// folders), --shots N (default 4), --seeds 0,1,2, --max-test N (default: the whole test split), --epochs N (trained
// methods; default: each method's own).
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { demoDatasetPath } from "../kernel/data/demo/paths";
import { fewshot } from "../kernel/methods/runFewshot";
import type { FewshotResult } from "../kernel/methods/result";
import { resolveModelDir } from "../kernel/models/resolveModelDir";
import { arg } from "./args";

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");

async function main(): Promise<void> {
  const methods = arg("methods", "zero-shot,patchcore,mvfa,madclip,mediclip,ccb-tsc,sd-mad").split(",");
  const models = arg("models", "medad/demo-clip,medad/demo-tiny-clip").split(",");
  const seeds = arg("seeds", "0,1,2").split(",").map(Number);
  const shots = Number(arg("shots", "4"));
  const maxTest = process.argv.includes("--max-test") ? Number(arg("max-test", "96")) : undefined;
  const epochs = process.argv.includes("--epochs") ? Number(arg("epochs", "")) : undefined;
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "medad-bench-democlip-"));
  console.log(
    `demo set ${demoDatasetPath()}; ${shots}-shot; seeds ${seeds.join("/")}; honest protocol; ${maxTest ?? "all"} test images; epochs ${epochs ?? "method default"}`,
  );
  console.log("");
  console.log(
    "| Method | Model | Image AUROC mean (per seed) | Pixel AUROC mean (per seed) | SD-MAD P2 macro AUROC | s (first seed) |",
  );
  console.log("|---|---|---|---|---|---|");
  try {
    for (const method of methods) {
      for (const spec of models) {
        const model = resolveModelDir(spec);
        const runs: FewshotResult[] = [];
        let firstMs = 0;
        for (const seed of seeds) {
          const t0 = Date.now();
          runs.push(
            await fewshot({
              dataset: demoDatasetPath(),
              method,
              shots,
              seed,
              model,
              maxTestImages: maxTest,
              featureCache: cache,
              options: epochs === undefined ? {} : { epochs },
            }),
          );
          if (seed === seeds[0]) firstMs = Date.now() - t0;
        }
        const img = runs.map((r) => r.metrics.image.auroc);
        const px = runs.map((r) => r.metrics.pixel?.auroc ?? NaN);
        const p2 = runs.map((r) => r.multiAnomaly?.p2.macroAuroc ?? NaN);
        const per = (xs: number[]) => `${f3(mean(xs))} (${xs.map(f3).join(" / ")})`;
        console.log(
          `| ${method} | ${spec} | ${per(img)} | ${per(px)} | ${method === "sd-mad" ? per(p2) : "—"} | ${(firstMs / 1000).toFixed(0)} |`,
        );
      }
    }
  } finally {
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

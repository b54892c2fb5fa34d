// `npm run bench:train`: one MVFA training step (frozen CLIP trunk with residual adapters after 4 taps, full loss
// head, gradients of all adapter weights from one generated graph) against the forward pass of the same graph
// (loss only), for ViT-B/16@224 and ViT-L/14@240, batch 1. Prints the step/forward time ratio (target ≤ 2.3×; the
// backward starts at the first tap, so blocks before it cost forward only) and the peak RSS. Random weights.
// Each model runs in its own child process so peak RSS is per model (it includes the forward session used as the
// baseline). Key P (bench/pretrainStep.ts) times the whole-model demo-clip pretraining step at --batch N (default 32)
// against its forward pass, in images/s. Flags: --reps N (default 4), --only any of B, L, b, l, P (lower case = blocks before the first tap cached,
// the step starting from the cached residual; default BLbl), --threads N (default 2), --no-torch (skips the PyTorch
// twin of the full-trunk rows B and L, bench/torch/mvfa_step.py on the same weights, timed interleaved with our step;
// on by default when some python3 imports torch, else skipped with a note, not a failure).
import { execFileSync } from "child_process";
import { buildGradientGraph } from "../kernel/engine/autodiff/gradient";
import { randomVisionWeights } from "../kernel/engine/clip/randomWeights";
import { encodeModel } from "../kernel/engine/onnx/writer";
import { createSession, EngineSession, Feed } from "../kernel/engine/runtime/session";
import type { VisionConfig } from "../kernel/engine/weights/clipConfig";
import { buildMvfaTrainGraph } from "../kernel/methods/mvfa/trainGraph";
import { findTorchPython, TorchTwin } from "./torchTwin";
import { arg } from "./args";
import { measurePretrain, PretrainTiming } from "./pretrainStep";

interface Model {
  label: string;
  config: VisionConfig;
  size: number;
  taps: number[];
  proj: number;
  cached?: boolean;
}

const MODELS: Record<string, Model> = {
  B: {
    label: "ViT-B/16@224, taps 3/6/9/12",
    config: {
      hiddenSize: 768,
      intermediateSize: 3072,
      numLayers: 12,
      numHeads: 12,
      layerNormEps: 1e-5,
      activation: "gelu",
      imageSize: 224,
      patchSize: 16,
      numChannels: 3,
    },
    size: 224,
    taps: [3, 6, 9, 12],
    proj: 512,
  },
  L: {
    label: "ViT-L/14@240, taps 6/12/18/24",
    config: {
      hiddenSize: 1024,
      intermediateSize: 4096,
      numLayers: 24,
      numHeads: 16,
      layerNormEps: 1e-5,
      activation: "gelu",
      imageSize: 336,
      patchSize: 14,
      numChannels: 3,
    },
    size: 240,
    taps: [6, 12, 18, 24],
    proj: 768,
  },
};
// Same models with blocks 1..first tap cached (step input = residual after the first tap); ratio still vs the full forward.
MODELS.b = { ...MODELS.B, label: `${MODELS.B.label}, prefix cached`, cached: true };
MODELS.l = { ...MODELS.L, label: `${MODELS.L.label}, prefix cached`, cached: true };

async function timeRun(s: EngineSession, feeds: Record<string, Feed>, fetch?: string[]): Promise<number> {
  const t = process.hrtime.bigint();
  await s.run(feeds, fetch);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Child-process body: measures one model, prints one JSON line. */
async function measure(key: string, reps: number, threads: number, python: string): Promise<void> {
  const m = MODELS[key];
  const w = randomVisionWeights(m.config, m.proj);
  const textT = new Float32Array(m.proj * 2).map((_, i) => Math.sin(i) / Math.sqrt(m.proj));
  const g = buildMvfaTrainGraph(w, m.config, { taps: m.taps, textT, imageSize: m.size, seg: true, batch: 1 });
  const train = m.cached
    ? buildMvfaTrainGraph(w, m.config, {
        taps: m.taps,
        textT,
        imageSize: m.size,
        seg: true,
        batch: 1,
        input: "firstTap",
      })
    : g;
  const grad = buildGradientGraph(train.graph, {
    loss: train.loss,
    wrt: train.params.map((p) => p.name),
    keepOutputs: [],
  });
  const opts = { intraOpThreads: threads, interOpThreads: 1 };
  let t0 = process.hrtime.bigint();
  const fwd = await createSession(encodeModel(g.graph), opts);
  const createFwd = Number(process.hrtime.bigint() - t0) / 1e9;
  t0 = process.hrtime.bigint();
  const step = await createSession(encodeModel(grad.graph), opts);
  const createStep = Number(process.hrtime.bigint() - t0) / 1e9;
  const s = m.size;
  const feeds: Record<string, Feed> = {
    pixels: { data: new Float32Array(3 * s * s).map((_, i) => (i % 251) / 251), dims: [1, 3, s, s] },
    mask: { data: new Float32Array(s * s).map((_, i) => (i % s < s / 3 ? 1 : 0)), dims: [1, 1, s, s] },
    label: { data: Float32Array.of(1), dims: [1] },
  };
  for (const p of g.params)
    feeds[p.name] = {
      data: new Float32Array(p.shape[0] * p.shape[1]).map(
        (_, i) => (((i * 7919) % 2001) / 1000 - 1) / Math.sqrt(p.shape[1]),
      ),
      dims: p.shape,
    };
  const tokens = Math.floor(s / m.config.patchSize) ** 2 + 1;
  const stepFeeds: Record<string, Feed> = m.cached
    ? {
        ...feeds,
        residual: {
          data: new Float32Array(tokens * m.config.hiddenSize).map((_, i) => Math.sin(i)),
          dims: [1, tokens, m.config.hiddenSize],
        },
      }
    : feeds;
  if (m.cached) delete stepFeeds.pixels;
  await fwd.run(feeds, ["loss"]);
  const ours = await step.run(stepFeeds);
  // The torch twin gets our warm-up loss and gradients too, to check equivalence before anything is timed.
  const twin =
    python && !m.cached
      ? await TorchTwin.start(
          python,
          { w, config: m.config, size: s, taps: m.taps, textT, feeds, params: g.params, ours },
          threads,
        )
      : undefined;
  const f: number[] = [];
  const b: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    f.push(await timeRun(fwd, feeds, ["loss"]));
    b.push(await timeRun(step, stepFeeds));
    if (twin) t.push(await twin.step());
  }
  const rss = process.resourceUsage().maxRSS / 1024 / 1024; // KiB → GiB
  const torch = twin ? { check: twin.check, t, rss: await twin.quit() } : undefined;
  console.log(
    JSON.stringify({
      key,
      label: m.label,
      f,
      b,
      createFwd,
      createStep,
      rss,
      nodesFwd: g.graph.nodes.length,
      nodesStep: grad.graph.nodes.length,
      torch,
    }),
  );
}

async function main(): Promise<void> {
  const reps = Number(arg("reps", "4"));
  const threads = Number(arg("threads", "2"));
  const child = arg("child", "");
  if (child === "P")
    return void console.log(JSON.stringify(await measurePretrain(reps, threads, Number(arg("batch", "32")))));
  if (child) return measure(child, reps, threads, arg("python", ""));
  const only = arg("only", "BLblP");
  const python = process.argv.includes("--no-torch") ? undefined : findTorchPython();
  if (!python && !process.argv.includes("--no-torch"))
    console.log(
      "PyTorch comparison skipped: no python3 here imports torch and numpy (set MEDAD_PYTHON to one that does)",
    );
  console.log(
    `threads ${threads}, batch 1, fp32, graph optimisation "all"; forward and step alternate, ${reps} repetitions after one warm-up each`,
  );
  console.log("");
  console.log(
    "| Model | Nodes fwd / step | Session create fwd / step (s) | Forward ms best (median) | Step ms best (median) | Ratio best | Ratio median of pairs | Peak RSS (GiB) |",
  );
  console.log("|---|---|---|---|---|---|---|---|");
  const best = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const torchRows: string[] = [];
  let torchVersion = "";
  let blas = "";
  const pretrainRows: string[] = [];
  for (const key of only.split("")) {
    if (key === "P") {
      const out = execFileSync(
        process.execPath,
        [
          __filename,
          "--child",
          "P",
          "--reps",
          String(reps),
          "--threads",
          String(threads),
          "--batch",
          arg("batch", "32"),
        ],
        { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
      );
      pretrainRows.push(pretrainRow(JSON.parse(out.trim().split("\n").pop()!) as PretrainTiming));
      continue;
    }
    const extra = python ? ["--python", python] : [];
    const out = execFileSync(
      process.execPath,
      [__filename, "--child", key, "--reps", String(reps), "--threads", String(threads), ...extra],
      { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 24 },
    );
    const r = JSON.parse(out.trim().split("\n").pop()!);
    const pairs = r.f.map((fm: number, i: number) => r.b[i] / fm);
    console.log(
      `| ${r.label} | ${r.nodesFwd} / ${r.nodesStep} | ${r.createFwd.toFixed(1)} / ${r.createStep.toFixed(1)} | ${best(r.f).toFixed(0)} (${median(r.f).toFixed(0)}) | ${best(r.b).toFixed(0)} (${median(r.b).toFixed(0)}) | ${(best(r.b) / best(r.f)).toFixed(2)} | ${median(pairs).toFixed(2)} | ${r.rss.toFixed(2)} |`,
    );
    if (r.torch) {
      const c = r.torch.check;
      torchVersion = c.torch;
      blas = c.blas;
      const ok = c.lossRel <= 1e-3;
      const tp = r.torch.t.map((tm: number, i: number) => r.b[i] / tm);
      const timing = ok
        ? `${best(r.torch.t).toFixed(0)} (${median(r.torch.t).toFixed(0)}) | ${(best(r.b) / best(r.torch.t)).toFixed(2)} | ${median(tp).toFixed(2)}`
        : "not compared: losses differ | – | –";
      torchRows.push(
        `| ${r.label} | ${c.lossOurs.toPrecision(7)} / ${c.lossTorch.toPrecision(7)} (rel ${c.lossRel.toExponential(1)}, ${ok ? "ok" : "MISMATCH"}) | ${c.gradRelMax.toExponential(1)} | ${best(r.b).toFixed(0)} (${median(r.b).toFixed(0)}) | ${timing} | ${r.rss.toFixed(2)} / ${r.torch.rss.toFixed(2)} |`,
      );
      if (!ok) process.exitCode = 1;
    }
  }
  if (pretrainRows.length) {
    console.log("");
    console.log(
      "Whole-model contrastive pretraining (every CLIP parameter gets a gradient; the batch is one ORT call; AdamW on the host):",
    );
    console.log("");
    console.log(
      "| Model | Forward img/s best (median) | Step img/s best (median) | AdamW ms (median) | Step/forward time ratio (best) | Peak RSS (GiB) |",
    );
    console.log("|---|---|---|---|---|---|");
    for (const row of pretrainRows) console.log(row);
  }
  if (torchRows.length) {
    console.log("");
    console.log(
      `PyTorch twin (bench/torch/mvfa_step.py, torch ${torchVersion}, ${python}, set_num_threads(${threads})): same weights and inputs, loss.backward() with the trunk frozen; our step and the torch step alternate`,
    );
    console.log("");
    console.log(
      "| Model | Loss ours / torch (check ≤ 1e-3 rel) | Grad max rel L2 err | Our step ms best (median) | Torch step ms best (median) | Ratio ours/torch best | Ratio median of pairs | Peak RSS ours / torch (GiB) |",
    );
    console.log("|---|---|---|---|---|---|---|---|");
    for (const row of torchRows) console.log(row);
    console.log("");
    console.log(`torch BLAS: ${blas}`);
    if (!/openblas|mkl|blis/i.test(blas))
      console.log(
        "WARNING: torch runs on the reference (netlib) BLAS here, ~10x slower than OpenBLAS: the timing ratio says nothing about us. Install libopenblas0-pthread or set MEDAD_TORCH_BLAS_DIR (docs/train-bench.md).",
      );
  }
}

function pretrainRow(r: PretrainTiming): string {
  const best = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((p, q) => p - q)[Math.floor(xs.length / 2)];
  const ips = (ms: number) => ((r.batch * 1000) / ms).toFixed(1);
  const stepMs = (xs: number[]) => xs.map((x, i) => x + r.opt[i]);
  const full = stepMs(r.b);
  return `| ${r.label} | ${ips(best(r.f))} (${ips(median(r.f))}) | ${ips(best(full))} (${ips(median(full))}) | ${median(r.opt).toFixed(0)} | ${(best(full) / best(r.f)).toFixed(2)} | ${r.rss.toFixed(2)} |`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

// `npm run bench:clip`: ms/image and GFLOP/s of the CLIP vision graph (random weights) for ViT-B/16@224 and
// ViT-L/14@240 (336 checkpoint, position table resized to 17×17), batch 1, as a ratio to a large MatMul's GFLOP/s
// measured in the same run — absolute numbers drift with host load (docs/engine-bench.md), ratios much less.
// Flags: --threads N (default 2), --reps N (default 5; ViT-L uses ceil(N/2)), --only B|L, --int8 (adds an int8 ViT-B row).
import * as os from "os";
import { buildVisionGraph } from "../clip/vision";
import { randomVisionWeights } from "../clip/randomWeights";
import { GraphBuilder } from "../ir/builder";
import { encodeModel } from "../onnx/writer";
import { createSession, EngineSession, Feed } from "../runtime/session";
import type { VisionConfig } from "../weights/clipConfig";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function time(
  session: EngineSession,
  feeds: Record<string, Feed>,
  reps: number,
  warmUp = true,
): Promise<number[]> {
  if (warmUp) await session.run(feeds); // first run allocates and prepacks
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t = process.hrtime.bigint();
    await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return ms;
}

const best = (xs: number[]) => Math.min(...xs);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** 2 × multiply-adds of the vision forward: patch conv + per block (QKV, scores, P·V, out-proj, MLP) + head. */
export function visionFlops(c: VisionConfig, imageSize: number, projectionDim: number): number {
  const g = Math.floor(imageSize / c.patchSize);
  const n = g * g + 1;
  const d = c.hiddenSize;
  const conv = g * g * d * c.numChannels * c.patchSize ** 2;
  const block = n * d * 3 * d + 2 * n * n * d + n * d * d + 2 * n * d * c.intermediateSize;
  return 2 * (conv + c.numLayers * block + d * projectionDim);
}

/** A large transformer-shaped MatMul: the GEMM peak that the model's GFLOP/s is compared with. */
async function matmulBaseline(
  threads: number,
): Promise<{ session: EngineSession; feeds: Record<string, Feed>; flop: number }> {
  const [m, k, n] = [2048, 1024, 4096];
  const b = new GraphBuilder("matmul");
  const a = b.input("a", "float32", [m, k]);
  const w = new Float32Array(k * n).map((_, i) => ((i * 2654435761) % 1000) / 1e5);
  b.output(b.matmul(a, b.constF32("w", w, [k, n])), "y", "float32", [m, n]);
  const session = await createSession(encodeModel(b.build()), { intraOpThreads: threads, interOpThreads: 1 });
  return { session, feeds: { a: { data: new Float32Array(m * k).fill(0.01), dims: [m, k] } }, flop: 2 * m * k * n };
}

interface Row {
  model: string;
  tokens: number;
  gflop: number;
  createS: number;
  bestMs: number;
  medianMs: number;
  gflops: number;
  baseGflops: number;
  ratioBest: number;
  ratioMedian: number;
}

/** Model and baseline run alternately (A/B per repetition), so host-load drift hits both sides of each ratio. */
async function vision(
  label: string,
  c: VisionConfig,
  imageSize: number,
  taps: number[],
  proj: number,
  threads: number,
  reps: number,
  int8 = false,
): Promise<Row> {
  const base = await matmulBaseline(threads);
  const w = randomVisionWeights(c, proj);
  const g = buildVisionGraph(w, c, { imageSize, taps, batch: 1, int8 });
  const t0 = process.hrtime.bigint();
  const s = await createSession(encodeModel(g.graph), { intraOpThreads: threads, interOpThreads: 1 });
  const createS = Number(process.hrtime.bigint() - t0) / 1e9;
  const pixels = new Float32Array(3 * imageSize * imageSize).map((_, i) => (i % 255) / 255);
  const feeds = { pixels: { data: pixels, dims: [1, 3, imageSize, imageSize] } };
  const flop = visionFlops(c, imageSize, proj);
  await time(base.session, base.feeds, 0);
  await time(s, feeds, 0);
  const modelMs: number[] = [];
  const baseMs: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < reps; i++) {
    const [bm] = await time(base.session, base.feeds, 1, false);
    const [mm] = await time(s, feeds, 1, false);
    baseMs.push(bm);
    modelMs.push(mm);
    ratios.push(flop / mm / (base.flop / bm));
  }
  await s.release();
  await base.session.release();
  const gflop = flop / 1e9;
  const baseGflops = base.flop / (best(baseMs) * 1e6);
  const gflops = gflop / (best(modelMs) / 1e3);
  return {
    model: label,
    tokens: g.tokens,
    gflop,
    createS,
    bestMs: best(modelMs),
    medianMs: median(modelMs),
    gflops,
    baseGflops,
    ratioBest: gflops / baseGflops,
    ratioMedian: median(ratios),
  };
}

async function main(): Promise<void> {
  const threads = Number(arg("threads", "2"));
  const reps = Number(arg("reps", "5"));
  const only = arg("only", "BL");
  const vitB: VisionConfig = {
    hiddenSize: 768,
    intermediateSize: 3072,
    numLayers: 12,
    numHeads: 12,
    layerNormEps: 1e-5,
    activation: "quick_gelu",
    imageSize: 224,
    patchSize: 16,
    numChannels: 3,
  };
  const vitL: VisionConfig = {
    hiddenSize: 1024,
    intermediateSize: 4096,
    numLayers: 24,
    numHeads: 16,
    layerNormEps: 1e-5,
    activation: "gelu",
    imageSize: 336,
    patchSize: 14,
    numChannels: 3,
  };

  const loadBefore = os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");
  const rows: Row[] = [];
  if (only.includes("B"))
    rows.push(await vision("ViT-B/16@224 (QuickGELU)", vitB, 224, [3, 6, 9, 12], 512, threads, reps));
  if (only.includes("B") && process.argv.includes("--int8"))
    rows.push(
      await vision(
        "ViT-B/16@224 int8 (DynamicQuantizeMatMul; GFLOP/s = fp32-equivalent)",
        vitB,
        224,
        [3, 6, 9, 12],
        512,
        threads,
        reps,
        true,
      ),
    );
  if (only.includes("L"))
    rows.push(
      await vision(
        "ViT-L/14@240 (GELU, 336 ckpt → 17×17)",
        vitL,
        240,
        [6, 12, 18, 24],
        768,
        threads,
        Math.ceil(reps / 2),
      ),
    );

  console.log(
    `threads ${threads}, batch 1, fp32, graph optimisation "all"; ${reps} A/B repetitions (ViT-L: ${Math.ceil(reps / 2)}) after one warm-up each`,
  );
  console.log(
    `load average before/after: ${loadBefore} / ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} (${os.cpus().length} CPUs)`,
  );
  console.log("baseline: MatMul [2048×1024]·[1024×4096] (17.2 GFLOP), run alternately with the model");
  console.log("");
  console.log(
    "| Model | Tokens | GFLOP/image | Session create (s) | ms/image best (median) | GFLOP/s (best) | MatMul GFLOP/s (best) | Ratio best/best | Ratio median of A/B pairs |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.model} | ${r.tokens} | ${r.gflop.toFixed(1)} | ${r.createS.toFixed(1)} | ${r.bestMs.toFixed(0)} (${r.medianMs.toFixed(0)}) | ${r.gflops.toFixed(1)} | ${r.baseGflops.toFixed(1)} | ${r.ratioBest.toFixed(2)} | ${r.ratioMedian.toFixed(2)} |`,
    );
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

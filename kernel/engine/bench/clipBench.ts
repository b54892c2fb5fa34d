// `npm run bench:clip`: ms/image and GFLOP/s of the CLIP vision graph (random weights) for ViT-B/16@224 and
// ViT-L/14@240 (336 checkpoint, position table resized to 17×17), batch 1, as a ratio to a large MatMul's GFLOP/s
// measured in the same run — absolute numbers drift with host load (docs/engine-bench.md), ratios much less.
// Flags: --threads N (default 2), --reps N (default 5; ViT-L uses ceil(N/2)), --only B|L.
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

async function time(session: EngineSession, feeds: Record<string, Feed>, reps: number): Promise<number[]> {
  await session.run(feeds); // warm-up (first run allocates and prepacks)
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

async function matmulBaseline(threads: number, reps: number): Promise<{ gflops: number; ms: number }> {
  const [m, k, n] = [2048, 1024, 4096];
  const b = new GraphBuilder("matmul");
  const a = b.input("a", "float32", [m, k]);
  const w = new Float32Array(k * n).map((_, i) => ((i * 2654435761) % 1000) / 1e5);
  b.output(b.matmul(a, b.constF32("w", w, [k, n])), "y", "float32", [m, n]);
  const s = await createSession(encodeModel(b.build()), { intraOpThreads: threads, interOpThreads: 1 });
  const ms = best(await time(s, { a: { data: new Float32Array(m * k).fill(0.01), dims: [m, k] } }, reps));
  await s.release();
  return { gflops: (2 * m * k * n) / (ms * 1e6), ms };
}

interface Row { model: string; tokens: number; gflop: number; createS: number; bestMs: number; medianMs: number; gflops: number }

async function vision(label: string, c: VisionConfig, imageSize: number, taps: number[], proj: number, threads: number, reps: number): Promise<Row> {
  const w = randomVisionWeights(c, proj);
  const g = buildVisionGraph(w, c, { imageSize, taps, batch: 1 });
  const t0 = process.hrtime.bigint();
  const s = await createSession(encodeModel(g.graph), { intraOpThreads: threads, interOpThreads: 1 });
  const createS = Number(process.hrtime.bigint() - t0) / 1e9;
  const pixels = new Float32Array(3 * imageSize * imageSize).map((_, i) => (i % 255) / 255);
  const ms = await time(s, { pixels: { data: pixels, dims: [1, 3, imageSize, imageSize] } }, reps);
  await s.release();
  const gflop = visionFlops(c, imageSize, proj) / 1e9;
  return { model: label, tokens: g.tokens, gflop, createS, bestMs: best(ms), medianMs: median(ms), gflops: gflop / (best(ms) / 1e3) };
}

async function main(): Promise<void> {
  const threads = Number(arg("threads", "2"));
  const reps = Number(arg("reps", "5"));
  const only = arg("only", "BL");
  const vitB: VisionConfig = { hiddenSize: 768, intermediateSize: 3072, numLayers: 12, numHeads: 12, layerNormEps: 1e-5, activation: "quick_gelu", imageSize: 224, patchSize: 16, numChannels: 3 };
  const vitL: VisionConfig = { hiddenSize: 1024, intermediateSize: 4096, numLayers: 24, numHeads: 16, layerNormEps: 1e-5, activation: "gelu", imageSize: 336, patchSize: 14, numChannels: 3 };

  const base1 = await matmulBaseline(threads, reps);
  const rows: Row[] = [];
  if (only.includes("B")) rows.push(await vision("ViT-B/16@224 (QuickGELU)", vitB, 224, [3, 6, 9, 12], 512, threads, reps));
  if (only.includes("L")) rows.push(await vision("ViT-L/14@240 (GELU, 336 ckpt → 17×17)", vitL, 240, [6, 12, 18, 24], 768, threads, Math.ceil(reps / 2)));
  const base2 = await matmulBaseline(threads, reps);
  const peak = Math.max(base1.gflops, base2.gflops);

  console.log(`threads ${threads}, batch 1, fp32, graph optimisation "all"; best of ${reps} (ViT-L: ${Math.ceil(reps / 2)}) after one warm-up`);
  console.log(`baseline MatMul [2048×1024]·[1024×4096]: ${base1.gflops.toFixed(1)} / ${base2.gflops.toFixed(1)} GFLOP/s (before / after); ratio uses ${peak.toFixed(1)}`);
  console.log("");
  console.log("| Model | Tokens | GFLOP/image | Session create (s) | ms/image best (median) | GFLOP/s | Ratio to MatMul |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(`| ${r.model} | ${r.tokens} | ${r.gflop.toFixed(1)} | ${r.createS.toFixed(1)} | ${r.bestMs.toFixed(0)} (${r.medianMs.toFixed(0)}) | ${r.gflops.toFixed(1)} | ${(r.gflops / peak).toFixed(2)} |`);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}

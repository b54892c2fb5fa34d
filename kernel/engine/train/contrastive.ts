// Contrastive image–text pretraining of a whole CLIP (symmetric InfoNCE, learnable logit scale clamped at ln 100),
// AdamW (decay on ≥ 2-D weights only, as open_clip) with linear warmup + cosine decay, batched steps (the whole
// batch is one ONNX Runtime call), atomic checkpoints and exact resume. Determinism: batch order comes from a
// permutation per epoch seeded by (seed, epoch); augmentation draws from one Rng whose state is checkpointed.
import * as fs from "fs";
import * as path from "path";
import { buildGradientGraph } from "../autodiff/gradient";
import { GradientSession } from "../autodiff/gradientSession";
import { checkAbort } from "../../util/cancellation";
import { AdamW } from "../optim/adam";
import { adamStateFromTensors, adamStateToTensors } from "../optim/adamTensors";
import { SafetensorsFile } from "../weights/safetensors";
import { type StTensorIn, writeSafetensors } from "../weights/safetensorsWrite";
import { type ClipArch, allParamSpecs, initParams, LOGIT_SCALE, LOGIT_SCALE_MAX, TOKEN_EMBEDDING } from "./clipParams";
import { buildClipTrainGraph } from "./clipTrainGraph";
import { Rng } from "../../util/random/rng";

/** The training pairs, already decoded (the engine knows no image formats or tokenizers). */
export interface PairData {
  count: number;
  /** Writes pair i's image, preprocessed [C, S, S], into `out`; `rng` drives augmentation. */
  image(i: number, out: Float32Array, rng: Rng): void;
  /** Token ids [context] of one caption of pair i (`rng` may pick among several). */
  ids(i: number, rng: Rng): ArrayLike<number>;
}

export interface ContrastiveOptions {
  batch: number;
  steps: number;
  lr: number;
  warmup: number;
  weightDecay: number;
  seed: number;
  betas?: [number, number];
  /** Folder for `latest.safetensors`; resumes from it when present. */
  checkpointDir?: string;
  checkpointEvery?: number;
  intraOpThreads?: number;
  onProgress?: (p: TrainProgress) => void;
  /** Stops after the current step: a checkpoint is written (with checkpointDir), then AbortError is thrown. */
  signal?: AbortSignal;
}

function stoppedAt(step: number, dir?: string): string {
  return `pretraining stopped after step ${step}${dir ? `; its checkpoint in ${dir} is kept and a rerun resumes from it` : ""}`;
}

export interface TrainProgress {
  step: number;
  steps: number;
  loss: number;
  lr: number;
  logitScale: number;
  imagesPerSecond: number;
  /** "step", "checkpoint" or "resumed". */
  event: string;
}

export interface TrainResult {
  params: Record<string, Float32Array>;
  step: number;
  losses: number[];
}

export function learningRate(step: number, o: Pick<ContrastiveOptions, "lr" | "warmup" | "steps">): number {
  if (step < o.warmup) return (o.lr * (step + 1)) / o.warmup;
  const t = (step - o.warmup) / Math.max(1, o.steps - o.warmup);
  return 0.5 * o.lr * (1 + Math.cos(Math.PI * Math.min(1, t)));
}

const CKPT = "latest.safetensors";

interface Optimisers {
  decay: AdamW;
  noDecay: AdamW;
}

function makeOptimisers(
  params: Record<string, Float32Array>,
  shapes: Record<string, number[]>,
  o: ContrastiveOptions,
): Optimisers {
  const decay: Record<string, Float32Array> = {};
  const noDecay: Record<string, Float32Array> = {};
  for (const [name, p] of Object.entries(params)) (shapes[name].length >= 2 ? decay : noDecay)[name] = p;
  const betas = o.betas ?? [0.9, 0.98];
  return {
    decay: new AdamW(decay, { lr: o.lr, betas, eps: 1e-6, weightDecay: o.weightDecay }),
    noDecay: new AdamW(noDecay, { lr: o.lr, betas, eps: 1e-6, weightDecay: 0 }),
  };
}

export function saveCheckpoint(
  file: string,
  arch: ClipArch,
  params: Record<string, Float32Array>,
  opt: Optimisers,
  step: number,
  rng: Rng,
  shapes: Record<string, number[]>,
  losses: number[],
): void {
  const tensors: Record<string, StTensorIn> = {};
  const metadata: Record<string, string> = {
    step: String(step),
    rng: String(rng.state),
    arch: JSON.stringify(arch),
    losses: JSON.stringify(losses),
  };
  for (const [name, p] of Object.entries(params))
    tensors[`param/${name}`] = { dtype: "F32", shape: shapes[name], data: p };
  for (const [key, o] of Object.entries(opt)) {
    const s = adamStateToTensors((o as AdamW).toState());
    for (const [n, t] of Object.entries(s.tensors)) tensors[`${key}/${n}`] = t;
    for (const [k, v] of Object.entries(s.metadata)) metadata[`${key}.${k}`] = v;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeSafetensors(file, tensors, metadata);
}

function loadCheckpoint(
  file: string,
  params: Record<string, Float32Array>,
  opt: Optimisers,
): { step: number; rng: Rng; losses: number[] } {
  const st = SafetensorsFile.open(file);
  for (const [name, p] of Object.entries(params)) {
    const t = st.readFloat32(`param/${name}`);
    if (t.data.length !== p.length)
      throw new Error(
        `${file}: tensor param/${name} has ${t.data.length} values, the model ${p.length}; the checkpoint is for another architecture`,
      );
    p.set(t.data);
  }
  for (const [key, o] of Object.entries(opt)) {
    const prefix = `${key}/`;
    const names = st
      .names()
      .filter((n) => n.startsWith(prefix))
      .map((n) => n.slice(prefix.length));
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(st.metadata)) if (k.startsWith(`${key}.`)) meta[k.slice(key.length + 1)] = v;
    (o as AdamW).loadState(adamStateFromTensors(names, (n) => st.readFloat32(prefix + n).data, meta));
  }
  return {
    step: Number(st.metadata.step),
    rng: Rng.fromState(Number(st.metadata.rng)),
    losses: JSON.parse(st.metadata.losses ?? "[]") as number[],
  };
}

/** Indices of the batch at `step`: a fresh permutation per epoch, seeded by (seed, epoch). */
export function batchIndices(
  step: number,
  batch: number,
  count: number,
  seed: number,
  cache: Map<number, Uint32Array>,
): number[] {
  const out: number[] = [];
  for (let k = step * batch; k < (step + 1) * batch; k++) {
    const epoch = Math.floor(k / count);
    let perm = cache.get(epoch);
    if (!perm) {
      perm = new Rng(seed * 7919 + epoch).permutation(count);
      cache.clear();
      cache.set(epoch, perm);
    }
    out.push(perm[k % count]);
  }
  return out;
}

export async function trainContrastive(arch: ClipArch, data: PairData, o: ContrastiveOptions): Promise<TrainResult> {
  if (data.count < o.batch) throw new Error(`the corpus has ${data.count} pairs, fewer than one batch of ${o.batch}`);
  const specs = allParamSpecs(arch);
  const shapes = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
  const params = initParams(specs, o.seed);
  const opt = makeOptimisers(params, shapes, o);
  let step = 0;
  let rng = new Rng(o.seed ^ 0x5bd1e995);
  let losses: number[] = [];
  const ckpt = o.checkpointDir ? path.join(o.checkpointDir, CKPT) : undefined;
  if (ckpt && fs.existsSync(ckpt)) {
    ({ step, rng, losses } = loadCheckpoint(ckpt, params, opt));
    o.onProgress?.({
      step,
      steps: o.steps,
      loss: losses[losses.length - 1] ?? NaN,
      lr: learningRate(step, o),
      logitScale: Math.exp(params[LOGIT_SCALE][0]),
      imagesPerSecond: 0,
      event: "resumed",
    });
  }
  const g = buildClipTrainGraph(arch, o.batch);
  const wrt = [...g.params.map((p) => p.name), "input_embeds"];
  const grad = buildGradientGraph(g.graph, { loss: g.loss, wrt, keepOutputs: [] });
  const ctx = arch.text.contextLength;
  const width = arch.text.hiddenSize;
  const s = arch.vision.imageSize;
  const imgLen = arch.vision.numChannels * s * s;
  const session = await GradientSession.create(
    grad,
    [...g.params, { name: "input_embeds", shape: [o.batch, ctx, width] }],
    { intraOpThreads: o.intraOpThreads ?? 1, interOpThreads: 1 },
  );
  const pixels = new Float32Array(o.batch * imgLen);
  const embeds = new Float32Array(o.batch * ctx * width);
  const ids = new Int32Array(o.batch * ctx);
  const eot = new BigInt64Array(o.batch);
  const table = params[TOKEN_EMBEDDING];
  const tokenGrad = new Float32Array(table.length);
  const perms = new Map<number, Uint32Array>();
  try {
    while (step < o.steps) {
      checkAbort(o.signal, stoppedAt(step, o.checkpointDir));
      const t0 = Date.now();
      const idx = batchIndices(step, o.batch, data.count, o.seed, perms);
      idx.forEach((pair, r) => {
        data.image(pair, pixels.subarray(r * imgLen, (r + 1) * imgLen), rng);
        const row = data.ids(pair, rng);
        let best = 0;
        for (let t = 0; t < ctx; t++) {
          const id = t < row.length ? row[t] : 0;
          ids[r * ctx + t] = id;
          if (id > ids[r * ctx + best]) best = t;
          embeds.set(table.subarray(id * width, (id + 1) * width), (r * ctx + t) * width);
        }
        eot[r] = BigInt(best);
      });
      const feeds = {
        pixels: { data: pixels, dims: [o.batch, arch.vision.numChannels, s, s] },
        eot_index: { data: eot, dims: [o.batch] },
      };
      const { loss, gradients } = await session.run(feeds, { ...params, input_embeds: embeds });
      if (!Number.isFinite(loss))
        throw new Error(`training diverged at step ${step}: loss ${loss}; lower the learning rate`);
      // Scatter the gradient of the looked-up embeddings back into the table (repeated ids accumulate).
      tokenGrad.fill(0);
      const ge = gradients.input_embeds;
      for (let k = 0; k < ids.length; k++) {
        const base = ids[k] * width;
        for (let j = 0; j < width; j++) tokenGrad[base + j] += ge[k * width + j];
      }
      const lr = learningRate(step, o);
      opt.decay.lr = lr;
      opt.noDecay.lr = lr;
      const decayGrads: Record<string, Float32Array> = {};
      const noDecayGrads: Record<string, Float32Array> = {};
      for (const name of Object.keys(params)) {
        const gv = name === TOKEN_EMBEDDING ? tokenGrad : gradients[name];
        (shapes[name].length >= 2 ? decayGrads : noDecayGrads)[name] = gv;
      }
      opt.decay.step(decayGrads);
      opt.noDecay.step(noDecayGrads);
      const ls = params[LOGIT_SCALE];
      ls[0] = Math.min(LOGIT_SCALE_MAX, Math.max(0, ls[0]));
      step++;
      losses.push(loss);
      const report = {
        step,
        steps: o.steps,
        loss,
        lr,
        logitScale: Math.exp(ls[0]),
        imagesPerSecond: (o.batch * 1000) / Math.max(1, Date.now() - t0),
      };
      o.onProgress?.({ ...report, event: "step" });
      const every = o.checkpointEvery ?? 50;
      if (ckpt && (step % every === 0 || step === o.steps || o.signal?.aborted)) {
        saveCheckpoint(ckpt, arch, params, opt, step, rng, shapes, losses);
        o.onProgress?.({ ...report, event: "checkpoint" });
      }
    }
  } finally {
    await session.release();
  }
  return { params, step, losses };
}

// The medad/demo-clip pretraining step for `npm run bench:train` (key P): one batched contrastive step of the whole
// CLIP (forward + backward of every parameter in ONE ORT call, then AdamW on the host) against the forward pass of
// the same graph (loss only), at the recipe's batch. Reports images/s for both and their ratio. Random weights.
import { buildGradientGraph } from "../kernel/engine/autodiff/gradient";
import { encodeModel } from "../kernel/engine/onnx/writer";
import { createSession, Feed } from "../kernel/engine/runtime/session";
import { allParamSpecs, initParams } from "../kernel/engine/train/clipParams";
import { buildClipTrainGraph } from "../kernel/engine/train/clipTrainGraph";
import { AdamW } from "../kernel/engine/optim/adam";
import { DEMO_CLIP_ARCH, DEMO_CLIP_RECIPE } from "../kernel/models/demoClip/recipe";

export interface PretrainTiming {
  label: string;
  batch: number;
  f: number[];
  b: number[];
  opt: number[];
  rss: number;
}

export async function measurePretrain(
  reps: number,
  threads: number,
  batch = DEMO_CLIP_RECIPE.batch,
): Promise<PretrainTiming> {
  const a = DEMO_CLIP_ARCH;
  const g = buildClipTrainGraph(a, batch);
  const grad = buildGradientGraph(g.graph, {
    loss: g.loss,
    wrt: [...g.params.map((p) => p.name), "input_embeds"],
    keepOutputs: [],
  });
  const opts = { intraOpThreads: threads, interOpThreads: 1 };
  const fwd = await createSession(encodeModel(g.graph), opts);
  const step = await createSession(encodeModel(grad.graph), opts);
  const params = initParams(allParamSpecs(a), 1);
  const s = a.vision.imageSize;
  const ctx = a.text.contextLength;
  const feeds: Record<string, Feed> = {
    pixels: { data: new Float32Array(batch * 3 * s * s).map((_, i) => (i % 251) / 251), dims: [batch, 3, s, s] },
    input_embeds: {
      data: new Float32Array(batch * ctx * a.text.hiddenSize).map((_, i) => Math.sin(i) * 0.02),
      dims: [batch, ctx, a.text.hiddenSize],
    },
    eot_index: { data: BigInt64Array.from({ length: batch }, (_, i) => BigInt(3 + (i % 5))), dims: [batch] },
  };
  for (const p of g.params) feeds[p.name] = { data: params[p.name], dims: p.shape };
  const opt = new AdamW(params, { lr: 1e-4, weightDecay: 0.1 });
  const time = async (fn: () => Promise<unknown> | unknown) => {
    const t = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  await fwd.run(feeds, ["loss"]);
  let out = await step.run(feeds);
  const f: number[] = [];
  const b: number[] = [];
  const o: number[] = [];
  for (let i = 0; i < reps; i++) {
    f.push(await time(() => fwd.run(feeds, ["loss"])));
    b.push(await time(async () => (out = await step.run(feeds))));
    const grads: Record<string, Float32Array> = {};
    for (const p of g.params) grads[p.name] = out[grad.gradients[p.name]].data as Float32Array;
    o.push(await time(() => opt.step(grads)));
  }
  await fwd.release();
  await step.release();
  const v = a.vision;
  const label = `demo-clip pretrain: ViT ${v.hiddenSize}×${v.numLayers} p${v.patchSize}@${s} + text ${a.text.hiddenSize}×${a.text.numLayers}, batch ${batch}`;
  return { label, batch, f, b, opt: o, rss: process.resourceUsage().maxRSS / 1024 / 1024 };
}

// Whole-CLIP training graph: every parameter is a graph INPUT (named as in clipParams.ts), so one ORT session serves
// every step and autodiff differentiates all of them. It computes the same function as the inference graphs of
// clip/vision.ts and clip/text.ts, except that
//  - the stride = patch Conv is written as patchify (Reshape/Transpose) + MatMul (no Conv gradient needed; equal up to
//    float rounding — a test compares the two);
//  - the text tower starts from token embeddings looked up in TS (`input_embeds` + `eot_index`): the gradient w.r.t.
//    `input_embeds` is scattered back into the token embedding table by the training loop.
// The loss is CLIP's symmetric InfoNCE: logits = exp(logit_scale) · îᵀt̂, mean of row and column cross-entropies with
// the diagonal as targets.
import { attr, GraphBuilder, Value } from "../ir/builder";
import type { Graph } from "../ir/types";
import { activation } from "../clip/block";
import { causalMask } from "../clip/text";
import { l2Normalize } from "../ops/normalize";
import type { Activation, TowerConfig } from "../weights/clipConfig";
import {
  type ClipArch,
  LOGIT_SCALE,
  type ParamSpec,
  textParamSpecs,
  visionGridOf,
  visionParamSpecs,
} from "./clipParams";

export interface ClipTrainGraph {
  graph: Graph;
  /** Graph-input parameters (everything but the token embedding). */
  params: ParamSpec[];
  loss: string;
  batch: number;
}

type P = (name: string) => Value;

/** x @ Wᵀ + b with W [out, in] as a graph input. */
function linearIn(b: GraphBuilder, x: Value, p: P, prefix: string, bias = true): Value {
  const y = b.matmul(x, b.transpose(p(`${prefix}.weight`), [1, 0]));
  return bias ? b.add(y, p(`${prefix}.bias`)) : y;
}

function lnIn(b: GraphBuilder, x: Value, p: P, prefix: string, eps: number): Value {
  return b.layerNorm(x, p(`${prefix}.weight`), p(`${prefix}.bias`), eps);
}

/** Pre-LN block as clip/block.ts, with the softmax scale applied to q after its projection (same function). */
function blockIn(
  b: GraphBuilder,
  x: Value,
  p: P,
  prefix: string,
  c: TowerConfig,
  act: Activation,
  mask?: Value,
): Value {
  const d = c.hiddenSize;
  const h = c.numHeads;
  const hd = d / h;
  const a = lnIn(b, x, p, `${prefix}.layer_norm1`, c.layerNormEps);
  const q = b.mul(linearIn(b, a, p, `${prefix}.self_attn.q_proj`), b.scalar(1 / Math.sqrt(hd), "attn_scale"));
  const k = linearIn(b, a, p, `${prefix}.self_attn.k_proj`);
  const v = linearIn(b, a, p, `${prefix}.self_attn.v_proj`);
  const heads = (t: Value, perm: number[]) => b.transpose(b.reshape(t, [0, 0, h, hd]), perm);
  let scores = b.matmul(heads(q, [0, 2, 1, 3]), heads(k, [0, 2, 3, 1]));
  if (mask) scores = b.add(scores, mask);
  const ctx = b.matmul(b.softmax(scores, -1), heads(v, [0, 2, 1, 3]));
  const merged = b.reshape(b.transpose(ctx, [0, 2, 1, 3]), [0, 0, d]);
  x = b.add(x, linearIn(b, merged, p, `${prefix}.self_attn.out_proj`));
  const m = lnIn(b, x, p, `${prefix}.layer_norm2`, c.layerNormEps);
  return b.add(x, linearIn(b, activation(b, linearIn(b, m, p, `${prefix}.mlp.fc1`), act), p, `${prefix}.mlp.fc2`));
}

/** pixels [B, C, S, S] → pooled [B, proj]. */
export function emitVisionTrain(b: GraphBuilder, pixels: Value, p: P, a: ClipArch, batch: number): Value {
  const v = a.vision;
  const d = v.hiddenSize;
  const ps = v.patchSize;
  const g = visionGridOf(v);
  const c = v.numChannels;
  // Conv with stride = kernel = patch ≡ per-patch flatten (c, py, px) · Wᵀ; leftover pixels are dropped as the conv does.
  const cropped = g * ps === v.imageSize ? pixels : b.slice(pixels, [0, 0], [g * ps, g * ps], [2, 3]);
  const six = b.reshape(cropped, [batch, c, g, ps, g, ps]);
  const patches = b.reshape(b.transpose(six, [0, 2, 4, 1, 3, 5]), [batch, g * g, c * ps * ps]);
  const kernel = b.reshape(p("vision_model.embeddings.patch_embedding.weight"), [d, c * ps * ps]);
  const tokens = b.matmul(patches, b.transpose(kernel, [1, 0])); // [B, g², D]
  const cls = b.expand(
    b.reshape(p("vision_model.embeddings.class_embedding"), [1, 1, d]),
    b.constI64("cls_shape", [batch, 1, d]),
  );
  let x = b.add(b.concat([cls, tokens], 1), p("vision_model.embeddings.position_embedding.weight"));
  x = lnIn(b, x, p, "vision_model.pre_layrnorm", v.layerNormEps);
  for (let l = 0; l < v.numLayers; l++) {
    x = b.scope(`vblock${l + 1}`, () => blockIn(b, x, p, `vision_model.encoder.layers.${l}`, v, v.activation));
  }
  const clsOut = b.reshape(b.slice(x, [0], [1], [1]), [batch, d]);
  return linearIn(b, lnIn(b, clsOut, p, "vision_model.post_layernorm", v.layerNormEps), p, "visual_projection", false);
}

/** input_embeds [B, ctx, W] + eot_index [B] → text embeds [B, proj]. */
export function emitTextTrain(b: GraphBuilder, embeds: Value, eot: Value, p: P, a: ClipArch): Value {
  const t = a.text;
  const ctx = t.contextLength;
  let x = b.add(embeds, p("text_model.embeddings.position_embedding.weight"));
  const mask = b.initializer("causal_mask", "float32", [ctx, ctx], causalMask(ctx));
  for (let l = 0; l < t.numLayers; l++) {
    x = b.scope(`tblock${l + 1}`, () => blockIn(b, x, p, `text_model.encoder.layers.${l}`, t, t.activation, mask));
  }
  const pooled = b.op("GatherND", [x, b.unsqueeze(eot, [1])], { batch_dims: attr.i(1) }); // [B, W]
  return linearIn(b, lnIn(b, pooled, p, "text_model.final_layer_norm", t.layerNormEps), p, "text_projection", false);
}

/** log Σ exp over `axis` (keepdims), max-shifted; the max's own gradient cancels exactly. */
function logSumExp(b: GraphBuilder, x: Value, axis: number): Value {
  const m = b.op("ReduceMax", [x], { axes: attr.is([axis]), keepdims: attr.i(1) });
  const s = b.op("ReduceSum", [b.op("Exp", [b.sub(x, m)]), b.constI64("lse_axes", [axis])], { keepdims: attr.i(1) });
  return b.add(m, b.op("Log", [s]));
}

/** Symmetric InfoNCE on unnormalised embeddings img, txt [B, P]; returns the scalar loss. */
export function emitInfoNce(b: GraphBuilder, img: Value, txt: Value, logitScale: Value, batch: number): Value {
  const i = l2Normalize(b, img);
  const t = l2Normalize(b, txt);
  const logits = b.mul(b.matmul(i, b.transpose(t, [1, 0])), b.op("Exp", [logitScale])); // [B, B]
  const eye = new Float32Array(batch * batch);
  for (let k = 0; k < batch; k++) eye[k * batch + k] = 1;
  const all = b.constI64("all_axes", [0, 1]);
  const sum = (v: Value) => b.op("ReduceSum", [v, all], { keepdims: attr.i(0) });
  const diag = sum(b.mul(logits, b.constF32("eye", eye, [batch, batch])));
  const total = b.sub(
    b.add(sum(logSumExp(b, logits, 1)), sum(logSumExp(b, logits, 0))),
    b.mul(diag, b.scalar(2, "two")),
  );
  return b.mul(total, b.scalar(1 / (2 * batch), "inv_2b"));
}

/**
 * Inputs `pixels` [B, C, S, S] (preprocessed), `input_embeds` [B, ctx, W], `eot_index` int64 [B] and every parameter;
 * output `loss` (and `image_embeds` / `text_embeds`, unnormalised, for evaluation).
 */
export function buildClipTrainGraph(a: ClipArch, batch: number): ClipTrainGraph {
  if (batch < 2) throw new RangeError(`contrastive training needs a batch of at least 2, got ${batch}`);
  const b = new GraphBuilder("clip_train");
  const s = a.vision.imageSize;
  const pixels = b.input("pixels", "float32", [batch, a.vision.numChannels, s, s]);
  const embeds = b.input("input_embeds", "float32", [batch, a.text.contextLength, a.text.hiddenSize]);
  const eot = b.input("eot_index", "int64", [batch]);
  const params = [...visionParamSpecs(a), ...textParamSpecs(a), { name: LOGIT_SCALE, shape: [1], init: { value: 0 } }];
  const values = new Map<string, Value>();
  for (const spec of params) values.set(spec.name, b.input(spec.name, "float32", spec.shape));
  const p: P = (name) => {
    const v = values.get(name);
    if (!v) throw new Error(`clip train graph: no parameter "${name}"`);
    return v;
  };
  const img = b.scope("vision", () => emitVisionTrain(b, pixels, p, a, batch));
  const txt = b.scope("text", () => emitTextTrain(b, embeds, eot, p, a));
  const loss = emitInfoNce(b, img, txt, p(LOGIT_SCALE), batch);
  b.output(loss, "loss", "float32", []);
  b.output(img, "image_embeds", "float32", [batch, a.projectionDim]);
  b.output(txt, "text_embeds", "float32", [batch, a.projectionDim]);
  return {
    graph: b.build(),
    params: params.map((q) => (q.name === LOGIT_SCALE ? { ...q, init: { value: Math.log(1 / 0.07) } } : q)),
    loss: "loss",
    batch,
  };
}

// MadCLIP's learnable prompts (methods.md §3.4, `--text_mood learnable_all`): CoOp with 8 context vectors per prompt
// (class-specific contexts, CSC), 7 sentences per class × 3 class-token positions (end, front, middle) = 21 prompts
// per class, each from "X X X X X X X X <sentence>." (pad id 0). The 8 "X" embeddings are replaced by learnable
// vectors (init N(0, 0.02)); "front" moves the sentence tokens before the context, "middle" splits the context 4/4
// around them. The text transformer runs WITHOUT the causal mask, EOT pooling → ln_final → projection; the class
// vector is the L2-normalised mean of the 21 un-normalised embeddings, and T = [t_normal, t_abnormal] [proj, 2].
// The prompt layout is fixed data (token embeddings with the context slots zeroed + one-hot placement matrices),
// so one graph maps the context tensors to T and autodiff reaches them.
// MediCLIP (methods.md §4.2) uses the same machinery with other data: generic state words without an object word,
// the "end" position only, different prompt counts per class, and QuickGELU in the text tower — hence the optional
// `positions` / `activation` arguments and per-class prompt counts.
import { Rng } from "../../util/random/rng";
import { layerNorm, transformerBlock } from "../../engine/clip/block";
import { eotIndices, tokenEmbeddings } from "../../engine/clip/text";
import { attr, GraphBuilder, Value } from "../../engine/ir/builder";
import { l2Normalize } from "../../engine/ops/normalize";
import type { Activation, TextConfig } from "../../engine/weights/clipConfig";
import type { TextWeights } from "../../engine/weights/clipWeights";
import type { ClipTokenizer } from "../../tokenizer";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { encodeModel } from "../../engine/onnx/writer";
import type { Device } from "../../engine/runtime/device";
import { createSession } from "../../engine/runtime/session";

export const COOP_CONTEXT = 8;
export const COOP_NORMAL = [
  "{}",
  "flawless {}",
  "perfect {}",
  "unblemished {}",
  "{} without flaw",
  "{} without defect",
  "{} without damage",
];
// " disease {}" keeps the reference's leading space (the tokenizer's whitespace cleaning removes it).
export const COOP_ABNORMAL = [
  "damaged {}",
  "broken {}",
  "{} with flaw",
  "{} with defect",
  "{} with damage",
  " disease {}",
  "abnormal {}",
];
export const COOP_POSITIONS = ["end", "front", "middle"] as const;
export type CoopPosition = (typeof COOP_POSITIONS)[number];

/** One class's prompts as fixed data: P = sentences × positions. */
export interface CoopLayout {
  prompts: number;
  /** [P, ctx, W] token + nothing at the context slots (position embedding is added in the graph). */
  embeds: Float32Array;
  /** [P, ctx, 8]: 1 where token t is context vector k. */
  place: Float32Array;
  /** [P] EOT positions. */
  eot: BigInt64Array;
}

export function coopLayout(
  tok: ClipTokenizer,
  w: TextWeights,
  contextLength: number,
  sentences: readonly string[],
  objectWord: string,
  positions: readonly CoopPosition[] = COOP_POSITIONS,
): CoopLayout {
  const width = w.tokenEmbedding.shape[1];
  const P = sentences.length * positions.length;
  const embeds = new Float32Array(P * contextLength * width);
  const place = new Float32Array(P * contextLength * COOP_CONTEXT);
  const eot = new BigInt64Array(P);
  let p = 0;
  for (const position of positions) {
    for (const s of sentences) {
      const sentence = s.replace("{}", objectWord);
      const ids = Array.from(tok.tokenize(`${"X ".repeat(COOP_CONTEXT)}${sentence}.`, contextLength).ids);
      const nameLen = tok.encode(sentence).length;
      // ids = [SOT, X×8, name (nameLen), ".", EOT, 0…]; -1 marks a context slot.
      const name = ids.slice(1 + COOP_CONTEXT, 1 + COOP_CONTEXT + nameLen);
      const rest = ids.slice(1 + COOP_CONTEXT + nameLen);
      const ctx = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => -(from + k) - 1);
      const layout =
        position === "end"
          ? [ids[0], ...ctx(0, COOP_CONTEXT), ...name, ...rest]
          : position === "front"
            ? [ids[0], ...name, ...ctx(0, COOP_CONTEXT), ...rest]
            : [ids[0], ...ctx(0, COOP_CONTEXT / 2), ...name, ...ctx(COOP_CONTEXT / 2, COOP_CONTEXT), ...rest];
      const tokenIds = layout.map((id) => (id < 0 ? 0 : id));
      const e = tokenEmbeddings(w, tokenIds);
      layout.forEach((id, t) => {
        if (id < 0) place[(p * contextLength + t) * COOP_CONTEXT + (-id - 1)] = 1;
        else embeds.set(e.subarray(t * width, (t + 1) * width), (p * contextLength + t) * width);
      });
      eot[p] = eotIndices(ids, contextLength)[0];
      p++;
    }
  }
  return { prompts: P, embeds, place, eot };
}

export function coopParamName(cls: "normal" | "abnormal"): string {
  return `prompt_learner.${cls}.ctx`;
}

/** Learnable contexts [P, 8, W] per class, N(0, 0.02) as the reference, seeded. `prompts`: one count for both
 * classes (MadCLIP 21) or one per class (MediCLIP 10 normal / 11 abnormal). */
export function initCoopContexts(
  prompts: number | { normal: number; abnormal: number },
  width: number,
  seed: number,
): Record<string, NamedTensor> {
  const out: Record<string, NamedTensor> = {};
  (["normal", "abnormal"] as const).forEach((cls, i) => {
    const rng = new Rng(seed).fork(1000 + i);
    const P = typeof prompts === "number" ? prompts : prompts[cls];
    const data = new Float32Array(P * COOP_CONTEXT * width);
    for (let k = 0; k < data.length; k++) data[k] = 0.02 * rng.normal();
    out[coopParamName(cls)] = { shape: [P, COOP_CONTEXT, width], data };
  });
  return out;
}

/** Emits T [proj, 2] from the two context inputs (declared here as float32 graph inputs). `activation`: the text
 * tower's MLP activation (MadCLIP exact GELU, MediCLIP QuickGELU). */
export function emitCoopText(
  b: GraphBuilder,
  w: TextWeights,
  config: TextConfig,
  layouts: { normal: CoopLayout; abnormal: CoopLayout },
  activation: Activation = "gelu",
): { T: Value; params: { name: string; shape: number[] }[] } {
  const ctxLen = config.contextLength;
  const width = config.hiddenSize;
  const params: { name: string; shape: number[] }[] = [];
  const pos = b.initializer("coop_position_embedding", "float32", [ctxLen, width], w.positionEmbedding.data);
  const proj = b.initializer("coop_text_projection", "float32", w.projection.shape, w.projection.data);
  const column = (cls: "normal" | "abnormal") =>
    b.scope(`coop_${cls}`, () => {
      const L = layouts[cls];
      const name = coopParamName(cls);
      params.push({ name, shape: [L.prompts, COOP_CONTEXT, width] });
      const ctx = b.input(name, "float32", [L.prompts, COOP_CONTEXT, width]);
      const fixed = b.constF32("prompt_embeds", L.embeds, [L.prompts, ctxLen, width]);
      const placed = b.matmul(b.constF32("ctx_place", L.place, [L.prompts, ctxLen, COOP_CONTEXT]), ctx); // [P, ctx, W]
      let x = b.add(b.add(fixed, placed), pos);
      for (let i = 0; i < config.numLayers; i++) {
        // No causal mask: CoOp's TextEncoder passes none (padding after EOT is attended, pad id 0).
        x = b.scope(`block${i + 1}`, () =>
          transformerBlock(b, x, w.blocks[i], {
            numHeads: config.numHeads,
            layerNormEps: config.layerNormEps,
            activation,
          }),
        );
      }
      const eot = b.constI64("eot", Array.from(L.eot, Number), [L.prompts, 1]);
      const pooled = b.op("GatherND", [x, eot], { batch_dims: attr.i(1) }); // [P, W]
      const emb = b.matmul(layerNorm(b, pooled, w.lnFinal, config.layerNormEps, "ln_final"), proj); // [P, proj]
      const mean = b.op("ReduceMean", [emb], { axes: attr.is([0]), keepdims: attr.i(1) }); // [1, proj]
      return b.transpose(l2Normalize(b, mean), [1, 0]); // [proj, 1]
    });
  return { T: b.concat([column("normal"), column("abnormal")], 1), params };
}

/** T [proj, 2] from trained contexts: one forward of the prompt graph (after training, for scoring). */
export function coopTextMatrix(
  w: TextWeights,
  config: TextConfig,
  layouts: { normal: CoopLayout; abnormal: CoopLayout },
  contexts: Record<string, { data: Float32Array }>,
  o: { device: Device; activation?: Activation },
): Promise<Float32Array> {
  return evaluateText(
    "coop_text",
    (b) => emitCoopText(b, w, config, layouts, o.activation),
    w.projection.shape[1],
    contexts,
    o.device,
  );
}

/** Runs a text emitter once as its own graph with the given parameter values: T [proj, 2] (for scoring). */
export async function evaluateText(
  name: string,
  emit: (b: GraphBuilder) => { T: Value; params: { name: string; shape: number[] }[] },
  proj: number,
  values: Record<string, { data: Float32Array }>,
  device: Device,
): Promise<Float32Array> {
  const b = new GraphBuilder(name);
  const { T, params: inputs } = emit(b);
  b.output(T, "T", "float32", [proj, 2]);
  const session = await createSession(encodeModel(b.build()), { device });
  try {
    const out = await session.run(
      Object.fromEntries(inputs.map((p) => [p.name, { data: values[p.name].data, dims: p.shape }])),
    );
    return out.T.data as Float32Array;
  } finally {
    await session.release();
  }
}

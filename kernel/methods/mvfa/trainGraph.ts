// MVFA's training graph: frozen CLIP vision trunk (exact GELU) with the residual dual adapters inserted through the
// engine's afterBlock hook, followed by the loss head. Feed it to autodiff's buildGradientGraph with
// `wrt: params.map(p => p.name)` to get loss + gradients of every adapter weight in one run.
import { transformerBlock } from "../../engine/clip/block";
import { emitVisionEncoder } from "../../engine/clip/vision";
import { GraphBuilder, type Value } from "../../engine/ir/builder";
import type { Dim, Graph } from "../../engine/ir/types";
import type { VisionConfig } from "../../engine/weights/clipConfig";
import type { VisionWeights } from "../../engine/weights/clipWeights";
import { declareMvfaAdapters, mvfaAfterBlock } from "./adapters";
import { mvfaLoss } from "./loss";

export interface MvfaTrainGraphOptions {
  /** 1-indexed blocks after which the adapters sit (ViT-L/14: 6, 12, 18, 24). */
  taps: number[];
  /** Text matrix [proj, 2] (columns normal, abnormal), row-major, or an emitter of learnable prompts whose context
   * inputs are returned as `textParams` (text/ccbTscPrompts.ts). */
  textT: Float32Array | ((b: GraphBuilder) => { T: Value; params: { name: string; shape: number[] }[] });
  imageSize?: number;
  /** Segmentation dataset: add focal + dice on the seg head. */
  seg: boolean;
  batch?: Dim;
  /** Also output the med tokens (`seg_med{l}`, `det_med{l}`) and `pooled` (checks; costs nothing extra in ORT). */
  debugOutputs?: boolean;
  /**
   * "pixels" (default): the whole trunk. "firstTap": input `residual` [B, tokens, width] = the frozen residual stream
   * after the first tapped block (cache it once per augmented image; nothing before the first adapter is trainable),
   * so each step runs only the blocks after it (engine.md §4.3).
   */
  input?: "pixels" | "firstTap";
}

export interface MvfaTrainGraph {
  graph: Graph;
  /** Trainable inputs (torch layout [out, in]). */
  params: { name: string; shape: [number, number] }[];
  /** Learnable prompt inputs (empty for a fixed text matrix). */
  textParams: { name: string; shape: number[] }[];
  loss: string;
  /** Names of the per-term loss outputs: bce per level, then focal/dice per level. */
  lossParts: string[];
  grid: number;
  imageSize: number;
}

export function buildMvfaTrainGraph(w: VisionWeights, config: VisionConfig, o: MvfaTrainGraphOptions): MvfaTrainGraph {
  const b = new GraphBuilder("mvfa_train");
  const size = o.imageSize ?? config.imageSize;
  const grid = Math.floor(size / config.patchSize);
  const batch: Dim = o.batch ?? "batch";
  const width = config.hiddenSize;
  const proj = w.projection.shape[1];
  const mask = b.input("mask", "float32", [batch, 1, size, size]);
  const label = b.input("label", "float32", [batch]);
  const adapters = declareMvfaAdapters(b, o.taps.length, width, proj);
  const hook = mvfaAfterBlock(o.taps, adapters);
  const lastTap = Math.max(...o.taps);
  let pooled: ReturnType<typeof emitVisionEncoder>["pooled"];
  if ((o.input ?? "pixels") === "pixels") {
    const pixels = b.input("pixels", "float32", [batch, config.numChannels, size, size]);
    pooled = emitVisionEncoder(b, pixels, w, config, {
      imageSize: size,
      activation: "gelu",
      blocks: o.debugOutputs ? config.numLayers : lastTap,
      pooled: !!o.debugOutputs && lastTap <= config.numLayers,
      afterBlock: hook.hook,
    }).pooled;
  } else {
    const first = Math.min(...o.taps);
    const tokens = grid * grid + 1;
    let x = hook.hook(first - 1, b.input("residual", "float32", [batch, tokens, width]), b, { tokens, width });
    for (let i = first; i < lastTap; i++) {
      x = b.scope(`block${i + 1}`, () =>
        transformerBlock(b, x, w.blocks[i], {
          numHeads: config.numHeads,
          layerNormEps: config.layerNormEps,
          activation: "gelu",
        }),
      );
      x = hook.hook(i, x, b, { tokens, width });
    }
  }
  const text = typeof o.textT === "function" ? o.textT(b) : { T: b.constF32("text_T", o.textT, [proj, 2]), params: [] };
  const textT = text.T;
  const loss = mvfaLoss(b, hook.segMed, hook.detMed, textT, mask, label, { grid, imageSize: size, seg: o.seg });
  b.output(loss.total, "loss", "float32", []);
  const levels = o.taps.length;
  const lossParts = loss.parts.map((v, k) => {
    const name =
      k < levels ? `loss.bce${k}` : `loss.${(k - levels) % 2 === 0 ? "focal" : "dice"}${Math.floor((k - levels) / 2)}`;
    b.output(v, name, "float32", []);
    return name;
  });
  if (o.debugOutputs) {
    const tokens = grid * grid + 1;
    hook.segMed.forEach((v, l) => b.output(v, `seg_med${l}`, "float32", [batch, tokens, proj]));
    hook.detMed.forEach((v, l) => b.output(v, `det_med${l}`, "float32", [batch, tokens, proj]));
    if (pooled) b.output(pooled, "pooled", "float32", [batch, proj]);
  }
  return {
    graph: b.build(),
    params: adapters.params,
    textParams: text.params,
    loss: "loss",
    lossParts,
    grid,
    imageSize: size,
  };
}

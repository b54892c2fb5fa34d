// MadCLIP's training graph on cached taps: inputs `tap{l}` [B, tokens, width] (frozen residual stream after the
// tapped blocks; extract them once with the vision graph), the mask and the label; trainable MFCFC weights as inputs.
// No backpropagation through the trunk is needed (the adapters are side branches).
import { GraphBuilder, Value } from "../../engine/ir/builder";
import type { Dim, Graph } from "../../engine/ir/types";
import { declareMadclipAdapters, dualContrastScores, mfcfc } from "./adapters";
import { madclipLoss } from "./loss";

export interface MadclipTrainGraphOptions {
  levels: number;
  width: number;
  proj: number;
  grid: number;
  imageSize: number;
  /** Text matrix [proj, 2] (columns normal, abnormal), unit columns — or a function that emits it into the graph
   * (learnable prompts: its inputs become trainable too) and returns the extra trainable inputs. */
  textT: Float32Array | ((b: GraphBuilder) => { T: Value; params: { name: string; shape: number[] }[] });
  seg: boolean;
  batch?: Dim;
  /** Also output scores and adapter intermediates (checks). */
  debugOutputs?: boolean;
}

export interface MadclipTrainGraph {
  graph: Graph;
  params: { name: string; shape: [number, number] }[];
  /** Trainable inputs of the emitted text part (empty for a fixed T). */
  textParams: { name: string; shape: number[] }[];
  loss: string;
  lossParts: string[];
}

export function buildMadclipTrainGraph(o: MadclipTrainGraphOptions): MadclipTrainGraph {
  const b = new GraphBuilder("madclip_train");
  const batch: Dim = o.batch ?? "batch";
  const tokens = o.grid * o.grid + 1;
  const taps = Array.from({ length: o.levels }, (_, l) => b.input(`tap${l}`, "float32", [batch, tokens, o.width]));
  const mask = b.input("mask", "float32", [batch, 1, o.imageSize, o.imageSize]);
  const label = b.input("label", "float32", [batch]);
  const adapters = declareMadclipAdapters(b, o.levels, o.width, o.proj);
  const text =
    typeof o.textT === "function" ? o.textT(b) : { T: b.constF32("text_T", o.textT, [o.proj, 2]), params: [] };
  const textT = text.T;
  const detScores = [];
  const segScores = [];
  for (let l = 0; l < o.levels; l++) {
    const [n, a] = b.scope(`mfcfc${l}`, () => [
      mfcfc(b, taps[l], adapters.normal[l], o.width),
      mfcfc(b, taps[l], adapters.abnormal[l], o.width),
    ]);
    const det = dualContrastScores(b, n.det, a.det, textT, tokens);
    const seg = dualContrastScores(b, n.seg, a.seg, textT, tokens);
    detScores.push(det);
    segScores.push(seg);
    if (o.debugOutputs) {
      b.output(det, `det_scores${l}`, "float32", [batch, tokens - 1, 2]);
      b.output(seg, `seg_scores${l}`, "float32", [batch, tokens - 1, 2]);
      b.output(n.h, `normal_h${l}`, "float32", [batch, tokens, o.width]);
      b.output(a.h, `abnormal_h${l}`, "float32", [batch, tokens, o.width]);
    }
  }
  const loss = madclipLoss(b, detScores, segScores, mask, label, { grid: o.grid, imageSize: o.imageSize, seg: o.seg });
  b.output(loss.total, "loss", "float32", []);
  const lossParts = loss.parts.map((v, k) => {
    const name =
      k < o.levels
        ? `loss.siglip${k}`
        : `loss.${(k - o.levels) % 2 === 0 ? "focal" : "dice"}${Math.floor((k - o.levels) / 2)}`;
    b.output(v, name, "float32", []);
    return name;
  });
  return { graph: b.build(), params: adapters.params, textParams: text.params, loss: "loss", lossParts };
}

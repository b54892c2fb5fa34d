// MadCLIP's scoring graph on cached frozen taps: per level both MFCFC branches and the dual-contrast scores
// [S_n, S_ab] of the det and seg outputs. Adapter weights are inputs named as in the training graph, so the trained
// (or untrained) arrays are fed directly.
import { GraphBuilder } from "../../engine/ir/builder";
import type { Graph } from "../../engine/ir/types";
import { declareMadclipAdapters, dualContrastScores, mfcfc } from "./adapters";

export interface MadclipScoreGraph {
  graph: Graph;
  params: { name: string; shape: [number, number] }[];
  /** Per level: det and seg score outputs [B, g², 2]. */
  det: string[];
  seg: string[];
}

export function buildMadclipScoreGraph(o: {
  levels: number;
  width: number;
  proj: number;
  grid: number;
  textT: Float32Array;
}): MadclipScoreGraph {
  const b = new GraphBuilder("madclip_score");
  const tokens = o.grid * o.grid + 1;
  const taps = Array.from({ length: o.levels }, (_, l) => b.input(`tap${l}`, "float32", ["batch", tokens, o.width]));
  const adapters = declareMadclipAdapters(b, o.levels, o.width, o.proj);
  const textT = b.constF32("text_T", o.textT, [o.proj, 2]);
  const det: string[] = [];
  const seg: string[] = [];
  for (let l = 0; l < o.levels; l++) {
    const [n, a] = b.scope(`mfcfc${l}`, () => [
      mfcfc(b, taps[l], adapters.normal[l], o.width),
      mfcfc(b, taps[l], adapters.abnormal[l], o.width),
    ]);
    det.push(
      b.output(dualContrastScores(b, n.det, a.det, textT, tokens), `det${l}`, "float32", ["batch", tokens - 1, 2]).name,
    );
    seg.push(
      b.output(dualContrastScores(b, n.seg, a.seg, textT, tokens), `seg${l}`, "float32", ["batch", tokens - 1, 2]).name,
    );
  }
  return { graph: b.build(), params: adapters.params, det, seg };
}

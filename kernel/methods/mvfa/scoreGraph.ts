// MVFA's adapted trunk for scoring: from the frozen residual stream after the first tapped block (cached per image)
// through the remaining blocks with the residual dual adapters, returning one head's `med` tokens per level (seg head
// on segmentation datasets, det head on det-only ones, as MVFA's CLASS_INDEX rule). Both heads are still computed
// because both feed the residual mix. Adapter weights are inputs (same names as the training graph), so one session
// scores with whatever the weights are after any epoch — including the untrained initialisation.
import { transformerBlock } from "../../engine/clip/block";
import { GraphBuilder } from "../../engine/ir/builder";
import type { Graph } from "../../engine/ir/types";
import type { VisionConfig } from "../../engine/weights/clipConfig";
import type { VisionWeights } from "../../engine/weights/clipWeights";
import { declareMvfaAdapters, mvfaAfterBlock } from "./adapters";

export interface MvfaScoreGraph {
  graph: Graph;
  params: { name: string; shape: [number, number] }[];
  /** Output names, one per level in tap order: [B, tokens, proj]. */
  outputs: string[];
  tokens: number;
  width: number;
  proj: number;
}

export function buildMvfaScoreGraph(
  w: VisionWeights,
  config: VisionConfig,
  o: { taps: number[]; grid: number; head: "seg" | "det" },
): MvfaScoreGraph {
  const b = new GraphBuilder("mvfa_score");
  const width = config.hiddenSize;
  const proj = w.projection.shape[1];
  const tokens = o.grid * o.grid + 1;
  const adapters = declareMvfaAdapters(b, o.taps.length, width, proj);
  const hook = mvfaAfterBlock(o.taps, adapters);
  const first = Math.min(...o.taps);
  const last = Math.max(...o.taps);
  let x = hook.hook(first - 1, b.input("residual", "float32", ["batch", tokens, width]), b, { tokens, width });
  for (let i = first; i < last; i++) {
    x = b.scope(`block${i + 1}`, () =>
      transformerBlock(b, x, w.blocks[i], {
        numHeads: config.numHeads,
        layerNormEps: config.layerNormEps,
        activation: "gelu",
      }),
    );
    x = hook.hook(i, x, b, { tokens, width });
  }
  const meds = o.head === "seg" ? hook.segMed : hook.detMed;
  const outputs = meds.map((v, l) => b.output(v, `med${l}`, "float32", ["batch", tokens, proj]).name);
  return { graph: b.build(), params: adapters.params, outputs, tokens, width, proj };
}

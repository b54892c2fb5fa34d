// MediCLIP's two graphs on cached frozen taps (the adapters are side branches, so the trunk runs once per image):
// training — inputs `tap{l}`, `label` and the adapter weights (+ the CoOp contexts when the text is emitted), output
// the loss; scoring — inputs `tap{l}` and the weights, output the mean logits [B, g², 2].
import { GraphBuilder, Value } from "../../engine/ir/builder";
import type { Dim, Graph } from "../../engine/ir/types";
import { declareMediclipAdapters, mediclipAdapter, mediclipLogits } from "./adapters";
import { mediclipLoss } from "./loss";

export interface MediclipGraphOptions {
  levels: number;
  width: number;
  proj: number;
  grid: number;
  /** Fixed T [proj, 2] (unit columns), or an emitter of T whose inputs become trainable (CoOp). */
  textT: Float32Array | ((b: GraphBuilder) => { T: Value; params: { name: string; shape: number[] }[] });
  tau?: number;
  batch?: Dim;
}

export interface MediclipGraph {
  graph: Graph;
  params: { name: string; shape: number[] }[];
  textParams: { name: string; shape: number[] }[];
}

function logitsOf(
  b: GraphBuilder,
  o: MediclipGraphOptions,
  batch: Dim,
): { logits: Value; params: MediclipGraph["params"]; textParams: MediclipGraph["textParams"] } {
  const tokens = o.grid * o.grid + 1;
  const taps = Array.from({ length: o.levels }, (_, l) => b.input(`tap${l}`, "float32", [batch, tokens, o.width]));
  const adapters = declareMediclipAdapters(b, o.levels, o.width, o.proj);
  const text =
    typeof o.textT === "function" ? o.textT(b) : { T: b.constF32("text_T", o.textT, [o.proj, 2]), params: [] };
  const adapted = taps.map((t, l) => b.scope(`adapter${l}`, () => mediclipAdapter(b, t, adapters.levels[l], tokens)));
  return { logits: mediclipLogits(b, adapted, text.T, o.tau), params: adapters.params, textParams: text.params };
}

export function buildMediclipTrainGraph(
  o: MediclipGraphOptions & { imageSize: number; debugOutputs?: boolean },
): MediclipGraph & { loss: string; lossParts: string[] } {
  const b = new GraphBuilder("mediclip_train");
  const batch = o.batch ?? "batch";
  const label = b.input("label", "float32", [batch, 1, o.imageSize, o.imageSize]);
  const { logits, params, textParams } = logitsOf(b, o, batch);
  const loss = mediclipLoss(b, logits, label, { grid: o.grid, imageSize: o.imageSize });
  b.output(loss.total, "loss", "float32", []);
  b.output(loss.focal, "loss.focal", "float32", []);
  b.output(loss.dice, "loss.dice", "float32", []);
  if (o.debugOutputs) b.output(logits, "logits", "float32", [batch, o.grid * o.grid, 2]);
  return { graph: b.build(), params, textParams, loss: "loss", lossParts: ["loss.focal", "loss.dice"] };
}

export function buildMediclipScoreGraph(o: MediclipGraphOptions): MediclipGraph & { logits: string } {
  const b = new GraphBuilder("mediclip_score");
  const { logits, params, textParams } = logitsOf(b, o, "batch");
  b.output(logits, "logits", "float32", ["batch", o.grid * o.grid, 2]);
  return { graph: b.build(), params, textParams, logits: "logits" };
}

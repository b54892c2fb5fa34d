/**
 * The CCB + TSC paper's text side (methods.md §5.1: "abnormal = manual + learnable text; normal = learnable only"),
 * as MVFA's `prompts: "ccb-tsc"`. What the paper states: the abnormal class combines manual and learnable prompts,
 * the normal class is learnable only. Everything else is **our design** (docs/ccb-tsc.md): the learnable prompts are
 * MadCLIP's CoOp layout (madclip/coop.ts: 7 sentences × end/front/middle, 8 class-specific contexts, no causal mask),
 * the manual prompts are MVFA's fixed abnormal ensemble (5 states × 35 templates), and they are combined as
 * t_ab = L2norm(c_ab + m_ab) (both unit vectors, equal weight), t_n = c_n. The contexts train with the adapters.
 */
import { GraphBuilder, type Value } from "../../engine/ir/builder";
import { l2Normalize } from "../../engine/ops/normalize";
import type { NamedTensor } from "../../engine/train/checkpoint";
import { ClipTokenizer } from "../../tokenizer";
import { COOP_ABNORMAL, COOP_NORMAL, coopLayout, emitCoopText, evaluateText, initCoopContexts } from "../madclip/coop";
import type { MethodContext } from "../method";

export type TextEmitter = (b: GraphBuilder) => { T: Value; params: { name: string; shape: number[] }[] };

export interface LearnablePrompts {
  /** Emits T [proj, 2] from the context inputs (training graphs). */
  emit: TextEmitter;
  /** Initial contexts N(0, 0.02), seeded. */
  init: Record<string, NamedTensor>;
  /** T [proj, 2] row-major from the current contexts (scoring). */
  textMatrix(params: Record<string, NamedTensor>): Promise<Float32Array>;
  label: string;
}

/** `manualT`: the fixed ensemble [proj, 2] row-major; its abnormal column is the manual part. */
export function ccbTscPrompts(
  ctx: MethodContext,
  objectWord: string,
  manualT: Float32Array,
  seed: number,
): LearnablePrompts {
  const config = ctx.model.config.text;
  if (!config) throw new Error(`${ctx.model.files.config}: prompts "ccb-tsc" need the text tower`);
  const weights = ctx.model.textWeights();
  const tok = ClipTokenizer.fromDirectory(ctx.modelDir);
  const layout = (s: readonly string[]) => coopLayout(tok, weights, config.contextLength, s, objectWord);
  const layouts = { normal: layout(COOP_NORMAL), abnormal: layout(COOP_ABNORMAL) };
  const proj = manualT.length / 2;
  // [2, proj]: a zero row for the normal class (learnable only), the manual abnormal vector for the abnormal one.
  const manualRows = new Float32Array(2 * proj);
  for (let d = 0; d < proj; d++) manualRows[proj + d] = manualT[2 * d + 1];
  const emit: TextEmitter = (b) => {
    const coop = emitCoopText(b, weights, config, layouts); // unit columns [proj, 2]
    const rows = b.add(b.transpose(coop.T, [1, 0]), b.constF32("manual_abnormal", manualRows, [2, proj]));
    return { T: b.transpose(l2Normalize(b, rows), [1, 0]), params: coop.params };
  };
  return {
    emit,
    init: initCoopContexts(layouts.normal.prompts, config.hiddenSize, seed),
    textMatrix: (params) => evaluateText("ccb_tsc_text", emit, proj, params, ctx.device),
    label: `CCB + TSC text (paper: abnormal = manual + learnable, normal = learnable only); our design: learnable = MadCLIP's CoOp layout (${layouts.normal.prompts} prompts per class, 8 contexts each), manual = MVFA's fixed abnormal ensemble, t_ab = L2norm(c_ab + m_ab), t_n = c_n`,
  };
}

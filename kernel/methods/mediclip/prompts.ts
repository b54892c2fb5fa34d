// MediCLIP's CoOp prompts (methods.md §4.2; reference models/CoOp.py and configs): 8 class-specific context vectors
// per prompt, "end" position only, "X X X X X X X X <state>." over generic state words — no organ/object word —
// 10 normal and 11 abnormal states; the text tower runs without the causal mask (shared with MadCLIP: coop.ts).
import type { TextConfig } from "../../engine/weights/clipConfig";
import type { TextWeights } from "../../engine/weights/clipWeights";
import type { ClipTokenizer } from "../../tokenizer";
import { coopLayout, CoopLayout } from "../madclip/coop";

export const MEDICLIP_NORMAL_STATES = [
  "normal",
  "healthy",
  "negative",
  "unremarkable",
  "clear",
  "asymptomatic",
  "normal findings",
  "no findings",
  "in good health",
  "no evidence of disease",
];
export const MEDICLIP_ABNORMAL_STATES = [
  "abnormal",
  "positive",
  "symptomatic",
  "disease",
  "lesion",
  "pathological",
  "impaired",
  "evidence of disease",
  "abnormal finding",
  "pathological condition",
  "pathological abnormality",
];

export function mediclipPromptLayouts(
  tok: ClipTokenizer,
  w: TextWeights,
  config: TextConfig,
): { normal: CoopLayout; abnormal: CoopLayout } {
  const layout = (states: readonly string[]) => coopLayout(tok, w, config.contextLength, states, "", ["end"]);
  return { normal: layout(MEDICLIP_NORMAL_STATES), abnormal: layout(MEDICLIP_ABNORMAL_STATES) };
}

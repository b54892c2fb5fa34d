// MadCLIP's `--text_mood fix` (Prompt/promptChooser.py → utils.encode_text_with_prompt_ensemble_equall): MVFA's
// per-prompt-normalised ensemble over the 35 templates, but with 7 normal and 7 abnormal states — the same sentences
// its CoOp prompts use (coop.ts), so 245 + 245 prompts where MVFA has 245 + 175.
import type { PromptStates } from "../text/promptEnsemble";
import { COOP_ABNORMAL, COOP_NORMAL } from "./coop";

export const MADCLIP_FIXED_STATES: PromptStates = { name: "madclip-fix", normal: COOP_NORMAL, abnormal: COOP_ABNORMAL };

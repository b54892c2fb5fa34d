/**
 * T depends only on the model, the activation, the object word and the state lists, and for ViT-L it costs ~420 text-encoder
 * forwards (minutes on a laptop CPU), so a kernel session computes it once per (model hash, activation, word, states) and
 * reuses it across runs. Keyed by the weights' hash, not the folder, so a replaced checkpoint is not served stale.
 */
import { ClipTextEncoder } from "../../engine/clip/model";
import { ClipTokenizer } from "../../tokenizer";
import type { MethodContext } from "../method";
import { MVFA_STATES, promptEnsemble, PromptStates, TextMatrix } from "./promptEnsemble";

const cache = new Map<string, TextMatrix>();

export async function cachedEnsemble(
  ctx: MethodContext,
  objectWord: string,
  states: PromptStates = MVFA_STATES,
): Promise<{ T: TextMatrix; cached: boolean }> {
  const key = `${ctx.modelHash}|${ctx.activation ?? "config"}|${objectWord}|${states.name}`;
  const hit = cache.get(key);
  if (hit) return { T: hit, cached: true };
  const T = await ctx.time("text", async () => {
    const enc = await ClipTextEncoder.create(
      ctx.model,
      { input: "ids", activation: ctx.activation },
      { device: ctx.device },
    );
    try {
      return await promptEnsemble(enc, ClipTokenizer.fromDirectory(ctx.modelDir), objectWord, {
        states,
        onProgress: ctx.onProgress,
        signal: ctx.signal,
      });
    } finally {
      await enc.release();
    }
  });
  cache.set(key, T);
  return { T, cached: false };
}

/** For tests and long sessions. */
export function clearEnsembleCache(): void {
  cache.clear();
}

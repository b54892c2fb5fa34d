/**
 * MVFA's fixed text prompt ensemble (utils.py encode_text_with_prompt_ensemble in MediaBrain-SJTU/MVFA-AD): every
 * state × template sentence for one object word goes through the standard text encoder (causal mask, EOT pooling,
 * projection); each embedding is L2-normalised, the class mean is L2-normalised again, and the two class vectors
 * become the columns of T [proj, 2] = [t_normal, t_abnormal]. The word lists are data the method depends on, so they
 * are kept exactly as the reference has them (including the "{}" state with no adjective).
 */
import { ClipTextEncoder } from "../../engine/clip/model";
import { ClipTokenizer, toInt64 } from "../../tokenizer";
import { checkAbort } from "../../util/cancellation";
import { Progress } from "../progress";

export const NORMAL_STATES = [
  "{}",
  "flawless {}",
  "perfect {}",
  "unblemished {}",
  "{} without flaw",
  "{} without defect",
  "{} without damage",
] as const;

export const ABNORMAL_STATES = ["damaged {}", "broken {}", "{} with flaw", "{} with defect", "{} with damage"] as const;

/** A named pair of state lists; the name keys the session cache (ensembleCache.ts) and appears in results. */
export interface PromptStates {
  name: string;
  normal: readonly string[];
  abnormal: readonly string[];
}

/** MVFA's 7 normal / 5 abnormal states (the default). */
export const MVFA_STATES: PromptStates = { name: "mvfa", normal: NORMAL_STATES, abnormal: ABNORMAL_STATES };

export const TEMPLATES = [
  "a bad photo of a {}.",
  "a low resolution photo of the {}.",
  "a bad photo of the {}.",
  "a cropped photo of the {}.",
  "a bright photo of a {}.",
  "a dark photo of the {}.",
  "a photo of my {}.",
  "a photo of the cool {}.",
  "a close-up photo of a {}.",
  "a black and white photo of the {}.",
  "a bright photo of the {}.",
  "a cropped photo of a {}.",
  "a jpeg corrupted photo of a {}.",
  "a blurry photo of the {}.",
  "a photo of the {}.",
  "a good photo of the {}.",
  "a photo of one {}.",
  "a close-up photo of the {}.",
  "a photo of a {}.",
  "a low resolution photo of a {}.",
  "a photo of a large {}.",
  "a blurry photo of a {}.",
  "a jpeg corrupted photo of the {}.",
  "a good photo of a {}.",
  "a photo of the small {}.",
  "a photo of the large {}.",
  "a black and white photo of a {}.",
  "a dark photo of a {}.",
  "a photo of a cool {}.",
  "a photo of a small {}.",
  "there is a {} in the scene.",
  "there is the {} in the scene.",
  "this is a {} in the scene.",
  "this is the {} in the scene.",
  "this is one {} in the scene.",
] as const;

/** MVFA's REAL_NAME (prompt.py): dataset class → the object word its prompts use. */
export const MVFA_OBJECT_WORDS: Readonly<Record<string, string>> = {
  Brain: "Brain",
  Liver: "Liver",
  Retina_RESC: "retinal OCT",
  Retina_OCT2017: "retinal OCT",
  Chest: "Chest X-ray film",
  Histopathology: "histopathological image",
};

/**
 * The object word for a dataset class: MVFA's table for its six classes (the loaders name them `<Name>_AD`, and
 * MediCLIP-style lower-case names are matched case-insensitively); any other class uses its own name with
 * underscores as spaces, which is what a user would type. Pass an explicit word to override.
 */
export function objectWordFor(category: string): string {
  const base = category.replace(/_AD$/, "");
  if (MVFA_OBJECT_WORDS[base]) return MVFA_OBJECT_WORDS[base];
  const ci = Object.keys(MVFA_OBJECT_WORDS).find((k) => k.toLowerCase() === base.toLowerCase());
  return ci ? MVFA_OBJECT_WORDS[ci] : base.replace(/_/g, " ");
}

/** MVFA's 245 normal and 175 abnormal sentences (or `states` × the 35 templates), state-major then template (the
 * reference's loop order). */
export function ensemblePrompts(
  objectWord: string,
  states: PromptStates = MVFA_STATES,
): { normal: string[]; abnormal: string[] } {
  const expand = (list: readonly string[]) =>
    list.flatMap((s) => TEMPLATES.map((t) => t.replace("{}", () => s.replace("{}", () => objectWord))));
  return { normal: expand(states.normal), abnormal: expand(states.abnormal) };
}

export interface EnsembleOptions {
  /** Prompts per text-encoder call (default 64). */
  batch?: number;
  /** State lists (default MVFA's 7 / 5). */
  states?: PromptStates;
  onProgress?: Progress;
  signal?: AbortSignal;
}

/** T as [proj, 2] row-major: T[d * 2 + 0] = normal, T[d * 2 + 1] = abnormal. */
export interface TextMatrix {
  data: Float32Array;
  dims: [number, 2];
  objectWord: string;
  prompts: { normal: number; abnormal: number };
}

async function classVector(
  encoder: ClipTextEncoder,
  tokenizer: ClipTokenizer,
  prompts: string[],
  batch: number,
  tick: () => void,
  signal?: AbortSignal,
): Promise<Float64Array> {
  let sum: Float64Array | undefined;
  for (let start = 0; start < prompts.length; start += batch) {
    checkAbort(signal);
    const chunk = prompts.slice(start, start + batch);
    const out = await encoder.encodeIds(toInt64(tokenizer.tokenize(chunk)));
    const proj = out.dims[1];
    const data = out.data as Float32Array;
    sum ??= new Float64Array(proj);
    for (let r = 0; r < chunk.length; r++) {
      let n = 0;
      for (let d = 0; d < proj; d++) n += data[r * proj + d] ** 2;
      const inv = 1 / Math.sqrt(n);
      for (let d = 0; d < proj; d++) sum[d] += data[r * proj + d] * inv;
    }
    tick();
  }
  // mean then L2-normalise: the 1/count of the mean cancels in the normalisation.
  let n = 0;
  for (const v of sum!) n += v * v;
  const inv = 1 / Math.sqrt(n);
  return sum!.map((v) => v * inv);
}

/** Computes T for one object word with a text encoder built for token ids (causal mask, the config's activation). */
export async function promptEnsemble(
  encoder: ClipTextEncoder,
  tokenizer: ClipTokenizer,
  objectWord: string,
  opts: EnsembleOptions = {},
): Promise<TextMatrix> {
  const batch = opts.batch ?? 64;
  const { normal, abnormal } = ensemblePrompts(objectWord, opts.states);
  const total = Math.ceil(normal.length / batch) + Math.ceil(abnormal.length / batch);
  let done = 0;
  const tick = () => opts.onProgress?.(++done, total, "text");
  const tn = await classVector(encoder, tokenizer, normal, batch, tick, opts.signal);
  const ta = await classVector(encoder, tokenizer, abnormal, batch, tick, opts.signal);
  const data = new Float32Array(tn.length * 2);
  for (let d = 0; d < tn.length; d++) {
    data[2 * d] = tn[d];
    data[2 * d + 1] = ta[d];
  }
  return { data, dims: [tn.length, 2], objectWord, prompts: { normal: normal.length, abnormal: abnormal.length } };
}

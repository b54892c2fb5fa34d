// Writes trained parameters as a Hugging Face CLIPModel folder (config.json + model.safetensors), readable by
// ClipModel.load and by transformers. fp16 halves the size (the 49 408-row token table dominates); the loader reads F16.
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../util/atomicWrite";
import type { Activation } from "../weights/clipConfig";
import { encodeSafetensors, type StTensorIn } from "../weights/safetensorsWrite";
import { type ClipArch, allParamSpecs } from "./clipParams";

const hfAct = (a: Activation) => (a === "gelu" ? "gelu" : "quick_gelu");

export function hfConfig(a: ClipArch, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const v = a.vision;
  const t = a.text;
  return {
    architectures: ["CLIPModel"],
    model_type: "clip",
    projection_dim: a.projectionDim,
    logit_scale_init_value: 2.6592,
    torch_dtype: "float32",
    text_config: {
      model_type: "clip_text_model",
      hidden_size: t.hiddenSize,
      intermediate_size: t.intermediateSize,
      num_hidden_layers: t.numLayers,
      num_attention_heads: t.numHeads,
      max_position_embeddings: t.contextLength,
      vocab_size: t.vocabSize,
      hidden_act: hfAct(t.activation),
      layer_norm_eps: t.layerNormEps,
      projection_dim: a.projectionDim,
      bos_token_id: t.bosTokenId,
      eos_token_id: t.eosTokenId,
      pad_token_id: t.padTokenId,
    },
    vision_config: {
      model_type: "clip_vision_model",
      hidden_size: v.hiddenSize,
      intermediate_size: v.intermediateSize,
      num_hidden_layers: v.numLayers,
      num_attention_heads: v.numHeads,
      image_size: v.imageSize,
      patch_size: v.patchSize,
      num_channels: v.numChannels,
      hidden_act: hfAct(v.activation),
      layer_norm_eps: v.layerNormEps,
      projection_dim: a.projectionDim,
    },
    ...extra,
  };
}

/** IEEE half bits of x (round to nearest even; overflow → ±inf). */
export function floatToHalf(x: number): number {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = x;
  const bits = u[0];
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  let mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && h & 1)) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && h & 1)) h++;
  e = h >>> 10;
  return sign | h;
}

export function hfTensors(
  a: ClipArch,
  params: Record<string, Float32Array>,
  dtype: "F32" | "F16",
): Record<string, StTensorIn> {
  const out: Record<string, StTensorIn> = {};
  for (const s of allParamSpecs(a)) {
    const p = params[s.name];
    if (!p) throw new Error(`export: parameter ${s.name} is missing`);
    // logit_scale stays F32: it is one number and fp16 would round the temperature.
    if (dtype === "F16" && s.name !== "logit_scale")
      out[s.name] = { dtype: "F16", shape: s.shape, data: Uint16Array.from(p, floatToHalf) };
    else out[s.name] = { dtype: "F32", shape: s.shape, data: p };
  }
  return out;
}

/** Writes config.json and model.safetensors into `dir` (each atomically); returns the safetensors bytes. */
export function writeHfModel(
  dir: string,
  a: ClipArch,
  params: Record<string, Float32Array>,
  opts: { dtype?: "F32" | "F16"; metadata?: Record<string, string>; config?: Record<string, unknown> } = {},
): Buffer {
  fs.mkdirSync(dir, { recursive: true });
  const bytes = encodeSafetensors(hfTensors(a, params, opts.dtype ?? "F32"), { format: "pt", ...opts.metadata });
  writeFileAtomic(path.join(dir, "config.json"), JSON.stringify(hfConfig(a, opts.config), null, 2) + "\n");
  writeFileAtomic(path.join(dir, "model.safetensors"), bytes);
  return bytes;
}

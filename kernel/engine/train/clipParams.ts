// The trainable parameters of a whole CLIP (both towers + logit scale) under Hugging Face CLIPModel names, with
// their shapes and the OpenAI CLIP initialisation. Names are HF's so a checkpoint's weights ARE a model.safetensors
// that loadVisionWeights / loadTextWeights read back (Linear weights [out, in], projections [proj, width]).
import type { TextConfig, TowerConfig, VisionConfig } from "../weights/clipConfig";
import { Rng } from "../../util/random/rng";

export interface ClipArch {
  vision: VisionConfig;
  text: TextConfig;
  projectionDim: number;
}

export interface ParamSpec {
  name: string;
  shape: number[];
  /** How the parameter starts: normal(0, std), or a constant. */
  init: { std: number } | { value: number };
}

/** The token embedding is looked up in TS (a one-hot MatMul over 49 408 ids would be GBs); its gradient is scattered back. */
export const TOKEN_EMBEDDING = "text_model.embeddings.token_embedding.weight";
export const LOGIT_SCALE = "logit_scale";
/** CLIP clamps the logit scale at ln 100 (temperature ≥ 0.01). */
export const LOGIT_SCALE_MAX = Math.log(100);

function blockSpecs(prefix: string, c: TowerConfig, out: ParamSpec[]): void {
  const d = c.hiddenSize;
  const m = c.intermediateSize;
  // OpenAI CLIP init (model.py initialize_parameters): attn std d^-½, out/fc2 std d^-½·(2L)^-½, fc1 std (2d)^-½.
  const attnStd = d ** -0.5;
  const projStd = d ** -0.5 * (2 * c.numLayers) ** -0.5;
  const fcStd = (2 * d) ** -0.5;
  const ln = (p: string) =>
    out.push(
      { name: `${p}.weight`, shape: [d], init: { value: 1 } },
      { name: `${p}.bias`, shape: [d], init: { value: 0 } },
    );
  const lin = (p: string, o: number, i: number, std: number) =>
    out.push(
      { name: `${p}.weight`, shape: [o, i], init: { std } },
      { name: `${p}.bias`, shape: [o], init: { value: 0 } },
    );
  ln(`${prefix}.layer_norm1`);
  for (const p of ["q_proj", "k_proj", "v_proj"]) lin(`${prefix}.self_attn.${p}`, d, d, attnStd);
  lin(`${prefix}.self_attn.out_proj`, d, d, projStd);
  ln(`${prefix}.layer_norm2`);
  lin(`${prefix}.mlp.fc1`, m, d, fcStd);
  lin(`${prefix}.mlp.fc2`, d, m, projStd);
}

export function visionGridOf(v: VisionConfig): number {
  return Math.floor(v.imageSize / v.patchSize);
}

export function visionParamSpecs(a: ClipArch): ParamSpec[] {
  const v = a.vision;
  const d = v.hiddenSize;
  const g = visionGridOf(v);
  const fanIn = v.numChannels * v.patchSize * v.patchSize;
  const out: ParamSpec[] = [
    {
      name: "vision_model.embeddings.patch_embedding.weight",
      shape: [d, v.numChannels, v.patchSize, v.patchSize],
      init: { std: fanIn ** -0.5 },
    },
    { name: "vision_model.embeddings.class_embedding", shape: [d], init: { std: d ** -0.5 } },
    { name: "vision_model.embeddings.position_embedding.weight", shape: [g * g + 1, d], init: { std: d ** -0.5 } },
  ];
  out.push(
    { name: "vision_model.pre_layrnorm.weight", shape: [d], init: { value: 1 } },
    { name: "vision_model.pre_layrnorm.bias", shape: [d], init: { value: 0 } },
  );
  for (let l = 0; l < v.numLayers; l++) blockSpecs(`vision_model.encoder.layers.${l}`, v, out);
  out.push(
    { name: "vision_model.post_layernorm.weight", shape: [d], init: { value: 1 } },
    { name: "vision_model.post_layernorm.bias", shape: [d], init: { value: 0 } },
  );
  out.push({ name: "visual_projection.weight", shape: [a.projectionDim, d], init: { std: d ** -0.5 } });
  return out;
}

/** Text parameters except the token embedding (see TOKEN_EMBEDDING). */
export function textParamSpecs(a: ClipArch): ParamSpec[] {
  const t = a.text;
  const w = t.hiddenSize;
  const out: ParamSpec[] = [
    { name: "text_model.embeddings.position_embedding.weight", shape: [t.contextLength, w], init: { std: 0.01 } },
  ];
  for (let l = 0; l < t.numLayers; l++) blockSpecs(`text_model.encoder.layers.${l}`, t, out);
  out.push(
    { name: "text_model.final_layer_norm.weight", shape: [w], init: { value: 1 } },
    { name: "text_model.final_layer_norm.bias", shape: [w], init: { value: 0 } },
  );
  out.push({ name: "text_projection.weight", shape: [a.projectionDim, w], init: { std: w ** -0.5 } });
  return out;
}

/** Every parameter of the model, graph inputs first, then the token embedding. */
export function allParamSpecs(a: ClipArch): ParamSpec[] {
  return [
    ...visionParamSpecs(a),
    ...textParamSpecs(a),
    { name: LOGIT_SCALE, shape: [1], init: { value: Math.log(1 / 0.07) } },
    { name: TOKEN_EMBEDDING, shape: [a.text.vocabSize, a.text.hiddenSize], init: { std: 0.02 } },
  ];
}

export function initParams(specs: ParamSpec[], seed: number): Record<string, Float32Array> {
  const rng = new Rng(seed);
  const out: Record<string, Float32Array> = {};
  for (const s of specs) {
    const data = new Float32Array(s.shape.reduce((p, q) => p * q, 1));
    if ("value" in s.init) data.fill(s.init.value);
    else for (let i = 0; i < data.length; i++) data[i] = s.init.std * rng.normal();
    out[s.name] = data;
  }
  return out;
}

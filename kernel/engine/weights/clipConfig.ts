// CLIP architecture hyper-parameters from a Hugging Face config.json (CLIPModel / CLIPVisionModelWithProjection /
// CLIPTextModelWithProjection) or an OpenCLIP model config (open_clip_config.json or a bare model_cfg).
// Missing HF fields take HF's own defaults, so configs that rely on them parse as transformers would; every field
// that took a default is listed in `defaulted`, so a config/weights mismatch names the config and those fields.
import * as fs from "fs";
import { WeightsError } from "./errors";

/** "gelu" = exact erf GELU; "quick_gelu" = x·σ(1.702x) (OpenAI CLIP). */
export type Activation = "gelu" | "quick_gelu";

export interface TowerConfig {
  hiddenSize: number;
  intermediateSize: number;
  numLayers: number;
  numHeads: number;
  layerNormEps: number;
  activation: Activation;
}

export interface VisionConfig extends TowerConfig {
  imageSize: number;
  patchSize: number;
  numChannels: number;
}

export interface TextConfig extends TowerConfig {
  vocabSize: number;
  contextLength: number;
  eosTokenId: number;
  bosTokenId: number;
  padTokenId: number;
}

export interface ClipConfig {
  /** Which parameter naming the config implies (a checkpoint may still be detected otherwise). */
  source: "hf" | "open_clip";
  architecture: string;
  projectionDim: number;
  vision?: VisionConfig;
  text?: TextConfig;
  /** Fields absent from the file that took defaults (e.g. "vision_config.num_hidden_layers"). Not part of the
   * architecture: the model hash leaves it out. */
  defaulted: string[];
}

const HF_ARCHITECTURES = ["CLIPModel", "CLIPVisionModelWithProjection", "CLIPTextModelWithProjection"];

type Json = Record<string, unknown>;

class FieldReader {
  constructor(
    private readonly file: string,
    private readonly obj: Json,
    private readonly prefix: string,
    readonly defaulted: string[] = [],
  ) {}

  private value(field: string, fallback: unknown): unknown {
    const v = this.obj[field];
    if (v !== undefined) return v;
    if (fallback !== undefined) this.defaulted.push(`${this.prefix}${field}`);
    return fallback;
  }

  private fail(field: string, message: string): never {
    throw new WeightsError(this.file, `field ${this.prefix}${field}`, message);
  }

  int(field: string, fallback?: number): number {
    const v = this.value(field, fallback);
    if (v === undefined) this.fail(field, "is missing");
    if (typeof v !== "number" || !Number.isInteger(v) || v <= 0)
      this.fail(field, `must be a positive integer, got ${JSON.stringify(v)}`);
    return v;
  }

  /** Non-negative integer (token ids may be 0). */
  nat(field: string, fallback: number): number {
    const v = this.value(field, fallback);
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0)
      this.fail(field, `must be a non-negative integer, got ${JSON.stringify(v)}`);
    return v;
  }

  num(field: string, fallback?: number): number {
    const v = this.value(field, fallback);
    if (typeof v !== "number" || !(v > 0)) this.fail(field, `must be a positive number, got ${JSON.stringify(v)}`);
    return v;
  }

  activation(field: string, fallback: string): Activation {
    const v = this.value(field, fallback);
    if (v === "quick_gelu") return "quick_gelu";
    if (v === "gelu") return "gelu";
    this.fail(field, `activation ${JSON.stringify(v)} is not supported (expected "gelu" or "quick_gelu")`);
  }

  sub(field: string): FieldReader | undefined {
    const v = this.obj[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) this.fail(field, "must be an object");
    return new FieldReader(this.file, v as Json, `${this.prefix}${field}.`, this.defaulted);
  }
}

function hfVision(r: FieldReader): VisionConfig {
  return {
    hiddenSize: r.int("hidden_size", 768),
    intermediateSize: r.int("intermediate_size", 3072),
    numLayers: r.int("num_hidden_layers", 12),
    numHeads: r.int("num_attention_heads", 12),
    layerNormEps: r.num("layer_norm_eps", 1e-5),
    activation: r.activation("hidden_act", "quick_gelu"),
    imageSize: r.int("image_size", 224),
    patchSize: r.int("patch_size", 32),
    numChannels: r.int("num_channels", 3),
  };
}

function hfText(r: FieldReader): TextConfig {
  return {
    hiddenSize: r.int("hidden_size", 512),
    intermediateSize: r.int("intermediate_size", 2048),
    numLayers: r.int("num_hidden_layers", 12),
    numHeads: r.int("num_attention_heads", 8),
    layerNormEps: r.num("layer_norm_eps", 1e-5),
    activation: r.activation("hidden_act", "quick_gelu"),
    vocabSize: r.int("vocab_size", 49408),
    contextLength: r.int("max_position_embeddings", 77),
    eosTokenId: r.nat("eos_token_id", 49407),
    bosTokenId: r.nat("bos_token_id", 49406),
    padTokenId: r.nat("pad_token_id", 1),
  };
}

function parseHf(file: string, j: Json): ClipConfig {
  const r = new FieldReader(file, j, "");
  const archs = j.architectures;
  let arch: string;
  if (archs === undefined) {
    if (j.model_type === "clip") arch = "CLIPModel";
    else if (j.model_type === "clip_vision_model") arch = "CLIPVisionModelWithProjection";
    else if (j.model_type === "clip_text_model") arch = "CLIPTextModelWithProjection";
    else
      throw new WeightsError(
        file,
        "field architectures",
        `is missing and model_type ${JSON.stringify(j.model_type)} is not a CLIP type`,
      );
  } else {
    if (!Array.isArray(archs) || archs.length !== 1 || typeof archs[0] !== "string") {
      throw new WeightsError(
        file,
        "field architectures",
        `must list exactly one architecture, got ${JSON.stringify(archs)}`,
      );
    }
    arch = archs[0];
    if (!HF_ARCHITECTURES.includes(arch)) {
      throw new WeightsError(
        file,
        "field architectures",
        `unknown architecture "${arch}" (supported: ${HF_ARCHITECTURES.join(", ")})`,
      );
    }
  }
  if (arch === "CLIPModel") {
    const v =
      r.sub("vision_config") ?? r.sub("vision_config_dict") ?? new FieldReader(file, {}, "vision_config.", r.defaulted);
    const t =
      r.sub("text_config") ?? r.sub("text_config_dict") ?? new FieldReader(file, {}, "text_config.", r.defaulted);
    const projectionDim = r.int("projection_dim", 512);
    return {
      source: "hf",
      architecture: arch,
      projectionDim,
      vision: hfVision(v),
      text: hfText(t),
      defaulted: r.defaulted,
    };
  }
  // Single-tower configs are flat (CLIPVisionConfig / CLIPTextConfig) and carry projection_dim themselves.
  if (arch === "CLIPVisionModelWithProjection") {
    const projectionDim = r.int("projection_dim", 512);
    return { source: "hf", architecture: arch, projectionDim, vision: hfVision(r), defaulted: r.defaulted };
  }
  const projectionDim = r.int("projection_dim", 512);
  return { source: "hf", architecture: arch, projectionDim, text: hfText(r), defaulted: r.defaulted };
}

/** OpenCLIP model_cfg: {embed_dim, quick_gelu?, vision_cfg{image_size, layers, width, patch_size, head_width?, mlp_ratio?}, text_cfg{…}}. */
function parseOpenClip(file: string, j: Json, prefix: string): ClipConfig {
  const r = new FieldReader(file, j, prefix);
  const act: Activation = j.quick_gelu === true ? "quick_gelu" : "gelu";
  const v = r.sub("vision_cfg");
  const t = r.sub("text_cfg");
  if (!v || !t)
    throw new WeightsError(file, `field ${prefix}vision_cfg`, "OpenCLIP configs need vision_cfg and text_cfg");
  for (const unsupported of ["timm_model_name", "hf_model_name"]) {
    if ((j.vision_cfg as Json)[unsupported] !== undefined || (j.text_cfg as Json)[unsupported] !== undefined) {
      throw new WeightsError(
        file,
        `field ${unsupported}`,
        "towers from timm / HF text models are not supported (only the CLIP ViT + transformer text tower)",
      );
    }
  }
  const vw = v.int("width", 768);
  const tw = t.int("width", 512);
  const vMlp = (j.vision_cfg as Json).mlp_ratio ?? 4;
  const tMlp = (j.text_cfg as Json).mlp_ratio ?? 4;
  return {
    source: "open_clip",
    architecture: "open_clip",
    projectionDim: r.int("embed_dim"),
    vision: {
      hiddenSize: vw,
      intermediateSize: Math.round(vw * (vMlp as number)),
      numLayers: v.int("layers", 12),
      numHeads: Math.round(vw / v.int("head_width", 64)),
      layerNormEps: 1e-5,
      activation: act,
      imageSize: v.int("image_size", 224),
      patchSize: v.int("patch_size", 16),
      numChannels: 3,
    },
    text: {
      hiddenSize: tw,
      intermediateSize: Math.round(tw * (tMlp as number)),
      numLayers: t.int("layers", 12),
      numHeads: t.int("heads", 8),
      layerNormEps: 1e-5,
      activation: act,
      vocabSize: t.int("vocab_size", 49408),
      contextLength: t.int("context_length", 77),
      eosTokenId: 49407,
      bosTokenId: 49406,
      padTokenId: 0,
    },
    defaulted: r.defaulted,
  };
}

export function parseClipConfigJson(json: unknown, file: string): ClipConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new WeightsError(file, undefined, "config is not a JSON object");
  const j = json as Json;
  if (j.model_cfg !== undefined) return parseOpenClip(file, j.model_cfg as Json, "model_cfg.");
  if (j.vision_cfg !== undefined) return parseOpenClip(file, j, "");
  return parseHf(file, j);
}

export function readClipConfig(file: string): ClipConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new WeightsError(file, undefined, `cannot read config: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new WeightsError(file, undefined, `config is not valid JSON (${(e as Error).message})`);
  }
  return parseClipConfigJson(json, file);
}

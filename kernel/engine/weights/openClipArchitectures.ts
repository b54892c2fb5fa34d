// OpenCLIP model configs for checkpoints that come without one: a small table of named architectures (the open_clip
// model_configs names; "-quickgelu" selects OpenAI's x·σ(1.702x)), and OpenAI's own rule for its .pt files, which
// reads the architecture off the tensor shapes: widths from shapes, depths from key counts, patch size from conv1,
// image size from the positional embedding, 64-wide heads. OpenAI's weights always use QuickGELU.
import { WeightsError } from "./errors";

export interface OpenClipModelCfg {
  embed_dim: number;
  quick_gelu?: boolean;
  vision_cfg: {
    image_size: number;
    layers: number;
    width: number;
    patch_size: number;
    head_width?: number;
    mlp_ratio?: number;
  };
  text_cfg: {
    context_length: number;
    vocab_size: number;
    width: number;
    heads: number;
    layers: number;
    mlp_ratio?: number;
  };
}

const text = (width: number, heads: number, layers: number) => ({
  context_length: 77,
  vocab_size: 49408,
  width,
  heads,
  layers,
});

export const KNOWN_ARCHITECTURES: Record<string, OpenClipModelCfg> = {
  "ViT-B-32": {
    embed_dim: 512,
    vision_cfg: { image_size: 224, layers: 12, width: 768, patch_size: 32 },
    text_cfg: text(512, 8, 12),
  },
  "ViT-B-16": {
    embed_dim: 512,
    vision_cfg: { image_size: 224, layers: 12, width: 768, patch_size: 16 },
    text_cfg: text(512, 8, 12),
  },
  "ViT-L-14": {
    embed_dim: 768,
    vision_cfg: { image_size: 224, layers: 24, width: 1024, patch_size: 14 },
    text_cfg: text(768, 12, 12),
  },
  "ViT-L-14-336": {
    embed_dim: 768,
    vision_cfg: { image_size: 336, layers: 24, width: 1024, patch_size: 14 },
    text_cfg: text(768, 12, 12),
  },
  "ViT-H-14": {
    embed_dim: 1024,
    vision_cfg: { image_size: 224, layers: 32, width: 1280, head_width: 80, patch_size: 14 },
    text_cfg: text(1024, 16, 24),
  },
};

/** OpenAI's release file names (ViT-L-14-336px.pt, ViT-B-16.pt, …) → the architecture name. */
export function architectureFromOpenAiFileName(base: string): string | undefined {
  const m = /^(ViT-[BLH]-\d+)(?:-(\d+)px)?\.pt$/.exec(base);
  if (!m) return undefined;
  const name = m[2] ? `${m[1]}-${m[2]}` : m[1];
  return KNOWN_ARCHITECTURES[name] ? name : undefined;
}

export function namedArchitecture(name: string, file: string): OpenClipModelCfg {
  const quick = name.endsWith("-quickgelu");
  const cfg = KNOWN_ARCHITECTURES[quick ? name.slice(0, -"-quickgelu".length) : name];
  if (!cfg) {
    throw new WeightsError(
      file,
      `architecture ${name}`,
      `is not a known architecture (known: ${Object.keys(KNOWN_ARCHITECTURES).join(", ")}, ` +
        "each also with -quickgelu); put an open_clip_config.json next to the weights instead",
    );
  }
  return { ...cfg, quick_gelu: quick };
}

/** The architecture of an OpenAI-named state dict, as OpenAI's build_model derives it. */
export function inferOpenAiArchitecture(shapes: ReadonlyMap<string, number[]>, file: string): OpenClipModelCfg {
  const shape = (name: string, rank: number): number[] => {
    const s = shapes.get(name);
    if (!s)
      throw new WeightsError(
        file,
        name,
        "is missing, so the architecture cannot be read off the weights (not an OpenAI CLIP ViT checkpoint?)",
      );
    if (s.length !== rank) throw new WeightsError(file, name, `has rank ${s.length}, expected ${rank}`);
    return s;
  };
  const names = [...shapes.keys()];
  const [vWidth, , , patch] = shape("visual.conv1.weight", 4);
  const vLayers = names.filter((n) => n.startsWith("visual.") && n.endsWith(".attn.in_proj_weight")).length;
  const grid = Math.round(Math.sqrt(shape("visual.positional_embedding", 2)[0] - 1));
  const embed = shape("text_projection", 2)[1];
  const tWidth = shape("ln_final.weight", 1)[0];
  const tLayers = new Set(names.filter((n) => n.startsWith("transformer.resblocks.")).map((n) => n.split(".")[2])).size;
  const vMlp = shape("visual.transformer.resblocks.0.mlp.c_fc.weight", 2)[0] / vWidth;
  const tMlp = shape("transformer.resblocks.0.mlp.c_fc.weight", 2)[0] / tWidth;
  if (vLayers === 0 || tLayers === 0)
    throw new WeightsError(
      file,
      undefined,
      "no transformer blocks found (visual.transformer.resblocks.*, transformer.resblocks.*)",
    );
  return {
    embed_dim: embed,
    quick_gelu: true,
    vision_cfg: {
      image_size: patch * grid,
      layers: vLayers,
      width: vWidth,
      patch_size: patch,
      head_width: 64,
      mlp_ratio: vMlp,
    },
    text_cfg: {
      context_length: shape("positional_embedding", 2)[0],
      vocab_size: shape("token_embedding.weight", 2)[0],
      width: tWidth,
      heads: Math.max(1, Math.floor(tWidth / 64)),
      layers: tLayers,
      mlp_ratio: tMlp,
    },
  };
}

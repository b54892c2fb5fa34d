// Which known file set a checkpoint folder holds. The order matters: a timm hub repo carries a timm config.json
// (not a CLIP config) next to open_clip_config.json, so config.json counts only when it describes a CLIP model.
import * as fs from "fs";
import * as path from "path";

export type LayoutKind = "hf-safetensors" | "open_clip-safetensors" | "hf-pytorch" | "open_clip-pytorch";

export interface ModelLayout {
  kind: LayoutKind;
  config: string;
  weights: string;
}

export const LAYOUT_FILES: Record<LayoutKind, { config: string; weights: string }> = {
  "hf-safetensors": { config: "config.json", weights: "model.safetensors" },
  "open_clip-safetensors": { config: "open_clip_config.json", weights: "open_clip_model.safetensors" },
  "hf-pytorch": { config: "config.json", weights: "pytorch_model.bin" },
  "open_clip-pytorch": { config: "open_clip_config.json", weights: "open_clip_pytorch_model.bin" },
};

/** A Hugging Face config.json for a CLIP model (CLIPModel or one of its towers), judged by architectures/model_type. */
export function isHfClipConfig(json: unknown): boolean {
  if (typeof json !== "object" || json === null) return false;
  const j = json as { architectures?: unknown; model_type?: unknown };
  if (Array.isArray(j.architectures)) return j.architectures.some((a) => typeof a === "string" && a.startsWith("CLIP"));
  return typeof j.model_type === "string" && j.model_type.startsWith("clip");
}

function hfConfigIn(dir: string): boolean {
  const file = path.join(dir, "config.json");
  if (!fs.existsSync(file)) return false;
  try {
    return isHfClipConfig(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return true; // unreadable: let the config parser report it with the file and the reason
  }
}

/** The first complete file set in a folder (safetensors before PyTorch), or undefined. */
export function detectLayout(dir: string): ModelLayout | undefined {
  const hf = hfConfigIn(dir);
  const oc = fs.existsSync(path.join(dir, "open_clip_config.json"));
  for (const kind of Object.keys(LAYOUT_FILES) as LayoutKind[]) {
    const f = LAYOUT_FILES[kind];
    if ((f.config === "config.json" ? hf : oc) && fs.existsSync(path.join(dir, f.weights))) {
      return { kind, config: path.join(dir, f.config), weights: path.join(dir, f.weights) };
    }
  }
  return undefined;
}

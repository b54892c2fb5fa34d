import * as fs from "fs";
import * as path from "path";
import { detectLayout } from "../engine/weights/modelLayout";
import { convertLayoutDir, convertWeightsFile } from "./convertedModel";
import { DEMO_MODEL_ID, ensureDemoModel } from "./demoModel";
import { modelDirName, resolveCacheRoot } from "./hubLocation";
import { ensureDemoClip } from "./demoClip/install";
import { DEMO_CLIP_ID } from "./demoClip/recipe";

const WEIGHT_FILE = /\.(pt|pth|bin)$/;

/**
 * `--model` accepts a checkpoint folder, a PyTorch weights file (`ViT-L-14-336px.pt`; `FILE#ARCH` names an open_clip
 * architecture) or a Hub repo id already pulled into the cache (`openai/clip-vit-base-patch16` →
 * `<cache>/openai--clip-vit-base-patch16`). PyTorch weights are converted once to a cached safetensors folder, and
 * that folder is returned, so everything downstream reads safetensors.
 */
export function resolveModelDir(spec: string, cacheRoot?: string): string {
  const hash = spec.lastIndexOf("#");
  const [file, arch] =
    hash > 0 && !fs.existsSync(spec) ? [spec.slice(0, hash), spec.slice(hash + 1)] : [spec, undefined];
  if (fs.existsSync(file)) {
    if (!fs.statSync(file).isDirectory()) {
      if (WEIGHT_FILE.test(file)) return convertWeightsFile(path.resolve(file), arch, cacheRoot).dir;
      throw new Error(
        `${spec} is a file; --model takes a checkpoint folder, a PyTorch weights file (.pt, .pth, .bin) or a repo id`,
      );
    }
    return prepared(path.resolve(file), cacheRoot);
  }
  // The built-in demo model is generated into the cache on first use (no network).
  if (spec === DEMO_MODEL_ID) return ensureDemoModel({ cacheRoot });
  // The pretrained demo model ships in the repository and is copied into the cache on first use.
  if (spec === DEMO_CLIP_ID) return ensureDemoClip({ cacheRoot });
  if (/^[^/\\.][^/\\]*\/[^/\\]+$/.test(spec)) {
    const dir = path.join(resolveCacheRoot(cacheRoot), modelDirName(spec));
    if (fs.existsSync(dir)) return prepared(dir, cacheRoot);
    throw new Error(
      `model '${spec}' is not in the cache (${dir}); run 'medad models pull ${spec}' first, or pass a checkpoint folder (${DEMO_MODEL_ID} works offline: random weights, for demos)`,
    );
  }
  throw new Error(
    `${spec} does not exist; --model takes a checkpoint folder (config.json + model.safetensors), a PyTorch weights file or a pulled repo id such as openai/clip-vit-base-patch16`,
  );
}

function prepared(dir: string, cacheRoot?: string): string {
  const layout = detectLayout(dir);
  return layout && layout.weights.endsWith(".bin") ? convertLayoutDir(layout, cacheRoot).dir : dir;
}

import * as fs from "fs";
import * as path from "path";
import { DEMO_MODEL_ID, ensureDemoModel } from "./demoModel";
import { modelDirName, resolveCacheRoot } from "./hubLocation";
import { ensureDemoClip } from "./demoClip/install";
import { DEMO_CLIP_ID } from "./demoClip/recipe";

/**
 * `--model` accepts a checkpoint folder or a Hub repo id already pulled into the cache
 * (`openai/clip-vit-base-patch16` → `<cache>/openai--clip-vit-base-patch16`).
 */
export function resolveModelDir(spec: string, cacheRoot?: string): string {
  if (fs.existsSync(spec)) {
    if (!fs.statSync(spec).isDirectory()) throw new Error(`${spec} is a file; --model takes a checkpoint folder (config.json + model.safetensors) or a repo id`);
    return path.resolve(spec);
  }
  // The built-in demo model is generated into the cache on first use (no network).
  if (spec === DEMO_MODEL_ID) return ensureDemoModel({ cacheRoot });
  // The pretrained demo model ships in the repository and is copied into the cache on first use.
  if (spec === DEMO_CLIP_ID) return ensureDemoClip({ cacheRoot });
  if (/^[^/\\.][^/\\]*\/[^/\\]+$/.test(spec)) {
    const dir = path.join(resolveCacheRoot(cacheRoot), modelDirName(spec));
    if (fs.existsSync(dir)) return dir;
    throw new Error(`model '${spec}' is not in the cache (${dir}); run 'medad models pull ${spec}' first, or pass a checkpoint folder (${DEMO_MODEL_ID} works offline: random weights, for demos)`);
  }
  throw new Error(`${spec} does not exist; --model takes a checkpoint folder (config.json + model.safetensors) or a pulled repo id such as openai/clip-vit-base-patch16`);
}

// `medad/demo-clip` resolves to the weights committed in data/models/demo-clip (no download): on first use they are
// copied, with the vendored tokenizer, into the model cache after their SHA-256 is checked against the pinned one.
// The cache copy records that hash in its manifest, so shipping new weights (a new pin) reinstalls it.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { packageRoot } from "../../util/packageRoot";
import { vendoredTokenizerFiles } from "../demoModel";
import { modelDirName, resolveCacheRoot } from "../hubLocation";
import { installLocalModel } from "../installLocal";
import { MANIFEST_NAME, type ModelManifest } from "../modelManifest";
import { DEMO_CLIP_ID } from "./recipe";
import { DEMO_CLIP_SHA256 } from "./pinned";

export function shippedDemoClipDir(): string {
  return path.join(packageRoot(), "data", "models", "demo-clip");
}

export function demoClipDir(cacheRoot?: string): string {
  return path.join(resolveCacheRoot(cacheRoot), modelDirName(DEMO_CLIP_ID));
}

function installedHash(dir: string): string | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), "utf8")) as ModelManifest;
    return m.files["model.safetensors"]?.sha256;
  } catch {
    return undefined;
  }
}

export function sha256File(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

export function ensureDemoClip(opts: { cacheRoot?: string } = {}): string {
  const dir = demoClipDir(opts.cacheRoot);
  if (installedHash(dir) === DEMO_CLIP_SHA256 && fs.existsSync(path.join(dir, "model.safetensors"))) return dir;
  const src = shippedDemoClipDir();
  const weights = path.join(src, "model.safetensors");
  if (!fs.existsSync(weights))
    throw new Error(
      `${weights} is missing: the ${DEMO_CLIP_ID} weights ship with MedAD Lab; restore the file (git checkout) or retrain with 'medad models train-demo'`,
    );
  const bytes = fs.readFileSync(weights);
  const hash = createHash("sha256").update(bytes).digest("hex");
  if (hash !== DEMO_CLIP_SHA256)
    throw new Error(
      `${weights} has SHA-256 ${hash}, not the pinned ${DEMO_CLIP_SHA256} (kernel/models/demoClip/pinned.ts): restore it with git checkout, or pin the new hash if you retrained on purpose`,
    );
  return installLocalModel({
    dir,
    repo: DEMO_CLIP_ID,
    origin: `copied from ${src} (no download)`,
    files: {
      "config.json": fs.readFileSync(path.join(src, "config.json")),
      "model.safetensors": bytes,
      ...vendoredTokenizerFiles(),
    },
    absent: ["tokenizer_config.json"],
    replace: true,
    isComplete: (d) => installedHash(d) === DEMO_CLIP_SHA256,
  });
}

// `medad/demo-clip` resolves to the weights committed in data/models/demo-clip (no download): on first use they are
// copied, with the vendored tokenizer, into the model cache after their SHA-256 is checked against the pinned one.
// The cache copy records that hash in its manifest, so shipping new weights (a new pin) reinstalls it.
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../../util/atomicWrite";
import { packageRoot } from "../../util/packageRoot";
import { clipBpeDir } from "../demoModel";
import { modelDirName, resolveCacheRoot } from "../hubLocation";
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
  const root = path.dirname(dir);
  fs.mkdirSync(root, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(root, `.${path.basename(dir)}.tmp-`));
  fs.chmodSync(tmp, 0o755);
  try {
    const bpe = clipBpeDir();
    const files: Record<string, Buffer> = {
      "config.json": fs.readFileSync(path.join(src, "config.json")),
      "model.safetensors": bytes,
      "vocab.json": fs.readFileSync(path.join(bpe, "vocab.json")),
      "merges.txt": fs.readFileSync(path.join(bpe, "merges.txt")),
      TOKENIZER_LICENSE: fs.readFileSync(path.join(bpe, "LICENSE")),
    };
    const manifest: ModelManifest = {
      repo: DEMO_CLIP_ID,
      revision: "main",
      endpoint: `copied from ${src} (no download)`,
      files: Object.fromEntries(
        Object.entries(files).map(([n, b]) => [
          n,
          { size: b.length, sha256: createHash("sha256").update(b).digest("hex"), verifiedBy: "none" as const },
        ]),
      ),
      absent: ["tokenizer_config.json"],
      expectedSizes: {},
      updatedAt: new Date().toISOString(),
    };
    for (const [name, b] of Object.entries(files)) writeFileAtomic(path.join(tmp, name), b);
    writeFileAtomic(path.join(tmp, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + "\n");
    if (fs.existsSync(dir)) {
      const old = `${tmp}-old`;
      fs.renameSync(dir, old);
      fs.rmSync(old, { recursive: true, force: true });
    }
    try {
      fs.renameSync(tmp, dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === "ENOTEMPTY" || code === "EEXIST") && installedHash(dir) === DEMO_CLIP_SHA256) return dir;
      throw new Error(
        `cannot install ${DEMO_CLIP_ID} into ${dir} (${code ?? (err as Error).message}); check that the cache folder is writable or set MEDAD_CACHE`,
      );
    }
    return dir;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

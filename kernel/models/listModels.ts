/** What is in the model cache: one entry per model folder, with its size and whether it is complete. */
import * as fs from "fs";
import * as path from "path";
import { CACHE_INTERNAL_DIRS } from "./hubLocation";
import { MANIFEST_NAME, readManifest } from "./modelManifest";
import { detectLayout } from "../engine/weights/modelLayout";

export interface CachedModel {
  /** Repo id ("org/name") and revision, from the manifest or the folder name. */
  repo: string;
  revision: string;
  dir: string;
  /** Bytes on disk, partial downloads included. */
  bytes: number;
  complete: boolean;
  missing: string[];
  partial: { file: string; bytes: number; total?: number }[];
}

export function listCachedModels(cacheRoot: string): CachedModel[] {
  let names: string[];
  try {
    names = fs.readdirSync(cacheRoot);
  } catch {
    return []; // no cache yet
  }
  const models: CachedModel[] = [];
  for (const name of names.sort()) {
    const dir = path.join(cacheRoot, name);
    if (!fs.statSync(dir).isDirectory() || CACHE_INTERNAL_DIRS.has(name)) continue;
    const manifest = readManifest(dir);
    const [base, rev] = name.split("@");
    const repo = manifest?.repo ?? base.replace("--", "/");
    const revision = manifest?.revision ?? rev ?? "main";
    let bytes = 0;
    const partial: CachedModel["partial"] = [];
    for (const entry of fs.readdirSync(dir)) {
      const stat = fs.statSync(path.join(dir, entry));
      if (!stat.isFile() || entry === MANIFEST_NAME || entry.startsWith(".")) continue;
      bytes += stat.size;
      if (entry.endsWith(".partial")) {
        const file = entry.slice(0, -".partial".length);
        partial.push({ file, bytes: stat.size, total: manifest?.expectedSizes?.[file] });
      }
    }
    // Complete = usable: a known file set (config + weights) at its final names and nothing half-downloaded.
    const missing = detectLayout(dir) ? [] : ["a config + weights file set (config.json + model.safetensors, …)"];
    // Without both tokenizer files the vendored CLIP BPE is used; with one of them the pull did not finish.
    const bpe = ["vocab.json", "merges.txt"].filter((f) => !fs.existsSync(path.join(dir, f)));
    if (bpe.length === 1) missing.push(bpe[0]);
    models.push({
      repo,
      revision,
      dir,
      bytes,
      complete: missing.length === 0 && partial.length === 0,
      missing,
      partial,
    });
  }
  return models;
}

/**
 * `medad.models`: the model cache from a notebook — what `%models` shows and `%models pull` fetches. The same cache
 * and downloader as `medad models list/pull`.
 */
import { formatBytes, listCachedModels, pullModel, resolveCacheRoot, type PullResult } from "../models";
import * as path from "path";
import { detectLayout } from "../engine/weights/modelLayout";
import { readManifest } from "../models/modelManifest";
import type { TableData } from "../protocol/table";
import { progressBar } from "./progressBar";

export interface ModelEntry {
  /** "org/name", with "@revision" for revisions other than main. */
  name: string;
  dir: string;
  bytes: number;
  /** SHA-256 of the weights file (model.safetensors, pytorch_model.bin, …) as verified at download, when known. */
  sha256?: string;
  /** Where it came from: the hub endpoint of the pull. */
  source?: string;
  complete: boolean;
  /** "complete", or what is missing / partial. */
  state: string;
}

function weightsSha256(dir: string, files: Record<string, { sha256?: string }>): string | undefined {
  const layout = detectLayout(dir);
  return layout ? files[path.basename(layout.weights)]?.sha256 : undefined;
}

export function listModels(cacheRoot?: string): ModelEntry[] {
  return listCachedModels(resolveCacheRoot(cacheRoot)).map((m) => {
    const manifest = readManifest(m.dir);
    const missing = [
      ...m.partial.map((p) => `partial ${p.file}`),
      ...m.missing.filter((f) => !m.partial.some((p) => p.file === f)).map((f) => `missing ${f}`),
    ];
    return {
      name: m.revision === "main" ? m.repo : `${m.repo}@${m.revision}`,
      dir: m.dir,
      bytes: m.bytes,
      sha256: weightsSha256(m.dir, manifest?.files ?? {}),
      source: manifest?.endpoint,
      complete: m.complete,
      state: m.complete ? "complete" : `incomplete (${missing.join(", ")}): pull it again to finish`,
    };
  });
}

export function modelsTable(models: ModelEntry[], cacheRoot?: string): TableData {
  return {
    title: `Cached models in ${resolveCacheRoot(cacheRoot)}`,
    columns: ["model", "size", "sha256 (weights)", "source", "state"],
    rows: models.map((m) => [
      m.name,
      formatBytes(m.bytes),
      m.sha256 ? m.sha256.slice(0, 16) + "…" : "—",
      m.source ?? "—",
      m.state,
    ]),
  };
}

/** Downloads a Hub CLIP repo into the cache with a live progress bar (resumes a partial pull). */
export async function pullModelWithProgress(
  repo: string,
  options: { revision?: string; cacheRoot?: string; endpoint?: string; force?: boolean } = {},
): Promise<PullResult> {
  const bar = progressBar(`pull ${repo}`);
  try {
    const result = await pullModel({
      repo,
      ...options,
      onProgress: (p) =>
        bar.update({
          phase: p.file,
          done: p.received,
          total: p.total ?? p.received,
          etaS: p.etaSeconds,
          message: formatBytes(p.received),
        }),
    });
    bar.finish(`done: ${result.dir}`);
    return result;
  } catch (err) {
    bar.finish("failed");
    throw err;
  }
}

export const models = { list: listModels, table: modelsTable, pull: pullModelWithProgress };

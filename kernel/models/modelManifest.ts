/**
 * `medad-model.json` in each cached model folder: which repo/revision it holds and, per file, its size and the
 * digest it was verified with. Written atomically after every file so an interrupted pull leaves it consistent.
 */
import * as fs from "fs";
import * as path from "path";
import { writeFileAtomic } from "../util/atomicWrite";
import { describeWriteFailure, errnoCode } from "../util/fsErrors";

export const MANIFEST_NAME = "medad-model.json";

export interface ManifestFile {
  size: number;
  sha256?: string;
  verifiedBy: "manifest" | "etag" | "none";
}

export interface ModelManifest {
  repo: string;
  revision: string;
  endpoint: string;
  files: Record<string, ManifestFile>;
  /** Optional files the repo does not have (404), so `list` does not call them missing. */
  absent: string[];
  /** Byte totals announced by the server for files still downloading (for `list` progress). */
  expectedSizes: Record<string, number>;
  updatedAt: string;
  /** The file set found (e.g. "hf-pytorch"), once the pull got that far. */
  layout?: string;
}

export function readManifest(dir: string): ModelManifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_NAME), "utf8")) as ModelManifest;
  } catch {
    return undefined;
  }
}

export function writeManifest(dir: string, manifest: ModelManifest): void {
  manifest.updatedAt = new Date().toISOString();
  const file = path.join(dir, MANIFEST_NAME);
  try {
    writeFileAtomic(file, JSON.stringify(manifest, null, 2) + "\n");
  } catch (err) {
    if (!errnoCode(err)) throw err;
    throw new Error(`${describeWriteFailure(file, err)} Files already downloaded are kept; run the same pull again.`);
  }
}

/**
 * A model identity for results, the feature cache and checkpoints: sha256 over every byte of the weights file
 * (streamed in 4 MiB reads) and the parsed architecture (canonical JSON of the ClipConfig), so two models that differ
 * in one weight value or one config field never share cached features or checkpoints. Digesting a 1.7 GB file takes
 * 10–30 s here (docs/reproduce.md), so the weights digest is remembered by (real path, size, mtime, inode): in memory,
 * and in `<model cache>/digests/` so later processes (the worker, the next session) skip it. Rewriting a file changes
 * its mtime, so a stale digest is never used for new bytes.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { CACHE_DIGESTS_DIR, resolveCacheRoot } from "../models/hubLocation";
import { writeFileAtomic } from "../util/atomicWrite";

export type ModelHashMode = "weights+config";

export interface ModelHash {
  algorithm: "sha256";
  over: ModelHashMode;
  value: string;
  file: string;
  bytes: number;
  /** sha256 of the weights file alone. */
  weightsSha256: string;
}

const digests = new Map<string, string>();

function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${sortedJson((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(v);
}

/** sha256 of a whole file, streamed; `cacheRoot` overrides where digests persist (tests). */
export function sha256File(file: string, cacheRoot?: string): string {
  const real = fs.realpathSync(file);
  const st = fs.statSync(real);
  const stamp = { path: real, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
  const key = JSON.stringify(stamp);
  const known = digests.get(key);
  if (known) return known;
  const note = path.join(
    resolveCacheRoot(cacheRoot),
    CACHE_DIGESTS_DIR,
    `${createHash("sha256").update(real).digest("hex").slice(0, 32)}.json`,
  );
  try {
    const saved = JSON.parse(fs.readFileSync(note, "utf8")) as typeof stamp & { sha256: string };
    if (
      JSON.stringify({ path: saved.path, size: saved.size, mtimeMs: saved.mtimeMs, ino: saved.ino }) === key &&
      /^[0-9a-f]{64}$/.test(saved.sha256)
    ) {
      digests.set(key, saved.sha256);
      return saved.sha256;
    }
  } catch {
    // no note yet, or unreadable: digest the file
  }
  const h = createHash("sha256");
  const fd = fs.openSync(real, "r");
  try {
    const buf = Buffer.alloc(1 << 22);
    for (let pos = 0; pos < st.size; ) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) throw new Error(`${file}: shrank while being hashed (at byte ${pos} of ${st.size})`);
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  const value = h.digest("hex");
  digests.set(key, value);
  try {
    fs.mkdirSync(path.dirname(note), { recursive: true });
    writeFileAtomic(note, JSON.stringify({ ...stamp, sha256: value }) + "\n");
  } catch {
    // a read-only cache only costs the next process a re-digest
  }
  return value;
}

/** The identity of weights + parsed config (`config` is the ClipConfig the model was built from). */
export function hashModel(weights: string, config: unknown): ModelHash {
  const weightsSha256 = sha256File(weights);
  // Which fields were spelled out vs defaulted is provenance, not architecture.
  const { defaulted: _defaulted, ...architecture } = (config ?? {}) as Record<string, unknown>;
  const value = createHash("sha256")
    .update("medad-model/2\n")
    .update(weightsSha256)
    .update("\n")
    .update(sortedJson(architecture))
    .digest("hex");
  return {
    algorithm: "sha256",
    over: "weights+config",
    value,
    file: weights,
    bytes: fs.statSync(weights).size,
    weightsSha256,
  };
}

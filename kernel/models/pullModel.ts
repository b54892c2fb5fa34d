/**
 * `pullModel`: fetches a CLIP checkpoint in Hugging Face layout into the model cache. Files already present are
 * kept (a file only ever reaches its final name after a complete, verified download); unfinished ones resume.
 */
import * as fs from "fs";
import * as path from "path";
import { DownloadError, DownloadProgress, downloadFile } from "./downloadFile";
import { DEFAULT_REVISION, fileUrl, modelDirName, parseRepoId, resolveCacheRoot, resolveEndpoint } from "./hubLocation";
import { ModelManifest, readManifest, writeManifest } from "./modelManifest";
import { acquirePullLock } from "./pullLock";

/** Files a CLIP model needs: weights, architecture and the BPE tokenizer. */
export const REQUIRED_FILES = ["config.json", "model.safetensors", "vocab.json", "merges.txt"] as const;
/** Fetched when the repo has them. */
export const OPTIONAL_FILES = ["tokenizer_config.json"] as const;

export interface PullOptions {
  repo: string;
  revision?: string;
  /** Cache root (default $MEDAD_CACHE or ~/.cache/medad/models). */
  cacheRoot?: string;
  /** Hub endpoint (default $MEDAD_HF_ENDPOINT, $HF_ENDPOINT or https://huggingface.co). */
  endpoint?: string;
  /** file name -> expected SHA-256, e.g. from `readChecksumManifest`. */
  checksums?: ReadonlyMap<string, string>;
  /** Download again even if a file is present. */
  force?: boolean;
  /** Bearer token for gated/private repos (default $HF_TOKEN). */
  token?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Called when a file starts, is skipped or finishes. */
  onFileEvent?: (e: FileEvent) => void;
  maxRetries?: number;
  retryDelayMs?: number;
}

export type FileEvent =
  | { kind: "start"; file: string; resumeFrom: number }
  | { kind: "present"; file: string }
  | { kind: "absent"; file: string }
  | { kind: "retry"; file: string; attempt: number; maxRetries: number; reason: string }
  | { kind: "done"; file: string; bytes: number; verifiedBy: "manifest" | "etag" | "none"; resumedFrom: number };

export interface PullResult {
  dir: string;
  downloaded: string[];
  present: string[];
  absent: string[];
}

export async function pullModel(opts: PullOptions): Promise<PullResult> {
  parseRepoId(opts.repo);
  const revision = opts.revision || DEFAULT_REVISION;
  const endpoint = resolveEndpoint(opts.endpoint);
  const dir = path.join(resolveCacheRoot(opts.cacheRoot), modelDirName(opts.repo, revision));
  fs.mkdirSync(dir, { recursive: true });
  const release = acquirePullLock(dir, `${opts.repo}@${revision}`);
  try {
    return await pullInto(dir, endpoint, revision, opts);
  } finally {
    release();
  }
}

async function pullInto(dir: string, endpoint: string, revision: string, opts: PullOptions): Promise<PullResult> {
  const previous = readManifest(dir);
  const manifest: ModelManifest =
    previous && previous.repo === opts.repo && previous.revision === revision
      ? { ...previous, endpoint }
      : { repo: opts.repo, revision, endpoint, files: {}, absent: [], expectedSizes: {}, updatedAt: "" };
  const token = opts.token ?? process.env.HF_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const result: PullResult = { dir, downloaded: [], present: [], absent: [] };

  const wanted = [...REQUIRED_FILES.map((file) => ({ file, required: true })), ...OPTIONAL_FILES.map((file) => ({ file, required: false }))];
  for (const { file, required } of wanted) {
    const dest = path.join(dir, file);
    if (!opts.force && fs.existsSync(dest)) {
      result.present.push(file);
      opts.onFileEvent?.({ kind: "present", file });
      continue;
    }
    if (opts.force) fs.rmSync(`${dest}.partial`, { force: true });
    const partialBytes = fs.existsSync(`${dest}.partial`) ? fs.statSync(`${dest}.partial`).size : 0;
    opts.onFileEvent?.({ kind: "start", file, resumeFrom: partialBytes });
    const url = fileUrl(endpoint, opts.repo, revision, file);
    try {
      const r = await downloadFile({
        url,
        dest,
        label: file,
        headers,
        expectedSha256: opts.checksums?.get(file),
        maxRetries: opts.maxRetries,
        retryDelayMs: opts.retryDelayMs,
        onRetry: (info) => opts.onFileEvent?.({ kind: "retry", ...info }),
        onProgress: (p) => {
          if (p.total !== undefined && manifest.expectedSizes[file] !== p.total) {
            manifest.expectedSizes[file] = p.total;
            writeManifest(dir, manifest);
          }
          opts.onProgress?.(p);
        },
      });
      manifest.files[file] = { size: r.bytes, sha256: r.sha256, verifiedBy: r.verifiedBy };
      delete manifest.expectedSizes[file];
      manifest.absent = manifest.absent.filter((f) => f !== file);
      writeManifest(dir, manifest);
      result.downloaded.push(file);
      opts.onFileEvent?.({ kind: "done", file, bytes: r.bytes, verifiedBy: r.verifiedBy, resumedFrom: r.resumedFrom });
    } catch (err) {
      if (err instanceof DownloadError && err.status === 404) {
        if (!required) {
          if (!manifest.absent.includes(file)) manifest.absent.push(file);
          writeManifest(dir, manifest);
          result.absent.push(file);
          opts.onFileEvent?.({ kind: "absent", file });
          continue;
        }
        throw new DownloadError(
          `${file} is not in ${opts.repo} at revision '${revision}' (HTTP 404 at ${url}). ` +
            (file === "model.safetensors"
              ? "MedAD Lab reads safetensors weights only: choose a repo or --revision that has model.safetensors."
              : "Check the repo id and --revision; a CLIP repo in Hugging Face layout has config.json, model.safetensors, vocab.json and merges.txt."),
          404,
        );
      }
      throw err;
    }
  }
  return result;
}

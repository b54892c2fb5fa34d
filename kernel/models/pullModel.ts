/**
 * `pullModel`: fetches a CLIP checkpoint (the first known file set the repo has: FILE_SETS) into the model cache;
 * PyTorch weights are then converted once to a cached safetensors folder (convertedModel.ts). Files already present are
 * kept (a file only ever reaches its final name after a complete, verified download); unfinished ones resume.
 */
import * as fs from "fs";
import * as path from "path";
import { describeWriteFailure } from "../util/fsErrors";
import { DownloadError, DownloadProgress, downloadFile } from "./downloadFile";
import { DEFAULT_REVISION, fileUrl, modelDirName, parseRepoId, resolveCacheRoot, resolveEndpoint } from "./hubLocation";
import { ModelManifest, readManifest, writeManifest } from "./modelManifest";
import { acquirePullLock } from "./pullLock";
import { detectLayout, isHfClipConfig, LayoutKind } from "../engine/weights/modelLayout";
import { convertLayoutDir } from "./convertedModel";

/** The Hugging Face file set with safetensors weights (what the built-in demo model is made of). */
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
  /** No byte for this long counts as a dropped connection and is resumed (default 60 000). */
  idleTimeoutMs?: number;
}

export type FileEvent =
  | { kind: "start"; file: string; resumeFrom: number }
  | { kind: "present"; file: string }
  | { kind: "absent"; file: string }
  | { kind: "retry"; file: string; attempt: number; maxRetries: number; reason: string }
  | { kind: "done"; file: string; bytes: number; verifiedBy: "manifest" | "etag" | "none"; resumedFrom: number }
  | { kind: "ignored"; file: string; reason: string }
  | { kind: "fileset"; layout: LayoutKind; weights: string; tokenizer: "repo" | "vendored" }
  | { kind: "converted"; from: string; dir: string; seconds: number; fresh: boolean };

export interface PullResult {
  dir: string;
  downloaded: string[];
  present: string[];
  absent: string[];
  /** The file set found (modelLayout.ts). */
  layout: LayoutKind;
  weights: string;
  /** "vendored": the repo has no vocab.json/merges.txt, so the bundled CLIP BPE is used. */
  tokenizer: "repo" | "vendored";
  /** For PyTorch weights: the converted safetensors folder that --model <repo> resolves to. */
  converted?: string;
}

export async function pullModel(opts: PullOptions): Promise<PullResult> {
  parseRepoId(opts.repo);
  const revision = opts.revision || DEFAULT_REVISION;
  const endpoint = resolveEndpoint(opts.endpoint);
  const dir = path.join(resolveCacheRoot(opts.cacheRoot), modelDirName(opts.repo, revision));
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw new Error(`model cache ${describeWriteFailure(dir, err)} Or pass --cache DIR (or set MEDAD_CACHE).`);
  }
  const release = acquirePullLock(dir, `${opts.repo}@${revision}`);
  try {
    return await pullInto(dir, endpoint, revision, opts);
  } finally {
    release();
  }
}

/** The file sets tried, in order: a config file (a CLIP config.json, else open_clip_config.json), then its weights. */
export const FILE_SETS = [
  { family: "hf", config: "config.json", weights: ["model.safetensors", "pytorch_model.bin"] },
  {
    family: "open_clip",
    config: "open_clip_config.json",
    weights: ["open_clip_model.safetensors", "open_clip_pytorch_model.bin"],
  },
] as const;
/** Tokenizer files; repos without them (open_clip, timm) use the vendored CLIP BPE. */
export const TOKENIZER_FILES = ["vocab.json", "merges.txt", "tokenizer_config.json"] as const;

async function pullInto(dir: string, endpoint: string, revision: string, opts: PullOptions): Promise<PullResult> {
  const previous = readManifest(dir);
  const manifest: ModelManifest =
    previous && previous.repo === opts.repo && previous.revision === revision
      ? { ...previous, endpoint }
      : { repo: opts.repo, revision, endpoint, files: {}, absent: [], expectedSizes: {}, updatedAt: "" };
  const token = opts.token ?? process.env.HF_TOKEN;
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  const result: PullResult = {
    dir,
    downloaded: [],
    present: [],
    absent: [],
    layout: "hf-safetensors",
    weights: "",
    tokenizer: "repo",
  };

  /** Fetches one file; false when the repo does not have it (404). */
  const fetch = async (file: string): Promise<boolean> => (await fetchState(file)) !== "absent";
  const fetchState = async (file: string): Promise<"present" | "downloaded" | "absent"> => {
    const dest = path.join(dir, file);
    if (!opts.force && fs.existsSync(dest)) {
      result.present.push(file);
      opts.onFileEvent?.({ kind: "present", file });
      return "present";
    }
    if (opts.force) fs.rmSync(`${dest}.partial`, { force: true });
    const partialBytes = fs.existsSync(`${dest}.partial`) ? fs.statSync(`${dest}.partial`).size : 0;
    opts.onFileEvent?.({ kind: "start", file, resumeFrom: partialBytes });
    try {
      const r = await downloadFile({
        url: fileUrl(endpoint, opts.repo, revision, file),
        dest,
        label: file,
        headers,
        expectedSha256: opts.checksums?.get(file),
        maxRetries: opts.maxRetries,
        retryDelayMs: opts.retryDelayMs,
        idleTimeoutMs: opts.idleTimeoutMs,
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
      return "downloaded";
    } catch (err) {
      if (!(err instanceof DownloadError && err.status === 404)) throw err;
      if (!manifest.absent.includes(file)) manifest.absent.push(file);
      writeManifest(dir, manifest);
      result.absent.push(file);
      opts.onFileEvent?.({ kind: "absent", file });
      return "absent";
    }
  };

  const tried: string[] = [];
  for (const set of FILE_SETS) {
    tried.push(set.config);
    const state = await fetchState(set.config);
    if (state === "absent") continue;
    // Only a config fetched now is judged; one already in the folder is the user's to keep.
    if (set.family === "hf" && state === "downloaded" && !isHfClipConfig(readJson(path.join(dir, set.config)))) {
      // timm repos carry their own config.json (e.g. {"architecture": "vit_large_patch14_clip_336", …}).
      fs.rmSync(path.join(dir, set.config));
      delete manifest.files[set.config];
      writeManifest(dir, manifest);
      opts.onFileEvent?.({
        kind: "ignored",
        file: set.config,
        reason: "not a Hugging Face CLIP config (a timm config?)",
      });
      continue;
    }
    let weights: string | undefined;
    for (const w of set.weights) {
      tried.push(w);
      if (await fetch(w)) {
        weights = w;
        break;
      }
    }
    if (!weights) {
      throw new DownloadError(
        `${opts.repo} at revision '${revision}' has ${set.config} but none of ${set.weights.join(", ")} (HTTP 404)`,
        404,
      );
    }
    const got: [string, boolean][] = [];
    for (const f of TOKENIZER_FILES) got.push([f, await fetch(f)]);
    const vocab = got.filter(([f, ok]) => ok && f !== "tokenizer_config.json").length;
    const lacking = got.find(([f, ok]) => !ok && f !== "tokenizer_config.json")?.[0];
    if (vocab === 1) {
      throw new DownloadError(
        `${lacking} is not in ${opts.repo} at revision '${revision}' (HTTP 404), but its partner is: the ` +
          "tokenizer needs both vocab.json and merges.txt. Check the repo id and --revision.",
        404,
      );
    }
    result.tokenizer = vocab === 2 ? "repo" : "vendored";
    result.weights = weights;
    result.layout = `${set.family}-${weights.endsWith(".safetensors") ? "safetensors" : "pytorch"}` as LayoutKind;
    manifest.layout = result.layout;
    writeManifest(dir, manifest);
    opts.onFileEvent?.({ kind: "fileset", layout: result.layout, weights, tokenizer: result.tokenizer });
    if (result.layout.endsWith("pytorch")) {
      const layout = detectLayout(dir);
      if (!layout) throw new Error(`${dir}: the ${result.layout} file set is incomplete after the download`);
      const c = convertLayoutDir(layout, opts.cacheRoot);
      result.converted = c.dir;
      opts.onFileEvent?.({ kind: "converted", from: weights, dir: c.dir, seconds: c.seconds, fresh: c.fresh });
    }
    return result;
  }
  throw new DownloadError(
    `${opts.repo} at revision '${revision}' has no known CLIP file set (tried ${tried.join(", ")}): MedAD Lab reads Hugging Face CLIP ` +
      "repos (config.json + model.safetensors or pytorch_model.bin) and open_clip repos (open_clip_config.json + " +
      "open_clip_model.safetensors or open_clip_pytorch_model.bin). Check the repo id and --revision.",
    404,
  );
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

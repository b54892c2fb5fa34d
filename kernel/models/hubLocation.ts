/**
 * Where models come from and where they go: the Hugging Face endpoint, repository ids, the cache folder of a
 * repo/revision, and the URL of one file (`<endpoint>/<repo>/resolve/<revision>/<file>`, the Hub's layout).
 */
import * as os from "os";
import * as path from "path";

export const DEFAULT_ENDPOINT = "https://huggingface.co";
export const DEFAULT_REVISION = "main";

/** `--endpoint`, else $MEDAD_HF_ENDPOINT, else $HF_ENDPOINT (huggingface_hub's variable), else the Hub. */
export function resolveEndpoint(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = explicit || env.MEDAD_HF_ENDPOINT || env.HF_ENDPOINT || DEFAULT_ENDPOINT;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`endpoint ${JSON.stringify(value)} is not a URL; pass e.g. --endpoint https://huggingface.co`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`endpoint ${value} must be http(s)`);
  return value.replace(/\/+$/, "");
}

/** `--cache`, else $MEDAD_CACHE, else ~/.cache/medad/models; each repo gets a folder inside it. */
/**
 * Folders of the model cache that hold our own bookkeeping, not pulled repos: `converted/` (safetensors copies of
 * PyTorch checkpoints, convertedModel.ts) and `digests/` (remembered weight digests, methods/modelHash.ts).
 */
export const CACHE_CONVERTED_DIR = "converted";
export const CACHE_DIGESTS_DIR = "digests";
export const CACHE_INTERNAL_DIRS: ReadonlySet<string> = new Set([CACHE_CONVERTED_DIR, CACHE_DIGESTS_DIR]);

export function resolveCacheRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(explicit || env.MEDAD_CACHE || path.join(os.homedir(), ".cache", "medad", "models"));
}

const repoPart = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Validates "org/name" (the Hub's repository id form). */
export function parseRepoId(repo: string): { org: string; name: string } {
  const parts = repo.split("/");
  if (parts.length !== 2 || !parts.every((p) => repoPart.test(p) && !p.includes(".."))) {
    throw new Error(`'${repo}' is not a Hugging Face repo id; write it as org/name, e.g. openai/clip-vit-base-patch16`);
  }
  return { org: parts[0], name: parts[1] };
}

/** Cache folder of a repo at a revision: `<org>--<name>`, plus `@<revision>` when it is not main. */
export function modelDirName(repo: string, revision = DEFAULT_REVISION): string {
  const { org, name } = parseRepoId(repo);
  const base = `${org}--${name}`;
  return revision === DEFAULT_REVISION ? base : `${base}@${revision.replace(/[^A-Za-z0-9._-]/g, "_")}`;
}

export function fileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  // Revisions such as refs/pr/3 are one path segment on the Hub, so the slash is escaped.
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split("/").map(encodeURIComponent).join("/")}`;
}

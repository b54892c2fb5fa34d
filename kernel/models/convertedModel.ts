/**
 * PyTorch checkpoints (a pulled hf-pytorch / open_clip-pytorch folder, or a local .pt/.bin file) become a plain
 * safetensors model folder in the cache, once: `<cache>/converted/<name>-<key>/`, keyed by the source's real path,
 * size and mtime (and the architecture named with `#ARCH`), built in a temporary folder and renamed into place.
 * The folder holds the converted weights under the same names, the config (copied, or written from the named or
 * inferred architecture) and the tokenizer files when the source has them.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { convertTorchToSafetensors } from "../engine/weights/convertCheckpoint";
import { WeightsError } from "../engine/weights/errors";
import { LAYOUT_FILES, ModelLayout } from "../engine/weights/modelLayout";
import {
  architectureFromOpenAiFileName,
  inferOpenAiArchitecture,
  namedArchitecture,
  OpenClipModelCfg,
} from "../engine/weights/openClipArchitectures";
import { TorchCheckpoint } from "../engine/weights/torchCheckpoint";
import { writeFileAtomic } from "../util/atomicWrite";
import { CACHE_CONVERTED_DIR, resolveCacheRoot } from "./hubLocation";

const TOKENIZER_FILES = ["vocab.json", "merges.txt", "tokenizer_config.json"];
export const CONVERTED_NOTE = "medad-converted.json";

export interface ConvertedModel {
  dir: string;
  /** False when an earlier conversion was reused. */
  fresh: boolean;
  seconds: number;
}

function keyOf(weights: string, arch: string | undefined): string {
  const real = fs.realpathSync(weights);
  const st = fs.statSync(real);
  return createHash("sha256")
    .update(JSON.stringify([real, st.size, st.mtimeMs, arch ?? ""]))
    .digest("hex")
    .slice(0, 16);
}

function install(target: string, build: (tmp: string) => void): boolean {
  if (fs.existsSync(path.join(target, CONVERTED_NOTE))) return false;
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp);
  try {
    build(tmp);
    fs.rmSync(target, { recursive: true, force: true }); // a folder without the note is a leftover, never a result
    fs.renameSync(tmp, target);
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    if (fs.existsSync(path.join(target, CONVERTED_NOTE))) return false; // another process finished first
    throw e;
  }
  return true;
}

/** A folder with a PyTorch file set (detectLayout) → its converted safetensors folder. */
export function convertLayoutDir(layout: ModelLayout, cacheRoot?: string): ConvertedModel {
  const started = Date.now();
  const src = path.dirname(layout.weights);
  const target = path.join(
    resolveCacheRoot(cacheRoot),
    CACHE_CONVERTED_DIR,
    `${path.basename(src)}-${keyOf(layout.weights, undefined)}`,
  );
  const out = layout.kind === "hf-pytorch" ? LAYOUT_FILES["hf-safetensors"] : LAYOUT_FILES["open_clip-safetensors"];
  const fresh = install(target, (tmp) => {
    convertTorchToSafetensors(layout.weights, path.join(tmp, out.weights));
    fs.copyFileSync(layout.config, path.join(tmp, out.config));
    for (const f of TOKENIZER_FILES)
      if (fs.existsSync(path.join(src, f))) fs.copyFileSync(path.join(src, f), path.join(tmp, f));
    writeNote(tmp, layout.weights, layout.kind);
  });
  return { dir: target, fresh, seconds: (Date.now() - started) / 1000 };
}

/**
 * A single weights file (`ViT-L-14-336px.pt`, `open_clip_pytorch_model.bin`, `…/pytorch_model.bin`), optionally with
 * `#ARCH` naming an open_clip architecture → a converted folder. The config comes from, in order: a config file next
 * to it, the named architecture, OpenAI's shape rule (TorchScript archives and OpenAI's release file names).
 */
export function convertWeightsFile(file: string, arch: string | undefined, cacheRoot?: string): ConvertedModel {
  const started = Date.now();
  const src = path.dirname(file);
  const base = path.basename(file);
  const target = path.join(
    resolveCacheRoot(cacheRoot),
    CACHE_CONVERTED_DIR,
    `${base.replace(/[^\w.-]+/g, "_")}-${keyOf(file, arch)}`,
  );
  const fresh = install(target, (tmp) => {
    const ck = TorchCheckpoint.open(file);
    let openaiNames: boolean;
    let shapes: Map<string, number[]>;
    let kind: string;
    try {
      const names = ck.names();
      openaiNames = names.some((n) => n.startsWith("visual.") || n.startsWith("transformer.resblocks."));
      shapes = new Map(names.map((n) => [n, ck.info(n).shape]));
      kind = ck.kind;
    } finally {
      ck.close();
    }
    const out = LAYOUT_FILES[openaiNames ? "open_clip-safetensors" : "hf-safetensors"];
    const nextTo = path.join(src, out.config);
    let cfg: OpenClipModelCfg | undefined;
    if (arch) cfg = namedArchitecture(arch, file);
    else if (fs.existsSync(nextTo)) fs.copyFileSync(nextTo, path.join(tmp, out.config));
    else if (openaiNames && (kind === "torchscript" || architectureFromOpenAiFileName(base)))
      cfg = inferOpenAiArchitecture(shapes, file);
    else {
      throw new WeightsError(
        file,
        undefined,
        `no ${out.config} next to it and the architecture cannot be told from the weights alone ` +
          `(GELU or QuickGELU?): name it as ${file}#ViT-L-14-336 (or ViT-L-14-336-quickgelu for OpenAI weights)`,
      );
    }
    if (cfg)
      writeFileAtomic(
        path.join(tmp, out.config),
        JSON.stringify(
          { model_cfg: cfg, medad_inferred: arch ? `named ${arch}` : "from tensor shapes (OpenAI rule)" },
          null,
          2,
        ) + "\n",
      );
    convertTorchToSafetensors(file, path.join(tmp, out.weights));
    for (const f of TOKENIZER_FILES)
      if (fs.existsSync(path.join(src, f))) fs.copyFileSync(path.join(src, f), path.join(tmp, f));
    writeNote(tmp, file, kind);
  });
  return { dir: target, fresh, seconds: (Date.now() - started) / 1000 };
}

function writeNote(dir: string, source: string, kind: string): void {
  const st = fs.statSync(source);
  writeFileAtomic(
    path.join(dir, CONVERTED_NOTE),
    JSON.stringify(
      { source: fs.realpathSync(source), kind, bytes: st.size, convertedAt: new Date().toISOString() },
      null,
      2,
    ) + "\n",
  );
}

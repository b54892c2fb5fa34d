/**
 * Builds the image–caption pretraining corpus of medad/demo-clip (issue 17): real pictures shipped by Debian/npm
 * packages (sources.ts) plus procedural ones, augmented to `size` square PNGs; about 40 % of the medical copies are
 * altered by a synthesis task (45 % drawn, a few rejected as invisible) and captioned as abnormal. Deterministic for a
 * seed (same bytes), written atomically, and every origin checked against the holdout (holdout.ts) before it is written.
 */
import * as fs from "fs";
import * as path from "path";
import { encodePng8 } from "../../imaging/pngEncode";
import { checkAbort } from "../../util/cancellation";
import { Rng } from "../../util/random/rng";
import { captionFor } from "./captions";
import { assertAllowedOrigin } from "./holdout";
import { proceduralImage } from "./procedural";
import { augmentedCopy, Square } from "./sampler";
import { CORPUS_SOURCES, CorpusSource, resolveSourceFiles } from "./sources";
import { alterCopy } from "./synthAlter";
import type { BaseImage, BuildCorpusOptions, CaptionKind, CorpusSummary, ManifestEntry } from "./types";

const STOPPED = "corpus build aborted; the previous corpus folder is left as it was";

export const DEFAULT_CORPUS_SIZE = 4000;
export const CORPUS_IMAGE_SIZE = 224;
/** Share of medical copies altered by a synthesis task. */
export const ALTERED_SHARE = 0.45;
const PROCEDURAL_WEIGHT = 0.17;
const PROCEDURAL_ID = "procedural";

interface Loaded {
  src: CorpusSource;
  bases: BaseImage[];
}

/** Loads every source whose files are installed; a missing or unreadable one becomes a warning naming the fix. */
export function loadSources(
  sources: readonly CorpusSource[] = CORPUS_SOURCES,
): { loaded: Loaded[]; warnings: string[] } {
  const loaded: Loaded[] = [];
  const warnings: string[] = [];
  for (const src of sources) {
    const files = resolveSourceFiles(src);
    const missing = files.filter((f) => !fs.existsSync(f));
    if (missing.length) {
      const more = missing.length > 1 ? ` (+${missing.length - 1} more)` : "";
      warnings.push(`source ${src.id} skipped: ${missing[0]}${more} ` +
        `not found; ${src.install}`);
      continue;
    }
    try {
      const bases = src.load(files);
      if (bases.length) loaded.push({ src, bases });
      else warnings.push(`source ${src.id} skipped: no usable picture in ${files[0]}`);
    } catch (err) {
      warnings.push(`source ${src.id} skipped: ${(err as Error).message}`);
    }
  }
  return { loaded, warnings };
}

/** Integer quotas proportional to the weights, summing to `size` (largest remainders first). */
export function quotas(weights: readonly number[], size: number): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (size * w) / total);
  const q = exact.map(Math.floor);
  const order = exact.map((e, i) => [e - Math.floor(e), i]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; q.reduce((a, b) => a + b, 0) < size; k++) q[order[k % order.length][1]]++;
  return q;
}

function toPng(img: Square): { png: Buffer; color: "gray" | "rgb" } {
  const px = new Uint8Array(img.data.length);
  for (let i = 0; i < px.length; i++) px[i] = Math.round(Math.min(1, Math.max(0, img.data[i])) * 255);
  const color = img.channels === 1 ? "gray" : "rgb";
  return { png: encodePng8(img.size, img.size, px, color), color };
}

function count(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}


export async function buildCorpus(opts: BuildCorpusOptions): Promise<CorpusSummary> {
  const size = opts.size ?? DEFAULT_CORPUS_SIZE;
  if (!Number.isInteger(size) || size < 1) throw new Error(`buildCorpus: size must be a positive integer, got ${size}`);
  if (!Number.isInteger(opts.seed) || opts.seed < 0) {
    throw new Error(`buildCorpus: seed must be a non-negative integer, got ${opts.seed}`);
  }
  checkAbort(opts.signal, STOPPED);
  const outDir = path.resolve(opts.outDir);
  const S = CORPUS_IMAGE_SIZE;
  opts.onProgress?.(0, size, "reading sources");
  const { loaded, warnings } = loadSources();
  const q = quotas([...loaded.map((l) => l.src.weight), PROCEDURAL_WEIGHT], size);

  const parent = path.dirname(outDir);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(outDir)}.tmp-`));
  fs.chmodSync(tmp, 0o755);
  try {
    fs.mkdirSync(path.join(tmp, "images"));
    const entries: ManifestEntry[] = [];
    const master = new Rng(opts.seed);
    const write = (img: Square, e: Omit<ManifestEntry, "file" | "color">): void => {
      assertAllowedOrigin(e.origin);
      const file = `images/${String(entries.length).padStart(5, "0")}.png`;
      const { png, color } = toPng(img);
      fs.writeFileSync(path.join(tmp, file), png);
      entries.push({ file, ...e, color });
    };
    const tick = async (what: string): Promise<void> => {
      checkAbort(opts.signal, STOPPED);
      if (entries.length % 25 === 0) {
        opts.onProgress?.(entries.length, size, what);
        await new Promise((r) => setImmediate(r));
      }
    };
    for (let s = 0; s < loaded.length; s++) {
      const { src, bases } = loaded[s];
      const rng = master.fork(s + 1);
      const order = rng.sample(bases, bases.length);
      for (let j = 0; j < q[s]; j++) {
        await tick(src.id);
        const b = order[j % order.length];
        let img = augmentedCopy(b, src.crop, S, rng);
        let synth: string | null = null;
        let kind: CaptionKind = src.medical ? "normal" : "plain";
        if (src.medical && rng.chance(ALTERED_SHARE)) {
          const altered = alterCopy(img, rng.fork(j), src.crop === "whole" || src.crop === "mixed");
          if (altered) {
            img = altered.image;
            synth = altered.task;
            kind = "abnormal";
          }
        }
        const caption = captionFor(b.subject, kind, rng);
        write(img, { caption, source: src.id, licence: src.licence, origin: b.origin, synth, kind });
      }
    }
    const prng = master.fork(1000);
    for (let j = 0; j < q[q.length - 1]; j++) {
      await tick(PROCEDURAL_ID);
      const { image, phrase } = proceduralImage(S, prng);
      const caption = captionFor({ modality: "picture", phrase }, "plain", prng);
      write(image, { caption, source: PROCEDURAL_ID, licence: "MIT (generated by MedAD Lab)",
        origin: "procedural:kernel/data/corpus/procedural.ts", synth: null, kind: "plain" });
    }
    const summary: CorpusSummary = {
      outDir, seed: opts.seed, size, imageSize: S, total: entries.length, bySource: {}, byLicence: {}, byKind: {},
      bySynth: {}, byColor: {}, warnings,
    };
    for (const e of entries) {
      count(summary.bySource, e.source);
      count(summary.byLicence, e.licence);
      count(summary.byKind, e.kind);
      count(summary.bySynth, e.synth ?? "none");
      count(summary.byColor, e.color);
    }
    fs.writeFileSync(path.join(tmp, "manifest.jsonl"), entries.map((e) => JSON.stringify(e)).join("\n") + "\n");
    // outDir is machine-specific, so it stays out of the file (the folder must be the same bytes wherever built).
    fs.writeFileSync(path.join(tmp, "summary.json"), JSON.stringify({ ...summary, outDir: undefined }, null, 2) + "\n");
    const old = fs.existsSync(outDir) ? `${tmp}.old` : undefined;
    if (old) fs.renameSync(outDir, old);
    fs.renameSync(tmp, outDir);
    if (old) fs.rmSync(old, { recursive: true, force: true });
    opts.onProgress?.(entries.length, size, "done");
    return summary;
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

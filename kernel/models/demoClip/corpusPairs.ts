// Corpus folder (manifest.jsonl + images, written by kernel/data/corpus) → PairData for the contrastive loop.
// Images are decoded once and kept as STORE_SIZE² RGB bytes; each draw takes a random square crop (side 70–100 %),
// flips it half the time and resizes it bilinearly to the training size. 3 in 4 draws feed [0, 1] pixels (the MVFA /
// PatchCore / zero-shot preprocessing), 1 in 4 CLIP mean/std-normalised ones (MediCLIP's), so both pipelines see
// inputs the model was trained on.
import * as fs from "fs";
import * as path from "path";
import type { PairData } from "../../engine/train/contrastive";
import type { Rng } from "../../util/random/rng";
import { readRgb } from "../../imaging/decode";
import { resize } from "../../imaging/resize";
import { CLIP_MEAN, CLIP_STD } from "../../imaging/tensor";
import type { ClipTokenizer } from "../../tokenizer/clipTokenizer";

export interface CorpusEntry {
  file: string;
  caption: string;
  source: string;
  licence: string;
  [k: string]: unknown;
}

export function readManifest(dir: string): CorpusEntry[] {
  const file = path.join(dir, "manifest.jsonl");
  if (!fs.existsSync(file))
    throw new Error(`${file} not found: build the corpus first (medad data build-corpus --out ${dir} --seed N)`);
  const out: CorpusEntry[] = [];
  fs.readFileSync(file, "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (!line.trim()) return;
      let e: CorpusEntry;
      try {
        e = JSON.parse(line) as CorpusEntry;
      } catch (err) {
        throw new Error(`${file}:${i + 1}: not JSON (${(err as Error).message}); rebuild the corpus`);
      }
      if (typeof e.file !== "string" || typeof e.caption !== "string")
        throw new Error(`${file}:${i + 1}: needs string fields "file" and "caption"`);
      out.push(e);
    });
  return out;
}

export function corpusPairs(
  dir: string,
  tokenizer: ClipTokenizer,
  size: number,
  store: number,
  context = 77,
): PairData & { entries: CorpusEntry[] } {
  const entries = readManifest(dir);
  const pixels = new Uint8Array(entries.length * store * store * 3);
  const ids: Int32Array[] = [];
  entries.forEach((e, i) => {
    const img = resize(readRgb(path.join(dir, e.file)), store, store, "bilinear");
    const d = img.data;
    const n = store * store * 3;
    for (let k = 0; k < n; k++)
      pixels[i * n + k] = d instanceof Uint8Array ? d[k] : Math.round(Math.min(1, Math.max(0, d[k])) * 255);
    ids.push(tokenizer.tokenize(e.caption, { contextLength: context }).ids);
  });
  return {
    entries,
    count: entries.length,
    ids: (i) => ids[i],
    image(i: number, out: Float32Array, rng: Rng) {
      const side = store * (0.7 + 0.3 * rng.next());
      const x0 = rng.next() * (store - side);
      const y0 = rng.next() * (store - side);
      const flip = rng.next() < 0.5;
      const norm = rng.next() < 0.25;
      const base = i * store * store * 3;
      const scale = side / size;
      for (let y = 0; y < size; y++) {
        const sy = Math.min(store - 1, Math.max(0, y0 + (y + 0.5) * scale - 0.5));
        const yi = Math.min(store - 2, Math.floor(sy));
        const fy = sy - yi;
        for (let x = 0; x < size; x++) {
          const xx = flip ? size - 1 - x : x;
          const sx = Math.min(store - 1, Math.max(0, x0 + (xx + 0.5) * scale - 0.5));
          const xi = Math.min(store - 2, Math.floor(sx));
          const fx = sx - xi;
          for (let c = 0; c < 3; c++) {
            const at = (yy: number, xq: number) => pixels[base + (yy * store + xq) * 3 + c];
            const v =
              ((1 - fy) * ((1 - fx) * at(yi, xi) + fx * at(yi, xi + 1)) +
                fy * ((1 - fx) * at(yi + 1, xi) + fx * at(yi + 1, xi + 1))) /
              255;
            out[c * size * size + y * size + x] = norm ? (v - CLIP_MEAN[c]) / CLIP_STD[c] : v;
          }
        }
      }
    },
  };
}

/**
 * A PNG contact sheet: one row of normal and one row of abnormal thumbnails, abnormal ones with their mask outline
 * in red. Tiles are framed green (normal) or red (abnormal) so the picture needs no text rendering.
 */
import { encodePng8 } from "../../imaging/pngEncode";
import { readImage, readMask } from "../../imaging/readImage";
import { resize } from "../../imaging/resize";
import type { Window } from "../../imaging/window";
import { Dataset, Sample } from "../types";

export interface GridOptions {
  /** Thumbnails per row (default 8). */
  perRow?: number;
  /** Tile side in pixels (default 96). */
  tile?: number;
  /** Window of greyscale DICOM images (default: each file's own, see imaging/window.ts). */
  window?: Window;
}

const GAP = 4;
const FRAME = 2;
const GREEN = [40, 170, 80];
const RED = [220, 40, 40];

/** Evenly spaced picks from a path-sorted list: deterministic and spread over subjects/categories. */
function pick(samples: Sample[], n: number): Sample[] {
  const sorted = [...samples].sort((a, b) => (a.path < b.path ? -1 : 1));
  if (sorted.length <= n) return sorted;
  return Array.from({ length: n }, (_, i) => sorted[Math.floor((i * sorted.length) / n)]);
}

function drawTile(
  canvas: Uint8Array,
  width: number,
  x0: number,
  y0: number,
  tile: number,
  s: Sample,
  window: Window | undefined,
): void {
  const color = s.label === "abnormal" ? RED : GREEN;
  for (let y = 0; y < tile + 2 * FRAME; y++) {
    for (let x = 0; x < tile + 2 * FRAME; x++) {
      const o = ((y0 + y) * width + x0 + x) * 3;
      canvas[o] = color[0];
      canvas[o + 1] = color[1];
      canvas[o + 2] = color[2];
    }
  }
  let img;
  try {
    img = resize(readImage(s.path, { mode: "rgb", window }), tile, tile, "bilinear");
  } catch {
    return; // validated at load; a file changed since then shows as an empty frame
  }
  const scale = img.data instanceof Uint8Array ? 1 : 255;
  for (let y = 0; y < tile; y++) {
    for (let x = 0; x < tile; x++) {
      const o = ((y0 + FRAME + y) * width + x0 + FRAME + x) * 3;
      for (let c = 0; c < 3; c++) canvas[o + c] = Math.round(img.data[(y * tile + x) * 3 + c] * scale);
    }
  }
  if (!s.maskPath) return;
  let mask;
  try {
    const m = readMask(s.maskPath, s.maskThreshold ?? 0);
    mask = resize({ width: m.width, height: m.height, channels: 1, data: m.data }, tile, tile, "nearest").data;
  } catch {
    return;
  }
  for (let y = 0; y < tile; y++) {
    for (let x = 0; x < tile; x++) {
      if (!mask[y * tile + x]) continue;
      const edge = x === 0 || y === 0 || x === tile - 1 || y === tile - 1 || !mask[y * tile + x - 1] || !mask[y * tile + x + 1] || !mask[(y - 1) * tile + x] || !mask[(y + 1) * tile + x];
      if (!edge) continue;
      const o = ((y0 + FRAME + y) * width + x0 + FRAME + x) * 3;
      canvas[o] = 255;
      canvas[o + 1] = 0;
      canvas[o + 2] = 0;
    }
  }
}

export function thumbnailGrid(ds: Dataset, opts: GridOptions = {}): Uint8Array {
  const perRow = opts.perRow ?? 8;
  const tile = opts.tile ?? 96;
  // Prefer the test split (what gets scored); fall back to everything.
  const pool = ds.samples.some((s) => s.split === "test") ? ds.samples.filter((s) => s.split === "test") : [...ds.samples];
  const rows = [pick(pool.filter((s) => s.label === "normal"), perRow), pick(pool.filter((s) => s.label === "abnormal"), perRow), pick(pool.filter((s) => s.label === "unknown"), perRow)].filter((r) => r.length > 0);
  const cell = tile + 2 * FRAME + GAP;
  const width = GAP + perRow * cell;
  const height = GAP + Math.max(1, rows.length) * cell;
  const canvas = new Uint8Array(width * height * 3).fill(255);
  rows.forEach((row, r) => row.forEach((s, i) => drawTile(canvas, width, GAP + i * cell, GAP + r * cell, tile, s, opts.window)));
  return encodePng8(width, height, canvas, "rgb");
}

// The picture `%synth` shows: per synthetic sample one column — the synthetic image with its anomaly mask outlined
// in red on top, the label map the loss trains towards (black 0 … white 1) underneath, and the task name — so users
// see what MediCLIP trains on. Pure raster drawing, deterministic bytes.
import type { Rgb } from "../../protocol/colormap";
import { drawTitle, INK, MUTED } from "../raster/axes";
import { Canvas } from "../raster/canvas";

export interface SynthTile {
  /** Row-major S×S intensities on the 0–255 scale. */
  image: ArrayLike<number>;
  /** Row-major S×S, 1 where an anomaly was placed. */
  mask: ArrayLike<number>;
  /** Row-major S×S in [0, 1]. */
  label: ArrayLike<number>;
  size: number;
  caption: string;
  /** Second caption line (e.g. the source file). */
  note?: string;
}

export const SYNTH_GRID_LAYOUT = { tile: 128, columns: 6, gap: 12, margin: 16, top: 40, caption: 30 } as const;
const OUTLINE: Rgb = [230, 40, 40];

/** Mask pixels within 2 px of the outside (2 px, so the outline survives the tile's downscaling). */
function isEdge(mask: ArrayLike<number>, size: number, r: number, c: number): boolean {
  if (!mask[r * size + c]) return false;
  for (let d = 1; d <= 2; d++) {
    for (const [rr, cc] of [
      [r - d, c],
      [r + d, c],
      [r, c - d],
      [r, c + d],
    ]) {
      if (rr < 0 || cc < 0 || rr >= size || cc >= size || !mask[rr * size + cc]) return true;
    }
  }
  return false;
}

export function synthGridPng(
  tiles: readonly SynthTile[],
  title = "Synthetic anomalies (top) and training labels (bottom)",
): Buffer {
  const { tile, columns, gap, margin, top, caption } = SYNTH_GRID_LAYOUT;
  const cols = Math.max(1, Math.min(columns, tiles.length));
  const blocks = Math.max(1, Math.ceil(tiles.length / cols));
  const blockH = 2 * tile + 4 + caption + gap;
  const canvas = new Canvas(margin * 2 + cols * tile + (cols - 1) * gap, top + blocks * blockH);
  drawTitle(canvas, title, canvas.width / 2, 18, 1);
  tiles.forEach((t, k) => {
    const x = margin + (k % cols) * (tile + gap);
    const y = top + Math.floor(k / cols) * blockH;
    const s = t.size;
    const grey = (v: number): Rgb => {
      const g = Math.round(Math.min(255, Math.max(0, v)));
      return [g, g, g];
    };
    // Nearest sampling keeps the one-pixel outline visible when the tile is smaller than the image.
    const at = (sx: number, sy: number) => sy * s + sx;
    canvas.blit(
      { width: s, height: s, rgb: (sx, sy) => (isEdge(t.mask, s, sy, sx) ? OUTLINE : grey(t.image[at(sx, sy)])) },
      x,
      y,
      tile,
      tile,
    );
    canvas.blit({ width: s, height: s, rgb: (sx, sy) => grey(255 * t.label[at(sx, sy)]) }, x, y + tile + 4, tile, tile);
    canvas.text(x, y + 2 * tile + 8, t.caption, INK, 1);
    if (t.note)
      canvas.text(
        x,
        y + 2 * tile + 19,
        t.note.length > 21 ? `${t.note.slice(0, 9)}..${t.note.slice(-10)}` : t.note,
        MUTED,
        1,
      );
  });
  return canvas.toPng();
}

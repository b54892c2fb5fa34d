import { colormapTable, type Rgb } from "../../protocol/colormap";
import { composeCase, decodeCase, sortCases, thresholdLevel } from "../../protocol/heatmapCompose";
import type { HeatmapPayload } from "../../protocol/viz";
import { distinctSuffixes, keepEnd } from "../../protocol/labels";
import { drawTitle, INK, MUTED } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { ADVANCE } from "../raster/font";

export const HEATMAP_LAYOUT = {
  tile: 176,
  columns: 5,
  gap: 16,
  margin: 24,
  top: 56,
  caption: 48,
  maxTiles: 30,
  colorbar: 56,
  minWidth: 448,
} as const;

const ANOMALOUS: Rgb = [200, 30, 30];
const NORMAL: Rgb = [30, 130, 60];

export function heatmapPng(payload: HeatmapPayload): Buffer {
  return drawHeatmap(payload).toPng();
}

/**
 * A grid of cases sorted by score (highest first) with overlay and contour, a caption per tile and a colour bar.
 * Captions: the part of the file name that differs between cases (the folders they share are left out), the score,
 * then the label, each on its own line so nothing is drawn over anything else.
 */
export function drawHeatmap(payload: HeatmapPayload): Canvas {
  const { tile, columns, gap, margin, top, caption, maxTiles, colorbar, minWidth } = HEATMAP_LAYOUT;
  const cases = sortCases(payload.cases).slice(0, maxTiles);
  const cols = Math.max(1, Math.min(columns, cases.length));
  const rows = Math.max(1, Math.ceil(cases.length / cols));
  // At least as wide as the colour bar and its threshold line.
  const width = Math.max(minWidth, margin * 2 + cols * tile + (cols - 1) * gap);
  const canvas = new Canvas(width, top + rows * (tile + caption + gap) + colorbar);
  drawTitle(canvas, payload.title ?? "Anomaly maps", canvas.width / 2, 22);
  const lut = colormapTable(payload.colormap);
  const level = thresholdLevel(payload, payload.threshold);
  const names = distinctSuffixes(cases.map((c) => c.id));
  cases.forEach((c, k) => {
    const x = margin + (k % cols) * (tile + gap);
    const y = top + Math.floor(k / cols) * (tile + caption + gap);
    const rgba = composeCase(c, decodeCase(c), lut, level, payload.alpha);
    // Keep the aspect ratio inside the square tile.
    const s = tile / Math.max(c.width, c.height);
    const w = Math.round(c.width * s);
    const h = Math.round(c.height * s);
    canvas.blit(
      {
        width: c.width,
        height: c.height,
        rgb: (sx, sy) => [
          rgba[4 * (sy * c.width + sx)],
          rgba[4 * (sy * c.width + sx) + 1],
          rgba[4 * (sy * c.width + sx) + 2],
        ],
      },
      x + (tile - w) / 2,
      y + (tile - h) / 2,
      w,
      h,
    );
    const prefix = `${k + 1}. `;
    canvas.text(x, y + tile + 5, prefix + keepEnd(names[k], Math.floor((tile + 1) / ADVANCE) - prefix.length), INK, 1);
    canvas.text(x, y + tile + 17, `score ${formatScore(c.score)}`, INK, 2);
    const state = c.label === null ? "" : c.label ? "anomalous" : "normal";
    if (state) canvas.text(x, y + tile + 36, state, c.label ? ANOMALOUS : NORMAL, 1);
  });
  // Colour bar over the map range with its end values underneath and the threshold marked.
  const barX = margin;
  const barY = canvas.height - colorbar + 4;
  const barW = Math.min(400, canvas.width - 2 * margin);
  for (let i = 0; i < barW; i++) {
    const m = Math.round((i / (barW - 1)) * 255);
    canvas.fillRect(barX + i, barY, 1, 12, [lut[3 * m], lut[3 * m + 1], lut[3 * m + 2]]);
  }
  const [lo, hi] = payload.mapRange;
  canvas.text(barX, barY + 16, formatScore(lo), INK, 1);
  canvas.label(barX + barW, barY + 20, formatScore(hi), INK, 1, "right");
  const tx = barX + (hi > lo ? ((payload.threshold - lo) / (hi - lo)) * barW : 0);
  canvas.fillRect(Math.round(Math.max(barX, Math.min(barX + barW - 2, tx))), barY - 4, 2, 20, INK);
  const more = (payload.totalCases ?? payload.cases.length) - cases.length;
  canvas.text(
    barX,
    barY + 32,
    `threshold ${formatScore(payload.threshold)}${more > 0 ? `   (${more} more cases not shown)` : ""}`,
    MUTED,
    1,
  );
  return canvas;
}

export function formatScore(v: number): string {
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1000 || a < 0.001 ? v.toExponential(2) : v.toPrecision(3);
}

import type { Rgb } from "../../protocol/colormap";
import { wrapWords } from "../../protocol/labels";
import type { Canvas } from "./canvas";
import { ADVANCE, textHeight, textWidth } from "./font";

export const LEGEND_INK: Rgb = [34, 34, 34];
const FRAME: Rgb = [200, 200, 200];
const DETAIL: Rgb = [90, 90, 90];

export interface LegendEntry {
  /** Shown in full, wrapped at spaces to the legend's width. */
  label: string;
  /** Further lines under the label (e.g. "AUROC 0.832 [0.750, 0.901]"). */
  detail?: string;
  color: Rgb;
  kind: "line" | "dot";
  /** A light box behind the line swatch: the curve has a shaded confidence band. */
  band?: boolean;
}

/** A measured legend: where each line of text goes, relative to the legend's top-left corner. */
export interface LegendLayout {
  width: number;
  height: number;
  scale: number;
  rows: { entry: LegendEntry; top: number; lines: string[]; labelLines: number }[];
}

const PAD = 8;
const SWATCH = 36;

/**
 * Lays out entries in one column no wider than maxWidth: swatch, then the label wrapped to the room left, then its
 * detail. Nothing is cut: long names take more lines.
 */
export function layoutLegend(entries: LegendEntry[], maxWidth: number, scale = 2): LegendLayout {
  const lineHeight = textHeight(scale) + 4;
  const maxChars = Math.max(4, Math.floor((maxWidth - 2 * PAD - SWATCH + scale) / (ADVANCE * scale)));
  let top = PAD;
  let widest = 0;
  const rows = entries.map((entry) => {
    const label = wrapWords(entry.label, maxChars);
    const lines = [...label, ...(entry.detail ? wrapWords(entry.detail, maxChars) : [])];
    const row = { entry, top, lines, labelLines: label.length };
    top += lines.length * lineHeight + 6;
    widest = Math.max(widest, ...lines.map((l) => textWidth(l, scale)));
    return row;
  });
  if (entries.length === 0) return { width: 0, height: 0, scale, rows };
  return { width: 2 * PAD + SWATCH + widest, height: top - 6 + PAD, scale, rows };
}

/** Draws a laid-out legend with its top-left corner at (x, y), framed, on white. */
export function drawLegendLayout(canvas: Canvas, layout: LegendLayout, x: number, y: number): void {
  if (layout.rows.length === 0) return;
  const { scale } = layout;
  const lineHeight = textHeight(scale) + 4;
  canvas.fillRect(x, y, layout.width, layout.height, [255, 255, 255]);
  canvas.strokeRect(x, y, layout.width, layout.height, FRAME);
  for (const { entry, top, lines, labelLines } of layout.rows) {
    const cy = y + top + textHeight(scale) / 2;
    if (entry.band) canvas.fillRect(x + PAD, cy - 7, SWATCH - 10, 14, entry.color, 0.2);
    if (entry.kind === "line") canvas.line(x + PAD, cy, x + PAD + SWATCH - 10, cy, entry.color, 3);
    else canvas.disc(x + PAD + (SWATCH - 10) / 2, cy, 5, entry.color);
    lines.forEach((line, i) => {
      canvas.text(x + PAD + SWATCH, y + top + i * lineHeight, line, i < labelLines ? LEGEND_INK : DETAIL, scale);
    });
  }
}

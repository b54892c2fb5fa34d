import { categoryColor } from "../../protocol/colormap";
import type { RocPayload } from "../../protocol/viz";
import { aurocDetail, BAND_ALPHA } from "../../protocol/vizTraces";
import type { Rgb } from "../../protocol/colormap";
import { drawAxes, drawTitle, MUTED, type Axes } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { drawLegendLayout, layoutLegend, type LegendLayout } from "../raster/legend";

/**
 * Layout of the ROC figure; exported so tests can find the axes in the decoded PNG. The legend goes under the x-axis
 * title, outside the plot (it never hides the curves' steep start at FPR 0), as wide as the figure.
 */
export const ROC_LAYOUT = {
  width: 640,
  left: 120,
  top: 56,
  size: 460,
  legendTop: 592,
  margin: 12,
  bandAlpha: BAND_ALPHA,
} as const;

export function rocLegend(payload: RocPayload): LegendLayout {
  const { width, margin } = ROC_LAYOUT;
  return layoutLegend(
    payload.series.map((s, k) => ({
      label: s.name,
      detail: aurocDetail(s),
      color: categoryColor(k),
      kind: "line" as const,
      band: !!s.band,
    })),
    width - 2 * margin,
  );
}

/** The figure on a canvas (rocPng encodes it): tests read its text boxes. */
export function drawRoc(payload: RocPayload): Canvas {
  const { width, left, top, size, legendTop, margin, bandAlpha } = ROC_LAYOUT;
  const legend = rocLegend(payload);
  const canvas = new Canvas(width, legendTop + legend.height + margin);
  drawTitle(canvas, payload.title ?? "ROC curve", width / 2, 28);
  const axes = drawAxes(canvas, {
    left,
    top,
    width: size,
    height: size,
    x: [0, 1],
    y: [0, 1],
    xTitle: "False positive rate",
    yTitle: "True positive rate",
  });
  canvas.line(axes.px(0), axes.py(0), axes.px(1), axes.py(1), MUTED, 1.5, [8, 6]);
  // Bands first, each a translucent column fill between its lower and upper TPR, so every curve stays on top.
  payload.series.forEach((s, k) => {
    if (s.band) fillBand(canvas, s.band, axes, categoryColor(k), bandAlpha);
  });
  payload.series.forEach((s, k) => {
    const points: number[] = [];
    for (let i = 0; i < s.fpr.length; i++) points.push(axes.px(s.fpr[i]), axes.py(s.tpr[i]));
    canvas.polyline(points, categoryColor(k), 2.5);
  });
  drawLegendLayout(canvas, legend, margin, legendTop);
  return canvas;
}

/** ROC curves on the unit square with the chance diagonal and bootstrap bands, one colour per method. */
export function rocPng(payload: RocPayload): Buffer {
  return drawRoc(payload).toPng();
}

type Band = NonNullable<RocPayload["series"][number]["band"]>;

function fillBand(canvas: Canvas, band: Band, axes: Axes, color: Rgb, alpha: number): void {
  const x0 = Math.round(axes.px(0));
  const x1 = Math.round(axes.px(1));
  let k = 0;
  for (let px = x0; px < x1; px++) {
    // Linear interpolation of the band between its grid FPRs at this pixel column's centre.
    const f = (px + 0.5 - axes.px(0)) / (axes.px(1) - axes.px(0));
    while (k + 2 < band.fpr.length && band.fpr[k + 1] < f) k++;
    const span = band.fpr[k + 1] - band.fpr[k] || 1;
    const t = Math.max(0, Math.min(1, (f - band.fpr[k]) / span));
    const lower = band.lower[k] + (band.lower[k + 1] - band.lower[k]) * t;
    const upper = band.upper[k] + (band.upper[k + 1] - band.upper[k]) * t;
    const yTop = axes.py(upper);
    const yBottom = axes.py(lower);
    canvas.fillRect(px, yTop, 1, Math.max(1, yBottom - yTop), color, alpha);
  }
}

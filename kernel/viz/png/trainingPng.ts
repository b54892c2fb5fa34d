import { categoryColor } from "../../protocol/colormap";
import { drawAxes, drawTitle, MUTED } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { drawLegendLayout, layoutLegend } from "../raster/legend";
import type { TrainingCurves } from "../payloads/trainingPayload";

/** Layout of the training figure (exported for tests): loss panel on top, AUROC panel below, same epoch axis. */
export const TRAINING_LAYOUT = {
  width: 640,
  left: 120,
  plotWidth: 480,
  lossTop: 64,
  auroc: 330,
  height: 200,
  legendTop: 590,
  margin: 12,
} as const;

/** Two panels over the epochs: mean training loss, and image/pixel AUROC of the selection images; dashed line at the reported epoch. */
export function drawTraining(c: TrainingCurves): Canvas {
  const { width, left, plotWidth, lossTop, auroc, height, legendTop, margin } = TRAINING_LAYOUT;
  const entries = [
    { label: "image AUROC", color: categoryColor(0), kind: "line" as const },
    ...(c.pixelAuroc.some((v) => v !== null)
      ? [{ label: "pixel AUROC", color: categoryColor(1), kind: "line" as const }]
      : []),
  ];
  const legend = layoutLegend(entries, width - 2 * margin);
  const canvas = new Canvas(width, legendTop + legend.height + margin);
  drawTitle(canvas, c.title, width / 2, 28);
  const x: [number, number] = [Math.min(...c.epochs, 1), Math.max(...c.epochs, 1) + (c.epochs.length === 1 ? 1 : 0)];
  const lo = Math.min(...c.loss);
  const hi = Math.max(...c.loss);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  const lossAxes = drawAxes(canvas, {
    left,
    top: lossTop,
    width: plotWidth,
    height,
    x,
    y: [lo - pad, hi + pad],
    yTitle: "mean loss",
  });
  const line = (axes: typeof lossAxes, ys: (number | null)[], color: ReturnType<typeof categoryColor>) => {
    const pts: number[] = [];
    ys.forEach((v, i) => {
      if (v === null) return;
      pts.push(axes.px(c.epochs[i]), axes.py(v));
      canvas.disc(axes.px(c.epochs[i]), axes.py(v), 3, color);
    });
    if (pts.length >= 4) canvas.polyline(pts, color, 2);
  };
  line(lossAxes, c.loss, categoryColor(2));
  const on =
    c.evaluatedOn === "test"
      ? "AUROC (test set, transductive)"
      : c.evaluatedOn === "valid"
        ? "AUROC (held-out valid)"
        : "AUROC (not evaluated)";
  const aurocAxes = drawAxes(canvas, {
    left,
    top: auroc,
    width: plotWidth,
    height,
    x,
    y: [0, 1],
    xTitle: "epoch",
    yTitle: on,
  });
  line(aurocAxes, c.imageAuroc, categoryColor(0));
  line(aurocAxes, c.pixelAuroc, categoryColor(1));
  for (const axes of [lossAxes, aurocAxes]) {
    const px = axes.px(c.chosenEpoch);
    canvas.line(px, axes.spec.top, px, axes.spec.top + axes.spec.height, MUTED, 1.5, [6, 5]);
  }
  drawLegendLayout(canvas, legend, margin, legendTop);
  return canvas;
}

export function trainingPng(c: TrainingCurves): Buffer {
  return drawTraining(c).toPng();
}

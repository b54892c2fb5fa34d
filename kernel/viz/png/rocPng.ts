import { categoryColor } from "../../protocol/colormap";
import type { RocPayload } from "../../protocol/viz";
import { drawAxes, drawLegend, drawTitle, MUTED } from "../raster/axes";
import { Canvas } from "../raster/canvas";

/** Layout of the ROC figure; exported so tests can find the axes in the decoded PNG. */
export const ROC_LAYOUT = { width: 640, height: 600, left: 120, top: 56, size: 460, legendRow: 22 } as const;

export function formatAuroc(series: RocPayload["series"][number]): string {
  const ci = series.ci ? ` [${series.ci.lower.toFixed(3)}, ${series.ci.upper.toFixed(3)}]` : "";
  return `${series.name}  AUROC ${series.auroc.toFixed(3)}${ci}`;
}

/** ROC curves on the unit square with the chance diagonal, one colour per method, AUROC in the legend. */
export function rocPng(payload: RocPayload): Buffer {
  const { width, height, left, top, size, legendRow } = ROC_LAYOUT;
  // The legend sits under the plot so it never hides the curves' steep start at FPR 0.
  const canvas = new Canvas(width, height + legendRow * payload.series.length);
  drawTitle(canvas, payload.title ?? "ROC curve", left + size / 2, 28);
  const axes = drawAxes(canvas, { left, top, width: size, height: size, x: [0, 1], y: [0, 1], xTitle: "False positive rate", yTitle: "True positive rate" });
  canvas.line(axes.px(0), axes.py(0), axes.px(1), axes.py(1), MUTED, 1.5, [8, 6]);
  payload.series.forEach((s, k) => {
    const points: number[] = [];
    for (let i = 0; i < s.fpr.length; i++) points.push(axes.px(s.fpr[i]), axes.py(s.tpr[i]));
    canvas.polyline(points, categoryColor(k), 2.5);
  });
  drawLegend(
    canvas,
    payload.series.map((s, k) => ({ label: formatAuroc(s), color: categoryColor(k), kind: "line" as const })),
    left + size,
    height - 8,
  );
  return canvas.toPng();
}

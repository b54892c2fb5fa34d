import { categoryColor } from "../../protocol/colormap";
import type { TsnePayload } from "../../protocol/viz";
import { drawAxes, drawTitle } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { drawLegendLayout, layoutLegend } from "../raster/legend";

export const TSNE_LAYOUT = { panel: 460, gap: 30, margin: 30, top: 70, legend: 120 } as const;

/** Bounds of the cloud with 5 % padding, square so distances look the same along both axes. */
export function squareBounds(xy: ArrayLike<number>): { x: [number, number]; y: [number, number] } {
  let minX = Infinity,
    maxX = -Infinity,
    minY = Infinity,
    maxY = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    minX = Math.min(minX, xy[i]);
    maxX = Math.max(maxX, xy[i]);
    minY = Math.min(minY, xy[i + 1]);
    maxY = Math.max(maxY, xy[i + 1]);
  }
  if (minX === Infinity) return { x: [-1, 1], y: [-1, 1] };
  const half = (Math.max(maxX - minX, maxY - minY) / 2) * 1.05 || 1;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  return { x: [cx - half, cx + half], y: [cy - half, cy + half] };
}

export function tsnePng(payload: TsnePayload): Buffer {
  return drawTsne(payload).toPng();
}

/** One scatter panel per colouring (e.g. ground truth | prediction), side by side, legends underneath. */
export function drawTsne(payload: TsnePayload): Canvas {
  const { panel, gap, margin, top, legend } = TSNE_LAYOUT;
  const panels = Math.max(1, payload.colorings.length);
  const legends = payload.colorings.map((coloring) => {
    const entries = coloring.groups.map((group, g) => ({
      label: `${group.name} (${group.indices.length})`,
      color: categoryColor(g),
      kind: "dot" as const,
    }));
    return layoutLegend(entries, panel);
  });
  const legendHeight = Math.max(legend - 20, ...legends.map((l) => l.height));
  const canvas = new Canvas(margin * 2 + panels * panel + (panels - 1) * gap, top + panel + 10 + legendHeight + 10);
  drawTitle(canvas, payload.title ?? "t-SNE", canvas.width / 2, 22);
  const bounds = squareBounds(payload.xy);
  const radius = payload.xy.length / 2 > 2000 ? 1.6 : 2.6;
  payload.colorings.forEach((coloring, p) => {
    const left = margin + p * (panel + gap);
    drawTitle(canvas, coloring.name, left + panel / 2, top - 16);
    const axes = drawAxes(canvas, { left, top, width: panel, height: panel, ...bounds, ticks: false });
    coloring.groups.forEach((group, g) => {
      for (const i of group.indices)
        canvas.disc(axes.px(payload.xy[2 * i]), axes.py(payload.xy[2 * i + 1]), radius, categoryColor(g), 0.75);
    });
    drawLegendLayout(canvas, legends[p], left, top + panel + 10);
  });
  return canvas;
}

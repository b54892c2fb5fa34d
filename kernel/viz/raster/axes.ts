import type { Rgb } from "../../protocol/colormap";
import type { Canvas } from "./canvas";
import { textHeight, textWidth } from "./font";
import { niceTicks, tickLabel } from "./ticks";

export const INK: Rgb = [34, 34, 34];
export const GRID: Rgb = [225, 225, 225];
export const MUTED: Rgb = [110, 110, 110];

export interface AxesSpec {
  /** Plot area in canvas pixels (inside the axis lines). */
  left: number;
  top: number;
  width: number;
  height: number;
  x: [number, number];
  y: [number, number];
  xTitle?: string;
  yTitle?: string;
  /** Draw ticks, tick labels and grid lines (false for t-SNE, whose coordinates mean nothing). */
  ticks?: boolean;
  /** Draw x ticks (default: same as ticks; false for categorical x axes such as metric names). */
  xTicks?: boolean;
  scale?: number;
}

/** Maps data coordinates to pixel positions of a drawn axes box. */
export interface Axes {
  px(x: number): number;
  py(y: number): number;
  spec: AxesSpec;
}

export function makeAxes(spec: AxesSpec): Axes {
  const [x0, x1] = spec.x;
  const [y0, y1] = spec.y;
  const sx = spec.width / (x1 - x0 || 1);
  const sy = spec.height / (y1 - y0 || 1);
  return {
    px: (x) => spec.left + (x - x0) * sx,
    py: (y) => spec.top + spec.height - (y - y0) * sy,
    spec,
  };
}

/** Grid, ticks with labels, the frame and the axis titles; returns the coordinate mapping. */
export function drawAxes(canvas: Canvas, spec: AxesSpec): Axes {
  const axes = makeAxes(spec);
  const scale = spec.scale ?? 2;
  const { left, top, width, height } = spec;
  if (spec.ticks ?? true) {
    const xs = spec.xTicks ?? true ? niceTicks(spec.x[0], spec.x[1]) : [];
    const ys = niceTicks(spec.y[0], spec.y[1]);
    for (const v of xs) {
      const p = Math.round(axes.px(v));
      canvas.fillRect(p, top, 1, height, GRID);
      canvas.fillRect(p, top + height, 1, 5, INK);
      canvas.label(p + 0.5, top + height + 12 + textHeight(scale) / 2, tickLabel(v, xs), INK, scale, "center");
    }
    for (const v of ys) {
      const p = Math.round(axes.py(v));
      canvas.fillRect(left, p, width, 1, GRID);
      canvas.fillRect(left - 5, p, 5, 1, INK);
      canvas.label(left - 8, p + 0.5, tickLabel(v, ys), INK, scale, "right");
    }
  }
  canvas.strokeRect(left, top, width + 1, height + 1, INK);
  if (spec.xTitle) canvas.label(left + width / 2, top + height + 24 + textHeight(scale) * 1.5, spec.xTitle, INK, scale, "center");
  if (spec.yTitle) {
    const x = left - 16 - textWidth("0.00", scale) - textHeight(scale);
    canvas.text(x, top + height / 2 + textWidth(spec.yTitle, scale) / 2, spec.yTitle, INK, scale, true);
  }
  return axes;
}

export interface LegendEntry {
  label: string;
  color: Rgb;
  kind: "line" | "dot";
  dashed?: boolean;
}

/** A framed legend box; (right, top) is its top-right corner so it can sit inside a plot's corner. */
export function drawLegend(canvas: Canvas, entries: LegendEntry[], right: number, top: number, scale = 2, anchor: "top" | "bottom" = "top"): void {
  if (entries.length === 0) return;
  const row = textHeight(scale) + 8;
  const w = Math.max(...entries.map((e) => textWidth(e.label, scale))) + 44;
  const h = entries.length * row + 8;
  const y0 = anchor === "top" ? top : top - h;
  const x0 = right - w;
  canvas.fillRect(x0, y0, w, h, [255, 255, 255], 0.9);
  canvas.strokeRect(x0, y0, w, h, GRID);
  entries.forEach((e, i) => {
    const cy = y0 + 4 + row * i + row / 2;
    if (e.kind === "line") canvas.line(x0 + 8, cy, x0 + 32, cy, e.color, 2.5, e.dashed ? [6, 4] : undefined);
    else canvas.disc(x0 + 20, cy, 4, e.color);
    canvas.label(x0 + 38, cy, e.label, INK, scale, "left");
  });
}

export function drawTitle(canvas: Canvas, title: string | undefined, centreX: number, y: number, scale = 2): void {
  if (title) canvas.label(centreX, y, title, INK, scale, "center");
}

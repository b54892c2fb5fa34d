import type { Rgb } from "../../protocol/colormap";
import type { Canvas } from "./canvas";
import { wrapLimited, wrapWords } from "../../protocol/labels";
import { ADVANCE, textHeight, textWidth } from "./font";
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
    const xs = (spec.xTicks ?? true) ? niceTicks(spec.x[0], spec.x[1]) : [];
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
  if (spec.xTitle)
    canvas.label(left + width / 2, top + height + 24 + textHeight(scale) * 1.5, spec.xTitle, INK, scale, "center");
  if (spec.yTitle) {
    const x = left - 16 - textWidth("0.00", scale) - textHeight(scale);
    canvas.text(x, top + height / 2 + textWidth(spec.yTitle, scale) / 2, spec.yTitle, INK, scale, true);
  }
  return axes;
}

/**
 * A centred title whose first line's middle is at y; wrapped to the room the canvas leaves around centreX (at most
 * two lines at the given scale, else up to three at scale 1, the last ending in "…" if still too long).
 */
export function drawTitle(canvas: Canvas, title: string | undefined, centreX: number, y: number, scale = 2): void {
  if (!title) return;
  const room = 2 * Math.min(centreX, canvas.width - centreX) - 16;
  let s = scale;
  let lines = wrapWords(title, room / (ADVANCE * s));
  if (lines.length > 2 && s > 1) {
    s = 1;
    lines = wrapLimited(title, room / ADVANCE, 3);
  }
  const step = textHeight(s) + 4;
  const first = y - ((lines.length - 1) * step) / 2;
  lines.forEach((line, i) => canvas.label(centreX, first + i * step, line, INK, s, "center"));
}

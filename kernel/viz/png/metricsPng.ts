import { categoryColor } from "../../protocol/colormap";
import type { MetricsPayload } from "../../protocol/viz";
import { wrapWords } from "../../protocol/labels";
import { drawAxes, drawTitle, INK } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { ADVANCE, textHeight } from "../raster/font";
import { drawLegendLayout, layoutLegend } from "../raster/legend";
import { niceTicks } from "../raster/ticks";

/** groupWidth is the minimum: groups widen so each bar keeps room for its value label. */
export const METRICS_LAYOUT = {
  left: 100,
  top: 56,
  plotHeight: 360,
  groupWidth: 170,
  barRoom: 36,
  right: 30,
  margin: 12,
  minWidth: 560,
} as const;

/** The value axis: [0, 1] when every value and bound is a fraction (AUROC, AP, F1, PRO), else a padded nice range. */
export function valueRange(payload: MetricsPayload): [number, number] {
  const all = payload.methods.flatMap((m) =>
    m.values.flatMap((v) => (v ? [v.value, v.lower ?? v.value, v.upper ?? v.value] : [])),
  );
  if (all.length === 0) return [0, 1];
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all);
  if (lo >= 0 && hi <= 1) return [0, 1];
  const ticks = niceTicks(lo, hi);
  return [Math.min(lo, ticks[0]), Math.max(hi, ticks[ticks.length - 1]) || 1];
}

/** Grouped bars (one group per metric, one bar per method) with interval whiskers and the value above each bar. */
export function drawMetrics(payload: MetricsPayload): Canvas {
  const { left, top, plotHeight, barRoom, right, margin, minWidth } = METRICS_LAYOUT;
  const methods = payload.methods.length;
  const groupWidth = Math.max(METRICS_LAYOUT.groupWidth, methods * barRoom + 30);
  const plotWidth = Math.max(1, payload.metrics.length) * groupWidth;
  const width = Math.max(minWidth, left + plotWidth + right);
  // Metric names wrap at spaces to their group's width ("image" / "AUROC") instead of running into the next group.
  const nameScale = 2;
  const names = payload.metrics.map((m) => wrapWords(m, (groupWidth - 12) / (ADVANCE * nameScale)));
  const nameLine = textHeight(nameScale) + 4;
  const namesBottom = top + plotHeight + 10 + Math.max(1, ...names.map((n) => n.length)) * nameLine;
  const legendTop = namesBottom + 16;
  const legend = layoutLegend(
    payload.methods.map((m, k) => ({ label: m.name, color: categoryColor(k), kind: "dot" as const })),
    width - 2 * margin,
  );
  const canvas = new Canvas(width, legendTop + legend.height + margin);
  drawTitle(canvas, payload.title ?? "Metrics", width / 2, 28);
  const range = valueRange(payload);
  const axes = drawAxes(canvas, {
    left,
    top,
    width: plotWidth,
    height: plotHeight,
    x: [0, 1],
    y: range,
    xTicks: false,
    yTitle: "value",
  });
  const barWidth = Math.min(40, (groupWidth - 30) / Math.max(1, methods));
  payload.metrics.forEach((_, g) => {
    const groupLeft = left + g * groupWidth + (groupWidth - barWidth * methods) / 2;
    const centre = left + g * groupWidth + groupWidth / 2;
    names[g].forEach((line, i) => {
      canvas.label(centre, top + plotHeight + 10 + nameLine / 2 + i * nameLine, line, INK, nameScale, "center");
    });
    payload.methods.forEach((method, k) => {
      const v = method.values[g];
      if (!v) return;
      const x = groupLeft + k * barWidth;
      const y0 = axes.py(Math.max(range[0], 0));
      const y1 = axes.py(v.value);
      canvas.fillRect(x + 2, Math.min(y0, y1), barWidth - 4, Math.abs(y0 - y1), categoryColor(k));
      if (v.lower !== undefined && v.upper !== undefined) {
        const cx = x + barWidth / 2;
        canvas.line(cx, axes.py(v.lower), cx, axes.py(v.upper), INK, 1.5);
        canvas.line(cx - 5, axes.py(v.lower), cx + 5, axes.py(v.lower), INK, 1.5);
        canvas.line(cx - 5, axes.py(v.upper), cx + 5, axes.py(v.upper), INK, 1.5);
      }
      canvas.label(
        x + barWidth / 2,
        Math.min(y1, v.upper !== undefined ? axes.py(v.upper) : y1) - 8,
        v.value.toFixed(3),
        INK,
        1,
        "center",
      );
    });
  });
  drawLegendLayout(canvas, legend, margin, legendTop);
  return canvas;
}

export function metricsPng(payload: MetricsPayload): Buffer {
  return drawMetrics(payload).toPng();
}

import { categoryColor } from "../../protocol/colormap";
import type { MetricsPayload } from "../../protocol/viz";
import { drawAxes, drawLegend, drawTitle, INK } from "../raster/axes";
import { Canvas } from "../raster/canvas";
import { niceTicks } from "../raster/ticks";

export const METRICS_LAYOUT = { left: 100, top: 56, plotHeight: 360, groupWidth: 170, right: 30, bottom: 120 } as const;

/** The value axis: [0, 1] when every value and bound is a fraction (AUROC, AP, F1, PRO), else a padded nice range. */
export function valueRange(payload: MetricsPayload): [number, number] {
  const all = payload.methods.flatMap((m) => m.values.flatMap((v) => (v ? [v.value, v.lower ?? v.value, v.upper ?? v.value] : [])));
  if (all.length === 0) return [0, 1];
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all);
  if (lo >= 0 && hi <= 1) return [0, 1];
  const ticks = niceTicks(lo, hi);
  return [Math.min(lo, ticks[0]), Math.max(hi, ticks[ticks.length - 1]) || 1];
}

/** Grouped bars (one group per metric, one bar per method) with interval whiskers and the value above each bar. */
export function metricsPng(payload: MetricsPayload): Buffer {
  const { left, top, plotHeight, groupWidth, right, bottom } = METRICS_LAYOUT;
  const plotWidth = Math.max(1, payload.metrics.length) * groupWidth;
  const canvas = new Canvas(left + plotWidth + right, top + plotHeight + bottom);
  drawTitle(canvas, payload.title ?? "Metrics", left + plotWidth / 2, 28);
  const range = valueRange(payload);
  const axes = drawAxes(canvas, { left, top, width: plotWidth, height: plotHeight, x: [0, 1], y: range, xTicks: false, yTitle: "value" });
  const methods = payload.methods.length;
  const barWidth = Math.min(40, (groupWidth - 30) / Math.max(1, methods));
  payload.metrics.forEach((metric, g) => {
    const groupLeft = left + g * groupWidth + (groupWidth - barWidth * methods) / 2;
    canvas.label(left + g * groupWidth + groupWidth / 2, top + plotHeight + 16, metric, INK, 2, "center");
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
      canvas.label(x + barWidth / 2, Math.min(y1, v.upper !== undefined ? axes.py(v.upper) : y1) - 8, v.value.toFixed(3), INK, 1, "center");
    });
  });
  drawLegend(
    canvas,
    payload.methods.map((m, k) => ({ label: m.name, color: categoryColor(k), kind: "dot" as const })),
    left + plotWidth,
    top + plotHeight + 40,
  );
  return canvas.toPng();
}

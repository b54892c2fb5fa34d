import type { FewshotResult } from "../methods/result";
import type { TableData } from "../protocol/table";

/** Mean and standard deviation over seeds (numpy's default, ddof = 0); NaN when no run has the metric. */
export interface MeanStd {
  mean: number;
  std: number;
  n: number;
}

export interface CompareCell {
  method: string;
  shots: number;
  imageAuroc: MeanStd;
  pixelAuroc: MeanStd;
  /** Some run of the cell is transductive (test-set normalisation, TSC-samples, selection: test-best). */
  transductive?: boolean;
}

export interface CompareResult {
  cells: CompareCell[];
  runs: FewshotResult[];
}

export function meanStd(values: number[]): MeanStd {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN, n: 0 };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, std: Math.sqrt(variance), n: v.length };
}

/** One row per method × shots with mean ± std over seeds, from finished runs (pure: also used by tests). */
export function summariseRuns(runs: FewshotResult[], methods: string[], shots: number[]): CompareCell[] {
  return methods.flatMap((method) =>
    shots.map((k) => {
      const mine = runs.filter((r) => r.method === method && r.shots === k);
      return {
        method,
        shots: k,
        imageAuroc: meanStd(mine.map((r) => r.metrics.image.auroc)),
        pixelAuroc: meanStd(mine.map((r) => r.metrics.pixel?.auroc ?? NaN)),
        ...(mine.some((r) => r.transductive) ? { transductive: true } : {}),
      };
    }),
  );
}

function formatMeanStd(m: MeanStd): string {
  if (m.n === 0) return "—";
  return `${(100 * m.mean).toFixed(2)} ± ${(100 * m.std).toFixed(2)}`;
}

export function compareTable(cells: CompareCell[], seeds: number[]): TableData {
  const marked = cells.some((c) => c.transductive);
  const note = marked ? " · TRANSDUCTIVE rows used the test set to normalise or to choose the epoch" : "";
  return {
    title: `AUROC (%) mean ± std over seeds ${seeds.join(", ")}${note}`,
    columns: ["method", "shots", "image AUROC", "pixel AUROC", "runs"],
    rows: cells.map((c) => [
      c.transductive ? `${c.method} (transductive)` : c.method,
      c.shots,
      formatMeanStd(c.imageAuroc),
      formatMeanStd(c.pixelAuroc),
      c.imageAuroc.n,
    ]),
  };
}

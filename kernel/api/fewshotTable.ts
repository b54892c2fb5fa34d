import type { FewshotResult } from "../methods/result";
import { selectionLabel } from "../methods/selection/record";
import type { TableData } from "../protocol/table";

function formatMetric(value: number | undefined): string {
  return value === undefined || Number.isNaN(value) ? "—" : value.toFixed(4);
}

/** The metrics table a few-shot run shows in its cell and its exported report. */
export function fewshotTable(r: FewshotResult): TableData {
  const px = r.metrics.pixel;
  const rows: TableData["rows"] = [
    [
      "image",
      formatMetric(r.metrics.image.auroc),
      formatMetric(r.metrics.image.averagePrecision),
      formatMetric(r.metrics.image.f1Max.f1),
    ],
    ["pixel", formatMetric(px?.auroc), formatMetric(px?.averagePrecision), formatMetric(px?.f1Max.f1)],
  ];
  const test = `${r.test.evaluated}${r.test.subsample ? ` of ${r.test.total}` : ""} test images`;
  const sel = r.selection && r.selection.policy !== "last" ? ` · selection ${selectionLabel(r.selection)}` : "";
  return {
    title: `${r.label} · ${r.dataset.name}/${r.dataset.category} · ${r.shots}-shot, seed ${r.seed} · ${r.protocol} protocol${sel} · ${test}${r.transductive ? " · TRANSDUCTIVE" : ""}`,
    columns: ["level", "AUROC", "AP", "F1-max"],
    rows,
  };
}

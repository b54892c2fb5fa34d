import type { FewshotResult } from "../methods/result";
import type { TableData } from "../protocol/table";

const metric = (v: number) => (Number.isFinite(v) ? Number(v.toFixed(4)) : "—");

/** The three multi-anomaly protocols of an sd-mad result as one table (docs/sd-mad.md); undefined for other methods. */
export function multiAnomalyTable(r: FewshotResult): TableData | undefined {
  const m = r.multiAnomaly;
  if (!m) return undefined;
  const rows: TableData["rows"] = [
    ["P1 normal vs any anomaly", "AUROC", metric(m.p1.auroc)],
    ["P1 normal vs any anomaly", "AP", metric(m.p1.averagePrecision)],
    ...m.categories.map((c) => [`P2 ${c} vs rest`, "AUROC", metric(m.p2.perCategory[c].auroc)]),
    ["P2 macro over categories", "AUROC", metric(m.p2.macroAuroc)],
    [`P3 ${m.categories.length + 1}-class`, "accuracy", metric(m.p3.accuracy)],
    [`P3 ${m.categories.length + 1}-class`, "macro-F1", metric(m.p3.macroF1)],
    ["P3 categories", "mAP", metric(m.p3.meanAveragePrecision)],
  ];
  return {
    title: `${r.label} · ${m.categories.join(" / ")} · ${r.test.evaluated} test images · ${m.uncertain.testImages} uncertain (all signs)`,
    columns: ["protocol", "metric", "test"],
    rows,
  };
}

/** The signs of an sd-mad run: group, sign, support AUROC and whether selection kept it. */
export function signTable(r: FewshotResult): TableData | undefined {
  const m = r.multiAnomaly;
  if (!m) return undefined;
  return {
    title: `Signs (${m.signSource}; ${m.modality}) · selection: ${m.selection}`,
    columns: ["group", "sign", "support AUROC", "used"],
    rows: m.signs.map((s) => [s.group, s.sign, s.supportAuroc === null ? "—" : metric(s.supportAuroc), s.selected]),
  };
}

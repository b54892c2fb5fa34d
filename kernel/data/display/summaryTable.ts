// The dataset summary as a table model ({title, columns, rows}) that the `%dataset` magic and the CLI render.
import type { TableData } from "../../protocol/table";
import { Dataset, Split } from "../types";

/** The summary is an ordinary MedAD table (rendered by the table renderer, HTML/text elsewhere). */
export type TableModel = TableData;

const SPLIT_ORDER: Split[] = ["train", "valid", "test"];

export function summaryTable(ds: Dataset): TableModel {
  const s = ds.summary;
  const rows: (string | number)[][] = [];
  for (const cat of s.categories) {
    for (const split of SPLIT_ORDER) {
      const c = s.counts[cat]?.[split];
      if (!c) continue;
      rows.push([cat, split, c.normal, c.abnormal, c.unknown, c.masks]);
    }
  }
  const sizes = Object.entries(s.sizes).sort((a, b) => b[1] - a[1]);
  const sizeText = sizes.length === 0 ? "sizes unknown" : sizes.length <= 3 ? sizes.map(([k, n]) => `${k} (${n})`).join(", ") : `${sizes.length} sizes, most ${sizes[0][0]}`;
  const types = Object.entries(s.anomalyTypes).map(([k, n]) => `${k} ${n}`).join(", ");
  const shots = ds.fewShotLists.length ? `; few-shot lists k=${[...new Set(ds.fewShotLists.map((f) => f.k))].join(",")}` : "";
  const problems = s.errors || s.warnings || s.skipped ? `; ${s.errors} error(s), ${s.warnings} warning(s), ${s.skipped} skipped` : "";
  return {
    title: `${ds.name} (${ds.layout}): ${s.total} images, ${sizeText}${types ? `; anomaly types: ${types}` : ""}${shots}${problems}`,
    columns: ["category", "split", "normal", "abnormal", "unlabelled", "masks"],
    rows,
  };
}

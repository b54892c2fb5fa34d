// What `%dataset` shows: the summary table and the thumbnail sheet, in one call for the kernel engineer.
import { Dataset } from "../types";
import { summaryTable, TableModel } from "./summaryTable";
import { GridOptions, thumbnailGrid } from "./thumbnailGrid";

export interface DatasetDisplay {
  table: TableModel;
  png: Uint8Array;
}

export function datasetSummaryDisplay(ds: Dataset, opts: GridOptions = {}): DatasetDisplay {
  return { table: summaryTable(ds), png: thumbnailGrid(ds, opts) };
}

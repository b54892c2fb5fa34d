/** The payload of `application/vnd.medad.table+json`, shared by the kernel API and the renderer. */
export const TABLE_MIME = "application/vnd.medad.table+json";

export type Cell = string | number | boolean | null;

export interface TableData {
  title?: string;
  columns: string[];
  rows: Cell[][];
}

/** How a cell value is shown in every form of a table (renderer, HTML, text): 4 significant digits for fractions. */
export function formatCell(value: Cell | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" && !Number.isInteger(value)) return value.toPrecision(4);
  return String(value);
}

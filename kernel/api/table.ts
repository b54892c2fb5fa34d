import type { MimeBundle } from "../protocol/outputs";
import { formatCell, TABLE_MIME, type TableData } from "../protocol/table";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function tableToText(table: TableData): string {
  const cells = [table.columns, ...table.rows.map((r) => r.map(formatCell))];
  const widths = table.columns.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((v, c) => (v ?? "").padEnd(widths[c]))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [table.title, line(cells[0]), rule, ...cells.slice(1).map(line)].filter((l) => l !== undefined).join("\n");
}

export function tableToHtml(table: TableData): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = table.rows
    .map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(formatCell(v))}</td>`).join("")}</tr>`)
    .join("");
  const caption = table.title ? `<caption>${escapeHtml(table.title)}</caption>` : "";
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Our renderer's MIME plus HTML and text forms, so the table reads in JupyterLab, on GitHub and in a terminal. */
export function tableBundle(table: TableData): MimeBundle {
  for (const row of table.rows) {
    if (row.length !== table.columns.length) {
      throw new Error(`table row has ${row.length} cells but there are ${table.columns.length} columns`);
    }
  }
  return { [TABLE_MIME]: table, "text/html": tableToHtml(table), "text/plain": tableToText(table) };
}

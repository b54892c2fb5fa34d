import type { ActivationFunction } from "vscode-notebook-renderer";
import { formatCell, type TableData } from "../kernel/protocol/table";

/** Draws `application/vnd.medad.table+json` with VS Code's theme colours; plain DOM keeps outputs light. */
const style = `
  table.medad { border-collapse: collapse; font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-foreground); }
  table.medad caption { text-align: left; font-weight: bold; padding: 4px 0; }
  table.medad th, table.medad td { border-bottom: 1px solid var(--vscode-panel-border, #8884); padding: 3px 10px; text-align: right; }
  table.medad th { color: var(--vscode-descriptionForeground); font-weight: 600; }
`;

export const activate: ActivationFunction = () => ({
  renderOutputItem(item, element) {
    const data = item.json() as TableData;
    const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
    root.innerHTML = "";
    const css = document.createElement("style");
    css.textContent = style;
    const table = document.createElement("table");
    table.className = "medad";
    if (data.title) table.createCaption().textContent = data.title;
    const head = table.createTHead().insertRow();
    for (const column of data.columns) {
      const th = document.createElement("th");
      th.textContent = column;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of data.rows) {
      const tr = body.insertRow();
      for (const value of row) tr.insertCell().textContent = formatCell(value);
    }
    root.append(css, table);
  },
});

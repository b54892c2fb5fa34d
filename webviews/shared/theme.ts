/** VS Code theme colours for charts, read from the CSS variables VS Code sets on the output webview. */
export interface ChartTheme {
  foreground: string;
  muted: string;
  grid: string;
  fontFamily: string;
  fontSize: number;
}

function cssVar(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function chartTheme(): ChartTheme {
  return {
    foreground: cssVar("--vscode-foreground", "#cccccc"),
    muted: cssVar("--vscode-descriptionForeground", "#999999"),
    grid: cssVar("--vscode-editorWidget-border", "rgba(128,128,128,0.3)"),
    fontFamily: cssVar("--vscode-font-family", "sans-serif"),
    fontSize: parseFloat(cssVar("--vscode-font-size", "13")) || 13,
  };
}

/** Plotly layout pieces shared by every chart: transparent backgrounds so the notebook's own colour shows through. */
export function baseLayout(theme: ChartTheme, title: string | undefined): Record<string, unknown> {
  // automargin: the margins grow to fit tick labels and titles instead of cutting them.
  const axis = {
    color: theme.foreground,
    gridcolor: theme.grid,
    zerolinecolor: theme.grid,
    linecolor: theme.muted,
    automargin: true,
  };
  return {
    title: title ? { text: title, font: { size: theme.fontSize + 3 } } : undefined,
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: theme.fontFamily, size: theme.fontSize, color: theme.foreground },
    margin: { l: 60, r: 20, t: title ? 50 : 20, b: 50 },
    legend: { bgcolor: "rgba(0,0,0,0)" },
    xaxis: { ...axis },
    yaxis: { ...axis },
  };
}

export const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d"] };

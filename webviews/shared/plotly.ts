/**
 * Loads plotly's cartesian bundle (scatter, bar, heatmap; 1.5 MB) on first use from next to the renderer module, so
 * notebooks without our charts never pay for it. A classic <script> sets window.Plotly; output webviews have no CSP.
 */
export interface PlotlyApi {
  newPlot(root: HTMLElement, data: object[], layout?: object, config?: object): Promise<unknown>;
  react(root: HTMLElement, data: object[], layout?: object, config?: object): Promise<unknown>;
  restyle(root: HTMLElement, update: object, traces?: number[]): Promise<unknown>;
  purge(root: HTMLElement): void;
  Plots: { resize(root: HTMLElement): void };
}

declare global {
  interface Window {
    Plotly?: PlotlyApi;
  }
}

let loading: Promise<PlotlyApi> | undefined;

export function loadPlotly(): Promise<PlotlyApi> {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  loading ??= new Promise<PlotlyApi>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = new URL("./plotly-cartesian.min.js", import.meta.url).href;
    script.onload = () =>
      window.Plotly
        ? resolve(window.Plotly)
        : reject(new Error("plotly-cartesian.min.js loaded but defined no Plotly global."));
    script.onerror = () => {
      loading = undefined; // allow a retry on the next output
      reject(
        new Error(`could not load ${script.src}; rebuild the extension (npm run build copies it to out/webviews).`),
      );
    };
    document.head.appendChild(script);
  });
  return loading;
}

/**
 * The results explorer: typed messages between the heatmap renderer, the extension and the explorer panel, and the
 * pure table logic (filter, sort, side-by-side comparison, CSV) the panel shows, kept here so unit tests cover it.
 */
import type { CellOutput } from "./outputs";
import type { HeatmapPayload } from "./viz";

/** Renderer → extension (notebook renderer messaging): open this result in the explorer, adding it as a method. */
export interface OpenInExplorerMessage {
  type: "openInExplorer";
  /** Method name the result is shown under (the output's title unless the user renamed it). */
  method: string;
  payload: HeatmapPayload;
}

/** Extension → panel: the methods to show (every result opened so far in this session). */
export interface ShowResultsMessage {
  type: "showResults";
  methods: { method: string; payload: HeatmapPayload }[];
}

/** Panel → extension. */
export type PanelToHostMessage =
  | { type: "ready" }
  | { type: "exportCsv"; fileName: string; csv: string }
  | { type: "exportPng"; fileName: string; base64: string };

export type RendererToHostMessage = OpenInExplorerMessage;
export type HostToPanelMessage = ShowResultsMessage;

export function isRendererToHostMessage(m: unknown): m is RendererToHostMessage {
  const v = m as Partial<OpenInExplorerMessage> | null;
  return (
    !!v &&
    v.type === "openInExplorer" &&
    typeof v.method === "string" &&
    typeof v.payload === "object" &&
    v.payload?.version === 1
  );
}

export function isPanelToHostMessage(m: unknown): m is PanelToHostMessage {
  const v = m as { type?: unknown; fileName?: unknown; csv?: unknown; base64?: unknown } | null;
  if (!v) return false;
  if (v.type === "ready") return true;
  if (v.type === "exportCsv") return typeof v.fileName === "string" && typeof v.csv === "string";
  if (v.type === "exportPng") return typeof v.fileName === "string" && typeof v.base64 === "string";
  return false;
}

export type CaseFilter = "all" | "anomalous" | "normal" | "false positives" | "false negatives";

export interface ExplorerRow {
  id: string;
  label: 0 | 1 | null;
  /** Score per method (same order as the methods), null where a method has no such case. */
  scores: (number | null)[];
}

/** One row per case id over all methods, so methods compare side by side on the same cases. */
export function mergeMethods(methods: ShowResultsMessage["methods"]): ExplorerRow[] {
  const rows = new Map<string, ExplorerRow>();
  methods.forEach(({ payload }, m) => {
    for (const c of payload.cases) {
      let row = rows.get(c.id);
      if (!row) {
        row = { id: c.id, label: c.label, scores: methods.map(() => null) };
        rows.set(c.id, row);
      }
      row.scores[m] = c.score;
      if (row.label === null) row.label = c.label;
    }
  });
  return [...rows.values()];
}

/**
 * Rows passing the filter, sorted by the chosen method's score (descending; missing scores last, then by id).
 * False positives / negatives are judged for that method at `threshold` (anomalous when score ≥ threshold).
 */
export function selectRows(rows: ExplorerRow[], filter: CaseFilter, method: number, threshold: number): ExplorerRow[] {
  const keep = (r: ExplorerRow): boolean => {
    const s = r.scores[method];
    switch (filter) {
      case "anomalous":
        return r.label === 1;
      case "normal":
        return r.label === 0;
      case "false positives":
        return r.label === 0 && s !== null && s >= threshold;
      case "false negatives":
        return r.label === 1 && s !== null && s < threshold;
      default:
        return true;
    }
  };
  const score = (r: ExplorerRow) => r.scores[method] ?? -Infinity;
  return rows.filter(keep).sort((a, b) => score(b) - score(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** RFC 4180 CSV of the shown rows: id, label, one score column per method. */
export function rowsToCsv(rows: ExplorerRow[], methodNames: string[]): string {
  const head = ["id", "label", ...methodNames.map((m) => `score ${m}`)];
  const body = rows.map((r) => [
    r.id,
    r.label === null ? "" : String(r.label),
    ...r.scores.map((s) => (s === null ? "" : String(s))),
  ]);
  return [head, ...body].map((line) => line.map(csvField).join(",")).join("\r\n") + "\r\n";
}

/**
 * Kernel → extension, as a cell output (`medad.show.explore`): open these results in the explorer. The extension
 * adds them to the panel and drops this MIME from the output it keeps (the notebook keeps only the text note).
 */
export const EXPLORE_MIME = "application/vnd.medad.explore+json";

export interface ExploreRequest {
  version: 1;
  methods: { method: string; payload: HeatmapPayload }[];
}

export function isExploreRequest(v: unknown): v is ExploreRequest {
  const r = v as Partial<ExploreRequest> | null;
  return (
    !!r &&
    r.version === 1 &&
    Array.isArray(r.methods) &&
    r.methods.every(
      (m) => !!m && typeof m.method === "string" && typeof m.payload === "object" && m.payload?.version === 1,
    )
  );
}

/**
 * Splits an explore request off a cell output: the extension opens the request in the panel and keeps the rest
 * (the text note), so the notebook does not store the cases twice.
 */
export function takeExploreRequest(output: CellOutput): { request?: ExploreRequest; output: CellOutput } {
  if (output.kind !== "display" || !(EXPLORE_MIME in output.data)) return { output };
  const { [EXPLORE_MIME]: request, ...rest } = output.data;
  return { request: isExploreRequest(request) ? request : undefined, output: { ...output, data: rest } };
}

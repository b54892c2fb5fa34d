import { randomUUID } from "crypto";
import type { MimeBundle } from "../protocol/outputs";
import { emitDisplay } from "./displaySink";
import type { TableData } from "../protocol/table";
import { tableBundle } from "./table";
import type { HeatmapOptions } from "../viz/payloads/heatmapPayload";
import type { RocOptions } from "../viz/payloads/rocPayload";
import type { FewshotResult } from "../methods/result";
import type { TrainingCurves } from "../viz/payloads/trainingPayload";
import {
  heatmapBundleOf,
  metricsBundleOf,
  rocBundleOf,
  trainingBundleOf,
  tsneBundleOf,
  type HeatmapInput,
  type MetricsInput,
  type RocInput,
  type TsneDisplayInput,
} from "./vizBundles";

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Shows rich output in the running cell; every call adds one output (see `handle()` for updatable ones). */
export interface Display {
  /** Any MIME bundle; give a `text/plain` form so the output reads everywhere. */
  bundle(data: MimeBundle, metadata?: Record<string, unknown>): void;
  text(text: string): void;
  markdown(markdown: string): void;
  html(html: string): void;
  png(bytes: Uint8Array): void;
  json(value: unknown): void;
  /** A table: rendered by MedAD Lab in VS Code, HTML elsewhere (JupyterLab, GitHub), text in terminals. */
  table(table: TableData): void;
  /** ROC curves with exact AUROC (and bootstrap CI with `{ ci: true }`) of one or more scored methods. */
  roc(input: RocInput, options?: RocOptions): void;
  /** Seeded Barnes–Hut t-SNE of features, coloured by ground truth, prediction and outcome. */
  tsne(input: TsneDisplayInput): void;
  /** Test cases sorted by score: image, anomaly-map overlay above a threshold (slider), mask contour. */
  heatmap(input: HeatmapInput, options?: HeatmapOptions): void;
  /** A method × metric comparison: grouped bars with intervals, and a table. */
  metrics(input: MetricsInput, options?: { title?: string; ci?: RocOptions["ci"] }): void;
  /** A trained run's mean loss and selection AUROC (image, pixel) per epoch, the reported epoch marked. */
  training(input: FewshotResult | TrainingCurves): void;
}

function createDisplay(emit: (data: MimeBundle, metadata?: Record<string, unknown>) => void): Display {
  return {
    bundle: (data, metadata) => emit(data, metadata),
    text: (text) => emit({ "text/plain": text }),
    markdown: (markdown) => emit({ "text/markdown": markdown, "text/plain": markdown }),
    html: (html) => emit({ "text/html": html }),
    png: (bytes) => emit({ "image/png": toBase64(bytes), "text/plain": `<PNG image, ${bytes.byteLength} bytes>` }),
    json: (value) => emit({ "application/json": value as object, "text/plain": JSON.stringify(value, null, 2) }),
    table: (table) => emit(tableBundle(table)),
    roc: (input, options) => emit(rocBundleOf(input, options)),
    tsne: (input) => emit(tsneBundleOf(input)),
    heatmap: (input, options) => emit(heatmapBundleOf(input, options)),
    metrics: (input, options) => emit(metricsBundleOf(input, options)),
    training: (input) => emit(trainingBundleOf(input)),
  };
}

export const display: Display = createDisplay((data, metadata) => emitDisplay(data, metadata));

/**
 * A display that later calls replace in place (progress, live metrics): each call overwrites the output the
 * handle showed first.
 */
export function displayHandle(): Display & { readonly id: string } {
  const id = randomUUID();
  let shown = false;
  const handle = createDisplay((data, metadata) => {
    emitDisplay(data, metadata, id, shown);
    shown = true;
  });
  return Object.assign(handle, { id });
}

/**
 * The public TypeScript API of MedAD Lab. In a notebook it is in scope as `medad` (the kernel imports it before
 * the first cell); magics are sugar over these functions. Everything here is plain Node: it also works in scripts.
 */
import { takeMagicResult } from "./magicResults";

export { display, displayHandle, type Display } from "./display";
export { TABLE_MIME, type TableData, type Cell } from "../protocol/table";
export type { MimeBundle } from "../protocol/outputs";
export { HEATMAP_MIME, METRICS_MIME, ROC_MIME, TSNE_MIME } from "../protocol/viz";
export type { HeatmapPayload, MetricsPayload, RocPayload, TsnePayload } from "../protocol/viz";
/** Picture payload builders and t-SNE, for custom displays (`display.bundle`) or for saving results. */
export * as viz from "./viz";
export type { TimingResult } from "../magics/builtins/time";

/** Versions of MedAD Lab and what it runs on. */
export const versions = {
  // Compiled to out/kernel/api/, three levels below the package root; a JSON import would copy package.json into out/.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  medad: (require("../../../package.json") as { version: string }).version,
  node: process.versions.node,
};

/** Plumbing used by code the kernel generates; not for cells. */
export const internal = { takeMagicResult };

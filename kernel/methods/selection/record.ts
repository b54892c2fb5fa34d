// What a trained run records about its epochs and the one it reported (FewshotResult.selection).
import type { SelectionPolicy } from "./policy";

export interface EpochMetrics {
  epoch: number;
  /** Mean training loss of the epoch. */
  loss: number;
  /** Image AUROC on the selection images after this epoch (absent under `last`). */
  imageAuroc?: number;
  /** Pixel AUROC on the selection images, where they have masks. */
  pixelAuroc?: number;
  /** The number the policy maximised (image AUROC, + pixel AUROC where there are masks, as the references). */
  criterion?: number;
}

export interface SelectionRecord {
  policy: SelectionPolicy;
  /** True for `test-best`: the reported epoch was chosen by looking at the test labels. */
  transductive: boolean;
  /** The epoch whose adapters produced the reported scores. */
  chosenEpoch: number;
  epochs: number;
  /** Epochs before this one came from a checkpoint and were not evaluated (0: none). */
  resumedFromEpoch: number;
  criterion: string;
  /** The images epochs were scored on (none under `last`). */
  evaluatedOn: { split: "valid" | "test" | null; images: number; normal: number; abnormal: number };
  perEpoch: EpochMetrics[];
  note: string;
}

/** One line for tables and titles, e.g. "selection test-best (epoch 7/10, TRANSDUCTIVE)". */
export function selectionLabel(r: SelectionRecord | undefined): string {
  if (!r) return "";
  if (r.policy === "last") return `last epoch (${r.epochs})`;
  const on = r.policy === "validation" ? `, on ${r.evaluatedOn.images} valid images` : "";
  return `${r.policy} epoch ${r.chosenEpoch}/${r.epochs}${on}${r.transductive ? ", TRANSDUCTIVE (chosen on the test set)" : ""}`;
}

/** What a method label adds about the reported epoch: nothing under `last`, else which epoch and where chosen. */
export function chosenPhrase(r: SelectionRecord): string {
  if (r.policy === "last") return "";
  const on = r.policy === "validation" ? "held-out valid images" : "the TEST set, transductive";
  return `, epoch ${r.chosenEpoch} chosen on ${on}`;
}

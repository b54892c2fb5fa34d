// Per-epoch training curves of a trained run (FewshotResult.selection.perEpoch, kernel/methods/selection/): the mean
// training loss and, under `selection: validation` / `test-best`, the image (and pixel) AUROC of the selection images
// after each epoch, with the reported epoch. Built from a result by api/fromFewshot.ts trainingCurves; drawn by
// display.training (viz/png/trainingPng.ts).

export interface TrainingCurves {
  title: string;
  epochs: number[];
  loss: number[];
  /** null where the epoch was not evaluated (always under `last`). */
  imageAuroc: (number | null)[];
  pixelAuroc: (number | null)[];
  chosenEpoch: number;
  /** e.g. "validation epoch 7/10, on 40 valid images". */
  selection: string;
  /** Which images the AUROCs are on: "valid" (held out), "test" (transductive) or null (none). */
  evaluatedOn: "valid" | "test" | null;
}

export function trainingText(c: TrainingCurves): string {
  const f = (v: number | null) => (v === null ? "—" : v.toFixed(4));
  const rows = c.epochs.map(
    (e, i) =>
      `  ${String(e).padStart(5)}  ${c.loss[i].toFixed(4).padStart(9)}  ${f(c.imageAuroc[i]).padStart(9)}  ${f(c.pixelAuroc[i]).padStart(9)}${e === c.chosenEpoch ? "  <- reported" : ""}`,
  );
  const on = c.evaluatedOn === "test" ? "test (transductive)" : c.evaluatedOn === "valid" ? "held-out valid" : "none";
  return [c.title, `  epoch       loss  image AUC  pixel AUC   (AUROC on: ${on})`, ...rows].join("\n");
}

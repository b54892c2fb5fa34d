// Which of MVFA's adapter weights the optimiser steps. The reference (MVFA-AD train_few.py) keeps two Adam
// optimisers; on segmentation datasets (CLASS_INDEX > 0, our seg head) it steps both, on image-level datasets
// (CLASS_INDEX < 0 — OCT2017, ChestXray, HIS; our det head) it steps only the det optimiser, so the seg adapters keep
// their initial weights while still feeding the residual mix 0.8·x + 0.1·seg_out + 0.1·det_out. Option
// `trainAdapters`: "reference" (default, that rule) or "all" (every adapter weight on every dataset).

export const MVFA_TRAIN_ADAPTERS = ["reference", "all"] as const;
export type MvfaTrainAdapters = (typeof MVFA_TRAIN_ADAPTERS)[number];

export interface MvfaAdapterTraining<P extends { name: string }> {
  mode: MvfaTrainAdapters;
  /** Stepped by Adam (they get gradients). */
  trained: P[];
  /** Fed at their initial values every step (no gradient, never updated). */
  frozen: P[];
  /** For the result's settings. */
  label: string;
}

export function mvfaAdapterTraining<P extends { name: string }>(
  params: readonly P[],
  head: "seg" | "det",
  option: unknown,
): MvfaAdapterTraining<P> {
  const mode = option ?? "reference";
  if (!(MVFA_TRAIN_ADAPTERS as readonly unknown[]).includes(mode))
    throw new Error(
      `mvfa: option trainAdapters must be "reference" (the reference: det adapters only on image-level data) or "all", not ${JSON.stringify(mode)}`,
    );
  const detOnly = mode === "reference" && head === "det";
  const isSeg = (p: P) => p.name.startsWith("seg_adapters.");
  return {
    mode: mode as MvfaTrainAdapters,
    trained: params.filter((p) => !(detOnly && isSeg(p))),
    frozen: params.filter((p) => detOnly && isSeg(p)),
    label: detOnly
      ? "det adapters only; seg adapters at their initial weights, still in the residual mix (reference on image-level data)"
      : head === "det"
        ? 'seg + det adapters (options.trainAdapters = "all"; the reference steps only the det adapters here)'
        : "seg + det adapters (as the reference on segmentation data)",
  };
}

// Progress shared by every method: long loops report (done, total, phase) and check the signal between batches
// (kernel/util/cancellation.ts), so a notebook cell can show progress and stop promptly without killing the kernel.

export type Phase = "text" | "support" | "train" | "calibration" | "test" | "evaluate";

/** Extra facts of a training step (phase "train"): which epoch and the step's loss. */
export interface ProgressDetail {
  epoch?: number;
  epochs?: number;
  loss?: number;
}

export type Progress = (done: number, total: number, phase: Phase, detail?: ProgressDetail) => void;

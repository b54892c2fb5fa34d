// What a layout parser hands to the common validation step in load.ts.
import { DatasetIssue, FewShotListFile, Label, LayoutKind, SkippedFile, Split } from "../types";

export interface RawSample {
  path: string;
  label: Label;
  split: Split;
  category: string;
  anomalyType?: string;
  maskPath?: string;
  maskThreshold?: number;
}

export interface LayoutResult {
  layout: LayoutKind;
  name: string;
  samples: RawSample[];
  /** Mask files with no image of the same name. */
  orphanMasks: string[];
  /** Categories whose abnormal images must all have masks (a pixel-level set). */
  pixelLevel: Set<string>;
  skipped: SkippedFile[];
  issues: DatasetIssue[];
  fewShotLists: FewShotListFile[];
}

export function emptyResult(layout: LayoutKind, name: string, skipped: SkippedFile[]): LayoutResult {
  return { layout, name, samples: [], orphanMasks: [], pixelLevel: new Set(), skipped, issues: [], fewShotLists: [] };
}

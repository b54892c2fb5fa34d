/**
 * Which epoch's adapters a trained method reports (issue 20). The references (MVFA `train_few.py`, MadCLIP
 * `train.py`, MediCLIP `train.py`) score the *test* set after every epoch and keep the best: that is `test-best`,
 * reproducible here but transductive. `last` (default) reports the final epoch of a fixed count; `validation` picks
 * the epoch on labelled images of the valid split that are not support images, so the test set is never looked at.
 */
import * as path from "path";
import type { FewShotSet } from "../../data/supportSet";
import type { Dataset, Sample } from "../../data/types";

export const SELECTION_POLICIES = ["last", "validation", "test-best"] as const;
export type SelectionPolicy = (typeof SELECTION_POLICIES)[number];

/** What fewshot() hands a trained method: the policy and, for `validation`, the images to choose on. */
export interface SelectionContext {
  policy: SelectionPolicy;
  /** `validation`: the held-out valid-split images (never support images); empty otherwise. */
  validation: Sample[];
}

export function parseSelection(value: unknown, where = "selection"): SelectionPolicy {
  if (value === undefined) return "last";
  if (typeof value === "string" && (SELECTION_POLICIES as readonly string[]).includes(value))
    return value as SelectionPolicy;
  throw new Error(
    `${where} must be one of ${SELECTION_POLICIES.join(", ")} (last: the final epoch; validation: best epoch on held-out valid images; test-best: the references' best epoch on the test set, transductive), got '${String(value)}'`,
  );
}

/**
 * The labelled valid-split images of `category` that are not in the support set, sorted by path. For MVFA/MadCLIP
 * the support set itself comes from `valid`, so these are the rest of it; MediCLIP draws from `train` where there
 * is one, so all of `valid` is held out.
 */
export function heldOutValidation(ds: Dataset, category: string, support: FewShotSet | null): Sample[] {
  const used = new Set([...(support?.normal ?? []), ...(support?.abnormal ?? [])].map((s) => path.resolve(s.path)));
  return ds.samples
    .filter((s) => s.category === category && s.split === "valid" && s.label !== "unknown")
    .filter((s) => !used.has(path.resolve(s.path)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Checks that the held-out set can rank epochs (both classes present); the error names the fix. */
export function checkValidation(ds: Dataset, category: string, images: Sample[]): void {
  const normal = images.filter((s) => s.label === "normal").length;
  const abnormal = images.length - normal;
  if (normal === 0 || abnormal === 0)
    throw new Error(
      `${ds.root}: selection: validation needs normal and abnormal images in ${category}/valid beyond the support set; found ${normal} normal and ${abnormal} abnormal. Lower shots, or use selection: last`,
    );
}

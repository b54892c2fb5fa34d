/**
 * Folder-name rules shared by the loaders (data.md §4B "Loader rule"): case-insensitive split, class, image and
 * mask folder names as MVFA, BMAD and their variants spell them, and which files count as images.
 */
import * as path from "path";
import { Label, Split } from "./types";

export function splitOf(name: string): Split | undefined {
  const n = name.toLowerCase();
  if (n === "train" || n === "training") return "train";
  if (n === "valid" || n === "val" || n === "validation") return "valid";
  if (n === "test" || n === "testing") return "test";
  return undefined;
}

export function labelOf(name: string): Exclude<Label, "unknown"> | undefined {
  const n = name.toLowerCase();
  if (n === "good" || n === "normal") return "normal";
  if (n === "ungood" || n === "abnormal" || n === "bad" || n === "anomaly") return "abnormal";
  return undefined;
}

export const IMAGE_DIRS = ["img", "imgs", "image", "images"];
export const MASK_DIRS = ["anomaly_mask", "label", "labels", "mask", "masks", "ground_truth", "ground_true", "gt"];

export function isImageDir(name: string): boolean {
  return IMAGE_DIRS.includes(name.toLowerCase());
}

export function isMaskDir(name: string): boolean {
  return MASK_DIRS.includes(name.toLowerCase());
}

const IMAGE_EXT = new Set([".png", ".jpg", ".jpeg", ".dcm"]);

/** Why a non-image file in an image folder was skipped (NIfTI gets a pointer to the slicer). */
export function notImageReason(file: string): string {
  return /\.nii(\.gz)?$/i.test(file)
    ? "NIfTI volume, not a 2-D image; export its slices with `medad data slice` and load those"
    : "not a PNG, JPEG or DICOM file (by extension)";
}

export function isImageFile(file: string): boolean {
  return IMAGE_EXT.has(path.extname(file).toLowerCase());
}

/** Files that are never data and are ignored silently (OS litter, notes). Everything else unknown is reported. */
export function isIgnorable(file: string): boolean {
  const base = path.basename(file);
  return (
    base.startsWith(".") ||
    /^(thumbs\.db|desktop\.ini)$/i.test(base) ||
    /^(license|licence|readme|copying|notice)(\..*)?$/i.test(base) ||
    /\.(txt|md|json|jsonl|csv|yaml|yml|xml)$/i.test(base)
  );
}

/** Pairing key: file name without extension, case-folded; MVTec's `_mask` suffix removed. */
export function stemKey(file: string): string {
  return path.basename(file, path.extname(file)).replace(/_mask$/i, "").toLowerCase();
}

/** MVFA-style class name from a `<Name>_AD` folder (Brain_AD -> Brain), else the folder name itself. */
export function categoryFromDir(name: string): string {
  return name.replace(/_AD$/i, "");
}
